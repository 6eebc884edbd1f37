/// Why a PyTorch state dict cannot become a `.rnnz`, naming the tensor (or option) concerned.
public enum ImportError: Error, CustomStringConvertible, Equatable {
    case file(SafetensorsError)
    /// A tensor that belongs to no module Recur can run.
    case unplaceable(tensor: String, String)
    /// A module of a kind or configuration Recur does not run.
    case unsupported(tensor: String, String)
    case missingTensor(String, String)
    case badShape(tensor: String, expected: String, found: [Int])
    /// Layers whose sizes do not chain in the order chosen.
    case shapesDoNotChain(tensor: String, String)
    /// A command-line choice that does not fit the weights.
    case badOption(String)
    /// A weight or bias that is NaN or infinite (element `index`, row-major).
    case nonFinite(tensor: String, index: Int, value: Float)
    /// Finite weights whose outputs overflow Float (self-test `testCase`, output `index`).
    case overflow(testCase: Int, index: Int, largestWeight: Float)

    public var description: String {
        switch self {
        case .file(let error): error.description
        case .unplaceable(let tensor, let reason): "tensor \(tensor) cannot be placed: \(reason)"
        case .unsupported(let tensor, let reason): "tensor \(tensor): not supported: \(reason)"
        case .missingTensor(let tensor, let reason): "missing tensor \(tensor): \(reason)"
        case .badShape(let tensor, let expected, let found): "tensor \(tensor) has shape \(found); expected \(expected)"
        case .shapesDoNotChain(let tensor, let reason): "shapes don't chain at tensor \(tensor): \(reason)"
        case .badOption(let reason): reason
        case .nonFinite(let tensor, let index, let value): "tensor \(tensor) holds \(value) at element \(index); weights must be finite"
        case .overflow(let testCase, let index, let largest):
            "the weights (up to \(largest) in magnitude) overflow 32-bit floats: self-test input \(testCase) gives a non-finite output \(index)"
        }
    }
}
