/// The report of each kind of `recur train` run, from what its runner measured.
extension TrainingReport {
    /// `recur train sine|adding|charlm`: the test metric of the trainer, the f32 file and the int8 file.
    public init(_ run: TaskRunner.Report, settings: TrainSettings) {
        let lm = settings.task == .charlm
        var notes: [String] = []
        if run.resumedAt > 0 { notes.append("resumed after epoch \(run.resumedAt); the history includes the epochs before") }
        if lm {
            notes.append("bits/char: the trainer carries the state through windows of --steps characters, "
                + "the Runtime feeds the whole test text as one stream")
        }
        self.init(
            task: settings.task.rawValue, kind: lm ? "lm" : "regressor", model: settings.out,
            loss: lm ? "cross-entropy (nats per character)" : "MSE", historyMetric: lm ? "accuracy" : "mae",
            history: run.history.map(Epoch.init), bestEpoch: run.bestEpoch + 1, seconds: run.seconds,
            figures: [Figure(name: run.metricName, lowerIsBetter: true, trainerF32: run.trainerMetric,
                             runtimeF32: run.f32Metric, runtimeInt8: run.int8Metric)],
            quantization: run.quantization.map(TensorError.init), int8Bytes: run.int8Bytes,
            f32Bytes: settings.writeF32 ? run.f32Bytes : nil, notes: notes)
    }

    /// `recur train har`: accuracy and macro F1 on the test subjects, the int8 file's confusion matrix.
    public init(_ run: HARRunReport, settings: HARRunSettings) {
        let figures = [
            Figure(name: "accuracy", lowerIsBetter: false, isFraction: true, trainerF32: run.trainerTest.accuracy,
                   runtimeF32: run.runtimeF32?.accuracy, runtimeInt8: run.runtimeInt8.accuracy),
            Figure(name: "macro F1", lowerIsBetter: false, isFraction: true, trainerF32: run.trainerTest.macroF1,
                   runtimeF32: run.runtimeF32?.macroF1, runtimeInt8: run.runtimeInt8.macroF1),
        ]
        let validation = run.validation
        self.init(
            task: "har", kind: "classifier", model: settings.out, loss: "cross-entropy (nats per window)",
            historyMetric: "accuracy", history: run.history.map(Epoch.init), bestEpoch: run.bestEpoch + 1,
            seconds: run.seconds, figures: figures, quantization: run.quantization.map(TensorError.init),
            confusion: Confusion(labels: run.runtimeInt8.classNames, counts: run.runtimeInt8.confusion,
                                 source: "runtime int8, test subjects"),
            int8Bytes: run.int8Bytes, f32Bytes: run.f32Bytes,
            notes: ["windows: \(run.trainWindows) train, \(run.validationWindows) validation, \(run.testWindows) test",
                    "validation subjects (trainer f32, model choice): accuracy "
                        + Format.fixed(validation.accuracy * 100, digits: 2) + " %"])
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
