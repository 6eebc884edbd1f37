/// The ggml tensor types a `.rnnz` file may hold (the numbers are ggml's `GGML_TYPE_*`).
public enum GGUFTensorType: UInt32, Sendable, CaseIterable {
    case f32 = 0
    case f16 = 1
    case i8 = 24
    case i32 = 26

    /// Bytes per element.
    public var elementSize: Int {
        switch self {
        case .f32, .i32: return 4
        case .f16: return 2
        case .i8: return 1
        }
    }

    /// The name used in error messages and by ggml (`F32`, `F16`, `I8`, `I32`).
    public var name: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .i8: return "I8"
        case .i32: return "I32"
        }
    }
}
