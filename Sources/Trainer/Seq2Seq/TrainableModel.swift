/// What the epoch loop needs of a model: its parameters, its dropout generator, and whole-model
/// snapshots (best epoch, checkpoints). `SequenceModel` and `Seq2SeqModel` conform.
public protocol TrainableModel: AnyObject {
    /// Every trainable tensor, in a fixed order (checkpoints store values in this order).
    var parameters: [Parameter] { get }
    /// The dropout masks' generator.
    var dropoutRandom: SeededRandom { get set }
    /// Copies of every parameter value, in `parameters` order.
    func snapshot() -> [[Float]]
    /// Restores values taken by `snapshot()`, in `parameters` order.
    func restore(_ values: [[Float]]) throws(TrainerError)
}

extension TrainableModel {
    /// The parameter called `name` (FORMAT.md tensor name), if any.
    public func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        for p in parameters { p.zeroGrad() }
    }

    /// Copies of every parameter value, in `parameters` order (for keeping the best model).
    public func snapshot() -> [[Float]] {
        parameters.map(\.value)
    }

    /// Restores values taken by `snapshot()` or loaded from a checkpoint, in `parameters` order.
    public func restore(_ values: [[Float]]) throws(TrainerError) {
        guard values.count == parameters.count else {
            throw .stateMismatch("\(values.count) tensors for \(parameters.count) parameters")
        }
        for (p, v) in zip(parameters, values) where v.count != p.count {
            throw .stateMismatch("\(p.name): \(v.count) values for \(p.rows)×\(p.cols)")
        }
        for (p, v) in zip(parameters, values) { p.value = v }
    }
}

extension SequenceModel: TrainableModel {}
extension Seq2SeqModel: TrainableModel {}
