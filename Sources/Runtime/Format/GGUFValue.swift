/// One value of a GGUF key–value pair, with the type it was stored as.
///
/// Arrays keep their element type (``GGUFArray``), so a file read and written again
/// is byte-identical and the model loader can say "expected f32[], found u32[]".
public enum GGUFValue: Equatable, Sendable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    /// The GGUF type tag of this value.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    /// The type as error messages spell it: `u32`, `string`, `f32[]`, `string[][]`.
    public var typeName: String {
        if case let .array(elements) = self {
            return elements.typeName
        }
        return type.name
    }
}
