/// Mean squared error over all N · O outputs; the metric is the mean absolute error.
///
/// L = Σ (p − t)² / (N·O) ;  dL/dp = 2 (p − t) / (N·O).
enum MeanSquaredError {
    /// - Parameters:
    ///   - predictions: (N, O)
    ///   - targets: (N, O)
    ///   - gradient: (N, O) written when given
    static func evaluate(predictions: UnsafePointer<Float>, targets: [Float], count: Int,
                         gradient: UnsafeMutablePointer<Float>?) -> LossValue {
        var squares = 0.0, absolute = 0.0
        let scale = count > 0 ? 2 / Float(count) : 0
        for j in 0..<count {
            let e = predictions[j] - targets[j]
            squares += Double(e) * Double(e)
            absolute += Double(abs(e))
            if let gradient { gradient[j] = scale * e }
        }
        return LossValue(loss: count > 0 ? squares / Double(count) : 0, metricSum: absolute, weight: Double(count))
    }
}
