/// Problems exporting or re-reading a model, naming the file or tensor.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case notF32(path: String, tensor: String, type: String)
    case verificationFailed(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .notF32(let path, let tensor, let type): "\(path): weight \(tensor) is \(type), not F32; only an F32 model can be quantized"
        case .verificationFailed(let reason): "the written model does not verify: \(reason)"
        }
    }
}
