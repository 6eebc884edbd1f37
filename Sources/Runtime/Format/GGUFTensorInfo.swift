/// Where one tensor lives in a GGUF file and what it holds.
///
/// `dims` is in GGUF order: `dims[0]` varies fastest, so a rows × cols matrix has
/// `dims == [cols, rows]`. `offset` counts from the start of the data section and has
/// already been checked: aligned, inside the section, not overlapping another tensor.
public struct GGUFTensorInfo: Equatable, Sendable {
    public let name: String
    public let type: GGUFTensorType
    /// Dimensions, fastest-varying first (1 to 4 of them).
    public let dims: [Int]
    /// Byte offset of the first element from the start of the data section.
    public let offset: Int
    /// Bytes of data: product of `dims` times the element size.
    public let byteCount: Int

    public init(name: String, type: GGUFTensorType, dims: [Int], offset: Int, byteCount: Int) {
        self.name = name
        self.type = type
        self.dims = dims
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Number of elements (product of `dims`).
    public var elementCount: Int {
        byteCount / type.elementSize
    }

    /// Rows of the tensor seen as a matrix: `dims[1]` (1 for a vector), times any higher dims.
    public var rows: Int {
        var product = 1
        for dim in dims.dropFirst() {
            product *= dim
        }
        return product
    }

    /// Columns of the tensor seen as a matrix: `dims[0]`.
    public var cols: Int {
        dims.first ?? 1
    }
}
