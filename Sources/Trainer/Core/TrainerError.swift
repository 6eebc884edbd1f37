/// Errors of the training core; each message names what was wrong and where.
public enum TrainerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A model specification that cannot be built.
    case invalidSpec(String)
    /// A batch whose shapes or values do not fit the model.
    case invalidBatch(String)
    /// Options out of range.
    case invalidOptions(String)
    /// A saved training state that does not match the model or optimizer.
    case stateMismatch(String)

    public var description: String {
        switch self {
        case .invalidSpec(let m): "invalid model spec: \(m)"
        case .invalidBatch(let m): "invalid batch: \(m)"
        case .invalidOptions(let m): "invalid training options: \(m)"
        case .stateMismatch(let m): "training state does not match: \(m)"
        }
    }
}
