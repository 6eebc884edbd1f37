/// Everything a run needs to resume after epoch `nextEpoch − 1` and end with the same model,
/// bit for bit, as an uninterrupted run. Codable: the app writes it into checkpoints.
public struct TrainingState: Codable, Sendable, Equatable {
    /// The first epoch still to run.
    public var nextEpoch: Int
    /// Optimizer updates done so far (drives the schedule).
    public var globalStep: Int
    /// The shuffling generator.
    public var shuffleRandom: SeededRandom
    /// The model's dropout generator.
    public var dropoutRandom: SeededRandom
    public var optimizer: OptimizerState
    /// Parameter values in `SequenceModel.parameters` order.
    public var parameters: [[Float]]
    /// The best epoch's parameters so far (early stopping), same order.
    public var bestParameters: [[Float]]
    public var bestEpoch: Int
    public var bestLoss: Double
    public var epochsWithoutImprovement: Int
    public var history: [EpochSummary]
    /// The parameter names, checked on resume.
    public var parameterNames: [String]
}
