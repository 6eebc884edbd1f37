/// Updates parameters from their gradients.
///
/// The loop sets `learningRate` from the schedule before every `step`. `state` holds everything
/// the optimizer remembers (step count, moment buffers), so a checkpoint resumes bit for bit.
public protocol Optimizer {
    /// The rate of the next `step`.
    var learningRate: Float { get set }
    /// One update of every parameter from its `grad`.
    mutating func step(_ parameters: [Parameter])
    /// Everything needed to continue exactly where this optimizer is.
    var state: OptimizerState { get }
    /// Continues from `state` (taken from an optimizer of the same kind over the same parameters).
    mutating func restore(_ state: OptimizerState, parameters: [Parameter]) throws(TrainerError)
}

/// A snapshot of an optimizer: its kind, step count and per-parameter buffers.
public struct OptimizerState: Codable, Sendable, Equatable {
    /// "adam", "adamw" or "sgd".
    public var kind: String
    /// Updates done so far.
    public var steps: Int
    /// Buffer sets (Adam: first and second moments; SGD: velocity), each one array per parameter.
    public var buffers: [[[Float]]]

    public init(kind: String, steps: Int, buffers: [[[Float]]]) {
        self.kind = kind
        self.steps = steps
        self.buffers = buffers
    }

    /// Checks kind and shapes against the parameters; the message names the first mismatch.
    func check(kind expected: String, sets: Int, parameters: [Parameter]) throws(TrainerError) {
        if kind != expected { throw .stateMismatch("optimizer state is \(kind), the optimizer is \(expected)") }
        if buffers.count != sets { throw .stateMismatch("\(kind): \(buffers.count) buffer sets, expected \(sets)") }
        for set in buffers {
            if set.count != parameters.count {
                throw .stateMismatch("\(kind): buffers for \(set.count) parameters, the model has \(parameters.count)")
            }
            for (b, p) in zip(set, parameters) where b.count != p.count {
                throw .stateMismatch("\(kind): \(p.name) buffer has \(b.count) values for \(p.count)")
            }
        }
    }
}

/// Optimizer buffers kept as tensors, one per parameter, created at the first step.
struct OptimizerBuffers {
    var tensors: [Tensor] = []

    mutating func prepare(_ parameters: [Parameter]) {
        if tensors.count != parameters.count { tensors = parameters.map { Tensor(count: $0.count) } }
    }

    func export(_ parameters: [Parameter]) -> [[Float]] {
        tensors.isEmpty ? parameters.map { [Float](repeating: 0, count: $0.count) } : tensors.map(\.array)
    }

    mutating func load(_ values: [[Float]]) {
        tensors = values.map { Tensor($0) }
    }
}
