import RecurRuntime

extension HARTrainedModel {
    /// Writes the classifier as a `.rnnz` (int8 weights, or f32 for the twin) with the HAR task
    /// keys, self-tests from `selfTestWindows`, and reads it back through the Runtime.
    ///
    /// - Parameters:
    ///   - hop: timesteps between results when streaming (`recur.hop`).
    ///   - selfTestWindows: windows whose network input (after preprocessing, before
    ///     normalization) becomes `selftest.{k}.input`; the first two are used.
    ///   - path: where to write (atomically); nil only encodes.
    public func export(name: String = "har", hop: Int, quantized: Bool, selfTestWindows: HARWindowSet,
                       to path: String?) throws -> Exporter.Result {
        let file = ExportModel(name: name, model: model, taskKeys: taskKeys(hop: hop))
        var inputs: [SelfTestInput] = []
        for index in 0..<min(2, selfTestWindows.count) {
            let lower = index * selfTestWindows.windowSize
            inputs.append(.frames(Array(selfTestWindows.frames[lower..<(lower + selfTestWindows.windowSize)])))
        }
        return try Exporter.export(file, quantized: quantized, selfTestInputs: inputs, to: path)
    }
}
