import RecurRuntime

/// Scores an exported HAR classifier through the Runtime, window by window — what the board
/// computes for the same windows.
public enum HARRuntimeEvaluation {
    /// Classifies every window of `set` in a fresh session (state reset, `window` frames, the
    /// result at the window's last frame) and counts the most probable class against the label.
    ///
    /// `set` holds the network's input before normalization (the preprocessor's output for
    /// derived channels); the session normalizes with the file's mean and std.
    ///
    /// - Returns: the metrics and the predicted class per window.
    /// - Throws: `RecurError` when the model does not take these frames (size, window).
    public static func evaluate(_ model: Model, on set: HARWindowSet) throws(RecurError) -> (metrics: HARMetrics, predicted: [Int]) {
        let session = try model.makeFrameSession(window: set.window, hop: set.window)
        let configuration = session.configuration
        guard configuration.inputSize == set.channels else {
            throw .wrongInputSize(expected: configuration.inputSize, found: set.channels)
        }
        guard configuration.labels.count == set.classNames.count else {
            throw .badKeyValue(key: "recur.labels", reason: "the model has \(configuration.labels.count) classes, the windows \(set.classNames.count)")
        }
        var predicted: [Int] = []
        predicted.reserveCapacity(set.count)
        try set.frames.withUnsafeBufferPointer { (frames) throws(RecurError) in
            for index in 0..<set.count {
                session.reset()
                var label: Int? = nil
                for step in 0..<set.window {
                    let start = (index * set.window + step) * set.channels
                    if let result = try session.step(UnsafeBufferPointer(rebasing: frames[start..<(start + set.channels)])) {
                        label = result.label ?? argmax(result.outputs)
                    }
                }
                guard let label else {
                    throw .badWindow(window: set.window, hop: set.window, reason: "window \(index) produced no result")
                }
                predicted.append(label)
            }
        }
        return (HARMetrics(predicted: predicted, actual: set.labels, classNames: set.classNames), predicted)
    }

    private static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        for k in 1..<values.count where values[k] > values[best] { best = k }
        return best
    }
}
