/// Fixed-length windows of IMU frames with their activity and subject, ready to batch.
///
/// `frames` is row-major `[count × window × channels]`: window `i`, timestep `t`,
/// channel `c` is `frames[(i * window + t) * channels + c]`.
public struct HARWindowSet: Sendable, Equatable {
    /// Timesteps per window (128).
    public let window: Int
    /// Values per timestep (6 raw, 9 with the gravity split).
    public let channels: Int
    /// Names of the channels, in order.
    public let channelNames: [String]
    /// Class names; `labels` index into them.
    public let classNames: [String]
    /// `[count × window × channels]` row-major.
    public internal(set) var frames: [Float] = []
    /// Class index per window, `0..<classNames.count`.
    public internal(set) var labels: [Int] = []
    /// Subject id per window (1–30).
    public internal(set) var subjects: [Int] = []
    /// Where each window came from: HAPT experiment number (0 for UCI HAR).
    public internal(set) var experiments: [Int] = []
    /// Where each window came from: its first sample, 0-based, in the recording
    /// (UCI HAR: the window's row in its file).
    public internal(set) var starts: [Int] = []

    public init(window: Int, channels: Int, channelNames: [String], classNames: [String]) {
        precondition(channelNames.count == channels, "one name per channel")
        self.window = window
        self.channels = channels
        self.channelNames = channelNames
        self.classNames = classNames
    }

    /// Number of windows.
    public var count: Int { labels.count }

    /// Values per window (`window × channels`).
    public var windowSize: Int { window * channels }

    /// Windows per class, in class order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// The sorted distinct subjects.
    public var subjectIDs: [Int] { Set(subjects).sorted() }

    /// Appends one window.
    ///
    /// - Parameter values: `window × channels` values, row-major.
    mutating func append<C: Collection>(
        _ values: C, label: Int, subject: Int, experiment: Int, start: Int
    ) where C.Element == Float {
        precondition(values.count == windowSize, "a window is window × channels values")
        frames.append(contentsOf: values)
        labels.append(label)
        subjects.append(subject)
        experiments.append(experiment)
        starts.append(start)
    }

    /// Per-channel mean and standard deviation over every value of every window
    /// (the trainer's `recur.input.mean` / `recur.input.std` come from the training set).
    ///
    /// A channel with zero spread gets std 1, so `(x − mean) / std` stays finite.
    public func channelStatistics() -> (mean: [Float], std: [Float]) {
        FrameExampleSet.channelStatistics(frames, channels: channels)
    }
}
