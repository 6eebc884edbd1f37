/// Progress within an epoch, for a progress bar.
public struct BatchProgress: Sendable, Equatable {
    /// 0-based epoch and batch; `batches` per epoch.
    public var epoch: Int
    public var batch: Int
    public var batches: Int
    /// Running means over the epoch so far.
    public var loss: Double
    public var metric: Double
    public var learningRate: Float
    /// Sequences (streams: tokens) per second over the epoch so far.
    public var samplesPerSecond: Double
    /// Estimated seconds until the last epoch ends.
    public var etaSeconds: Double
}

/// The figures of one finished epoch.
public struct EpochSummary: Codable, Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainMetric: Double
    public var validationLoss: Double?
    public var validationMetric: Double?
    public var learningRate: Float
    public var seconds: Double
    /// True when this epoch gave the best monitored loss so far (its parameters are kept).
    public var improved: Bool
}

/// What a run ended with.
public struct TrainingResult: Codable, Sendable, Equatable {
    /// Every epoch, including those of a run this one resumed.
    public var history: [EpochSummary]
    /// The epoch whose parameters the model holds at the end.
    public var bestEpoch: Int
    /// The monitored loss (validation if any, else training) of the best epoch.
    public var bestLoss: Double
    public var stoppedEarly: Bool
}

/// What the loop reports to its observer.
public enum TrainingEvent: Sendable, Equatable {
    /// A run (or a resumed run) begins: total epochs, batches per epoch, training samples.
    case started(epochs: Int, batchesPerEpoch: Int, samples: Int, resumedAtEpoch: Int)
    case batch(BatchProgress)
    case epoch(EpochSummary)
    /// Patience ran out after `epoch`; the model returns to `bestEpoch`.
    case stoppedEarly(epoch: Int, bestEpoch: Int)
    case finished(TrainingResult)
}
