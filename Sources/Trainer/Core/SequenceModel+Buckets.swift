extension SequenceModel {
    /// Outputs for `count` examples kept in buckets of one length each (`predict` rows: one of
    /// `spec.output.size` values per example, in example order), 256 examples per forward pass.
    ///
    /// - Parameter batch: the batch of the examples at the given indices (all of one length).
    public func predict(count: Int, buckets: [[Int]], batch: ([Int]) -> Batch) -> [Float] {
        let width = spec.output.size
        var outputs = [Float](repeating: 0, count: count * width)
        for indices in buckets {
            var start = 0
            while start < indices.count {
                let part = Array(indices[start..<min(start + 256, indices.count)])
                let b = batch(part)
                let predicted = predict(b.inputs, count: b.count, steps: b.steps)
                for (row, k) in part.enumerated() {
                    for c in 0..<width { outputs[k * width + c] = predicted[row * width + c] }
                }
                start += part.count
            }
        }
        return outputs
    }
}
