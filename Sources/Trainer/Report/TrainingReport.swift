/// What `recur train … --report DIR` writes about a finished run: the per-epoch history, the
/// held-out figures of the trainer and of the exported files run through the Runtime, the
/// per-tensor quantization error and, for a classifier, the confusion matrix.
///
/// Codable: `metrics.json` is this value (snake_case keys, `ReportWriter`); `history.csv` and
/// `report.html` are made from it. Non-finite numbers are stored as nil (JSON `null`), so a
/// diverged run still gets its report.
public struct TrainingReport: Codable, Sendable, Equatable {
    /// The `recur train` task (`sine`, `har`, `addition`, …).
    public var task: String
    /// `regressor`, `lm`, `classifier` or `seq2seq`.
    public var kind: String
    /// The int8 model file the run wrote.
    public var model: String
    /// What the history's losses are (`MSE`, `cross-entropy (nats per token)`, …).
    public var loss: String
    /// The name of the history's metric column (`mae`, `accuracy`, `token_accuracy`, …).
    public var historyMetric: String
    /// Every epoch, in order (a resumed run includes the epochs before the resume).
    public var history: [Epoch]
    /// The 1-based epoch whose parameters were exported.
    public var bestEpoch: Int
    /// Wall-clock seconds of the whole run (data, training, export, evaluation).
    public var seconds: Double?
    /// The held-out test figures.
    public var figures: [Figure]
    /// Per-weight error of the int8 file: |q · scale − w|.
    public var quantization: [TensorError]
    /// Classifiers: the int8 file's confusion matrix on the test split.
    public var confusion: Confusion?
    public var int8Bytes: Int
    /// nil when the f32 twin was not written.
    public var f32Bytes: Int?
    /// What loading the data reported (pairs dropped, splits shrunk, …) and what the figures mean.
    public var notes: [String]

    public init(task: String, kind: String, model: String, loss: String, historyMetric: String, history: [Epoch],
                bestEpoch: Int, seconds: Double?, figures: [Figure], quantization: [TensorError],
                confusion: Confusion? = nil, int8Bytes: Int, f32Bytes: Int?, notes: [String] = []) {
        self.task = task
        self.kind = kind
        self.model = model
        self.loss = loss
        self.historyMetric = historyMetric
        self.history = history
        self.bestEpoch = bestEpoch
        self.seconds = seconds.finiteOrNil
        self.figures = figures
        self.quantization = quantization
        self.confusion = confusion
        self.int8Bytes = int8Bytes
        self.f32Bytes = f32Bytes
        self.notes = notes
    }

    /// One row of `history.csv`.
    public struct Epoch: Codable, Sendable, Equatable {
        /// 1-based.
        public var epoch: Int
        public var trainLoss: Double?
        public var validationLoss: Double?
        public var trainMetric: Double?
        public var validationMetric: Double?
        public var learningRate: Double?
        public var seconds: Double?
        /// This epoch had the best monitored loss so far.
        public var improved: Bool

        public init(epoch: Int, trainLoss: Double?, validationLoss: Double?, trainMetric: Double?,
                    validationMetric: Double?, learningRate: Double?, seconds: Double?, improved: Bool) {
            self.epoch = epoch
            self.trainLoss = trainLoss.finiteOrNil
            self.validationLoss = validationLoss.finiteOrNil
            self.trainMetric = trainMetric.finiteOrNil
            self.validationMetric = validationMetric.finiteOrNil
            self.learningRate = learningRate.finiteOrNil
            self.seconds = seconds.finiteOrNil
            self.improved = improved
        }

        /// The loop's summary of an epoch (0-based) as a report row (1-based).
        public init(_ summary: EpochSummary) {
            // The rate as the user typed it (0.003), not Float's binary expansion (0.0030000000949…).
            self.init(epoch: summary.epoch + 1, trainLoss: summary.trainLoss, validationLoss: summary.validationLoss,
                      trainMetric: summary.trainMetric, validationMetric: summary.validationMetric,
                      learningRate: Double(String(describing: summary.learningRate)), seconds: summary.seconds,
                      improved: summary.improved)
        }
    }

    /// One held-out figure of the three models: the trainer's f32 network, the exported f32 file
    /// and the exported int8 file, both through the Runtime.
    public struct Figure: Codable, Sendable, Equatable {
        /// `mse`, `accuracy`, `exact match, beam 5`, …
        public var name: String
        /// True for errors and losses, false for accuracies and BLEU.
        public var lowerIsBetter: Bool
        /// A fraction in 0…1 shown as a percentage (accuracy, exact match).
        public var isFraction: Bool
        public var trainerF32: Double?
        public var runtimeF32: Double?
        public var runtimeInt8: Double?

        public init(name: String, lowerIsBetter: Bool, isFraction: Bool = false, trainerF32: Double?,
                    runtimeF32: Double?, runtimeInt8: Double?) {
            self.name = name
            self.lowerIsBetter = lowerIsBetter
            self.isFraction = isFraction
            self.trainerF32 = trainerF32.finiteOrNil
            self.runtimeF32 = runtimeF32.finiteOrNil
            self.runtimeInt8 = runtimeInt8.finiteOrNil
        }
    }

    /// The int8 error of one weight matrix.
    public struct TensorError: Codable, Sendable, Equatable {
        public var tensor: String
        public var rows: Int
        public var cols: Int
        public var maxAbsError: Double?
        public var rmsError: Double?

        public init(_ line: QuantizationReportLine) {
            tensor = line.tensor
            rows = line.rows
            cols = line.cols
            maxAbsError = Double(String(describing: line.error.maxAbs)).finiteOrNil
            rmsError = Double(String(describing: line.error.rms)).finiteOrNil
        }
    }

    /// `counts[true class][predicted class]`, with the class names in class order.
    public struct Confusion: Codable, Sendable, Equatable {
        public var labels: [String]
        public var counts: [[Int]]
        /// Which model on which split (`runtime int8, test`).
        public var source: String

        public init(labels: [String], counts: [[Int]], source: String) {
            self.labels = labels
            self.counts = counts
            self.source = source
        }
    }
}

extension Optional where Wrapped == Double {
    /// nil for NaN and ±infinity (JSON has no spelling for them).
    var finiteOrNil: Double? {
        guard let value = self, value.isFinite else { return nil }
        return value
    }
}
