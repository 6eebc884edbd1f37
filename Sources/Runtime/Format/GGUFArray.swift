/// A GGUF array value: a count of elements that all share one type.
///
/// Stored typed (one Swift array per element type) rather than as `[GGUFValue]`, so that
/// decoding a large array costs at most about two bytes of memory per byte of file.
/// Nested arrays (`.array`) may mix element types between the inner arrays, as GGUF allows.
public enum GGUFArray: Equatable, Sendable {
    case uint8([UInt8])
    case int8([Int8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case float32([Float])
    case bool([Bool])
    case string([String])
    case array([GGUFArray])
    case uint64([UInt64])
    case int64([Int64])
    case float64([Double])

    /// The GGUF type tag of the elements.
    public var elementType: GGUFValueType {
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

    /// Number of elements.
    public var count: Int {
        switch self {
        case let .uint8(v): return v.count
        case let .int8(v): return v.count
        case let .uint16(v): return v.count
        case let .int16(v): return v.count
        case let .uint32(v): return v.count
        case let .int32(v): return v.count
        case let .float32(v): return v.count
        case let .bool(v): return v.count
        case let .string(v): return v.count
        case let .array(v): return v.count
        case let .uint64(v): return v.count
        case let .int64(v): return v.count
        case let .float64(v): return v.count
        }
    }

    /// The type as error messages spell it: `f32[]`; nested arrays show their first
    /// element's type (`u8[][]`) or `array[]` when empty.
    public var typeName: String {
        if case let .array(inner) = self {
            return (inner.first?.typeName ?? "array") + "[]"
        }
        return elementType.name + "[]"
    }
}
