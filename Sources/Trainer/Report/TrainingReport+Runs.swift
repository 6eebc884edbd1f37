/// The report of each kind of `recur train` run, from what its runner measured.
extension TrainingReport {
    /// `recur train sine|adding|charlm|frames|har|mnist`: the test metric of the trainer, the f32
    /// file and the int8 file; for classifiers accuracy and macro F1 and the int8 file's confusion matrix.
    public init(_ run: TaskRunner.Report, settings: TrainSettings) {
        let lm = settings.task == .charlm
        let classes = run.int8.classification
        var notes = run.dataSummary
        if run.resumedAt > 0 { notes.append("resumed after epoch \(run.resumedAt); the history includes the epochs before") }
        if lm {
            notes.append("bits/char: the trainer carries the state through windows of --steps characters, "
                + "the Runtime feeds the whole test text as one stream")
        }
        var figures: [Figure]
        if let classes {
            figures = [
                Figure(name: "accuracy", lowerIsBetter: false, isFraction: true, trainerF32: run.trainer.value,
                       runtimeF32: run.f32.value, runtimeInt8: run.int8.value),
                Figure(name: "macro F1", lowerIsBetter: false, isFraction: true,
                       trainerF32: run.trainer.classification?.macroF1, runtimeF32: run.f32.classification?.macroF1,
                       runtimeInt8: classes.macroF1),
            ]
        } else {
            figures = [Figure(name: run.metricName, lowerIsBetter: true, trainerF32: run.trainer.value,
                              runtimeF32: run.f32.value, runtimeInt8: run.int8.value)]
        }
        self.init(
            task: settings.modelName, kind: lm ? "lm" : classes != nil ? "classifier" : "regressor", model: settings.out,
            loss: lm ? "cross-entropy (nats per character)" : classes != nil ? "cross-entropy (nats per example)" : "MSE",
            historyMetric: lm || classes != nil ? "accuracy" : "mae",
            history: run.history.map(Epoch.init), bestEpoch: run.bestEpoch + 1, seconds: run.seconds,
            figures: figures, quantization: run.quantization.map(TensorError.init),
            confusion: classes.map { Confusion(labels: $0.classNames, counts: $0.confusion, source: "runtime int8, test split") },
            int8Bytes: run.int8Bytes, f32Bytes: settings.writeF32 ? run.f32Bytes : nil, notes: notes)
    }

    /// `recur train addition|translate`: exact match (and BLEU for translation), greedy and beam,
    /// of the trainer and of both files decoded by the Runtime.
    public init(_ run: Seq2SeqRunner.Report) {
        let s = run.settings
        var figures: [Figure] = []
        func add(_ decoding: String, trainer: Seq2SeqScores?, f32: Seq2SeqScores?, int8: Seq2SeqScores?) {
            figures.append(Figure(name: "exact match, \(decoding)", lowerIsBetter: false, isFraction: true,
                                  trainerF32: trainer?.exactMatch, runtimeF32: f32?.exactMatch, runtimeInt8: int8?.exactMatch))
            // Addition answers are one word: BLEU (4-grams) says nothing there.
            if s.task == .translate {
                figures.append(Figure(name: "BLEU, \(decoding)", lowerIsBetter: false, trainerF32: trainer?.bleu,
                                      runtimeF32: f32?.bleu, runtimeInt8: int8?.bleu))
            }
        }
        add("greedy", trainer: run.trainerGreedy, f32: run.runtimeF32?.greedy, int8: run.runtimeInt8.greedy)
        if s.beam > 1 {
            add("beam \(s.beam)", trainer: run.trainerBeam, f32: run.runtimeF32?.beam, int8: run.runtimeInt8.beam)
        }
        var notes = run.notes
        notes.insert("pairs: \(run.trainCount) train, \(run.validationCount) validation, \(run.testCount) test; "
            + "vocabulary \(run.sourceVocabulary) source, \(run.targetVocabulary) target; \(run.parameterCount) parameters", at: 0)
        if run.resumedAt > 0 { notes.append("resumed after epoch \(run.resumedAt); the history includes the epochs before") }
        self.init(
            task: s.task.rawValue, kind: "seq2seq", model: s.out, loss: "cross-entropy (nats per target token)",
            historyMetric: "token_accuracy", history: run.history.map(Epoch.init), bestEpoch: run.bestEpoch + 1,
            seconds: run.seconds, figures: figures, quantization: run.quantization.map(TensorError.init),
            int8Bytes: run.int8Bytes, f32Bytes: s.writeF32 ? run.f32Bytes : nil, notes: notes)
    }
}
