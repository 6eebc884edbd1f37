/// What is wrong with a safetensors file, naming the tensor where there is one.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file ends before its header does.
    case truncated(String)
    /// The header length or the JSON itself is unusable.
    case badHeader(String)
    /// A tensor's entry lacks or misstates a field.
    case badEntry(tensor: String, String)
    /// A tensor's dtype is not one the format defines.
    case unknownDType(tensor: String, dtype: String)
    /// A tensor's dtype is defined but cannot become Float weights (integers, F64, F8).
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor's data_offsets disagree with its shape or leave the data section.
    case badOffsets(tensor: String, String)
    case missingTensor(String)

    public var description: String {
        switch self {
        case .truncated(let detail): "truncated safetensors file: \(detail)"
        case .badHeader(let detail): "bad safetensors header: \(detail)"
        case .badEntry(let tensor, let detail): "tensor \(tensor): \(detail)"
        case .unknownDType(let tensor, let dtype): "tensor \(tensor): unknown dtype \"\(dtype)\""
        case .unsupportedDType(let tensor, let dtype):
            "tensor \(tensor): dtype \(dtype) is not supported; weights must be F32, F16 or BF16"
        case .badOffsets(let tensor, let detail): "tensor \(tensor): \(detail)"
        case .missingTensor(let name): "no tensor \(name)"
        }
    }
}
