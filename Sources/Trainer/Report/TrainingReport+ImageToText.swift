extension TrainingReport {
    /// `recur train image2text`: teacher-forced token accuracy, exact match and BLEU of greedy
    /// decoding, by the trainer (f32) and by the Runtime on the int8 file.
    public init(_ run: ImageToTextRunner.Report) {
        let s = run.settings
        var figures: [Figure] = []
        if let test = run.test {
            figures = [
                Figure(name: "token accuracy, teacher forced", lowerIsBetter: false, isFraction: true,
                       trainerF32: test.tokenAccuracy, runtimeF32: nil, runtimeInt8: nil),
                Figure(name: "exact match, greedy", lowerIsBetter: false, isFraction: true,
                       trainerF32: test.trainerGreedy.exactMatch, runtimeF32: nil, runtimeInt8: test.runtimeInt8.exactMatch),
                Figure(name: "BLEU, greedy", lowerIsBetter: false, trainerF32: test.trainerGreedy.bleu, runtimeF32: nil,
                       runtimeInt8: test.runtimeInt8.bleu),
            ]
        }
        var notes = ["images: \(run.trainCount) train, \(run.validationCount) validation, \(run.testCount) test of \(run.image); "
            + "encoder \(s.encoder) → memory \(run.memoryRows) × \(run.memoryWidth); target vocabulary \(run.targetVocabulary); "
            + "\(run.parameterCount) parameters"]
        if run.test == nil { notes.append("no --test set: no held-out scores") }
        if run.resumedAt > 0 { notes.append("resumed after epoch \(run.resumedAt); the history includes the epochs before") }
        self.init(
            task: "image2text", kind: "image_to_text", model: s.out, loss: "cross-entropy (nats per target token)",
            historyMetric: "token_accuracy", history: run.history.map(Epoch.init), bestEpoch: run.bestEpoch + 1,
            seconds: run.seconds, figures: figures, quantization: run.quantization.map(TensorError.init),
            int8Bytes: run.int8Bytes, f32Bytes: s.writeF32 ? run.f32Bytes : nil, notes: notes)
    }
}
