/// Which optimizer the loop builds.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    case adam, adamw, sgd
}

/// Everything that controls a training run. The defaults suit a small classifier.
public struct TrainOptions: Codable, Sendable, Equatable {
    /// Passes over the training data.
    public var epochs: Int = 10
    /// Sequences per minibatch (streams: parallel streams).
    public var batchSize: Int = 32
    /// Base learning rate (the schedule scales it).
    public var learningRate: Float = 1e-3
    public var optimizer: OptimizerKind = .adam
    /// L2 (adam, sgd) or decoupled (adamw) weight decay.
    public var weightDecay: Float = 0
    /// SGD momentum.
    public var momentum: Float = 0.9
    public var schedule: LearningRateSchedule = .constant
    /// Global gradient-norm limit; nil = no clipping.
    public var clipNorm: Float? = 5
    /// Seeds shuffling and the validation split (the model has its own seed).
    public var seed: UInt64 = 1
    /// Stop after this many epochs without a better validation loss; nil = never.
    public var patience: Int? = nil
    /// Truncated-BPTT chunk length for streams (`fitStream`).
    public var bpttSteps: Int = 64
    /// Threads (`BLAS.setThreads`: the trainer's team; OpenBLAS runs on one).
    public var threads: Int = 2
    /// Shuffle the training sequences every epoch.
    public var shuffle: Bool = true
    /// Send a `.batch` event every this many batches (and always on the last one).
    public var reportEvery: Int = 1

    public init() {}

    /// Checks ranges; the message names the option.
    public func validate() throws(TrainerError) {
        if epochs < 1 { throw .invalidOptions("epochs must be ≥ 1, got \(epochs)") }
        if batchSize < 1 { throw .invalidOptions("batch size must be ≥ 1, got \(batchSize)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw .invalidOptions("learning rate must be > 0, got \(learningRate)") }
        if !(weightDecay >= 0) { throw .invalidOptions("weight decay must be ≥ 0, got \(weightDecay)") }
        if !(momentum >= 0 && momentum < 1) { throw .invalidOptions("momentum must be in [0, 1), got \(momentum)") }
        if let c = clipNorm, !(c > 0) { throw .invalidOptions("clip norm must be > 0, got \(c)") }
        if let p = patience, p < 1 { throw .invalidOptions("patience must be ≥ 1, got \(p)") }
        if bpttSteps < 1 { throw .invalidOptions("bptt steps must be ≥ 1, got \(bpttSteps)") }
        if threads < 1 { throw .invalidOptions("threads must be ≥ 1, got \(threads)") }
        if reportEvery < 1 { throw .invalidOptions("reportEvery must be ≥ 1, got \(reportEvery)") }
        switch schedule {
        case .constant: break
        case .step(let every, let factor):
            if every < 1 || !(factor > 0) { throw .invalidOptions("step schedule needs every ≥ 1 and factor > 0") }
        case .cosine(let warmup, let fraction):
            if warmup < 0 || !(fraction >= 0 && fraction <= 1) {
                throw .invalidOptions("cosine schedule needs warmup ≥ 0 and minimumFraction in [0, 1]")
            }
        }
    }

    /// A fresh optimizer of the chosen kind.
    public func makeOptimizer() -> any Optimizer {
        switch optimizer {
        case .adam: Adam(learningRate: learningRate, weightDecay: weightDecay)
        case .adamw: Adam(learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
        case .sgd: SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        }
    }
}
