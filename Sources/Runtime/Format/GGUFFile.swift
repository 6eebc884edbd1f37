/// A parsed, validated GGUF version 3 file held in memory.
///
/// Byte layout (little-endian throughout), as GGUF v3 defines it:
///
/// ```
/// offset  size  field
/// 0       4     magic "GGUF" (0x47 0x47 0x55 0x46)
/// 4       4     u32 version = 3
/// 8       8     u64 tensor count
/// 16      8     u64 key–value count
/// 24      ...   key–value pairs: key (u64 length + UTF-8), u32 value type, value
///               value: fixed-size scalar | string (u64 length + UTF-8) |
///                      array (u32 element type, u64 count, elements)
/// ...     ...   tensor infos: name (string), u32 n_dims, u64 dims[n_dims] (dims[0] fastest),
///               u32 ggml type, u64 offset (from the start of the data section)
/// ...     ...   zero padding up to a multiple of general.alignment (32 when absent)
/// data    ...   tensor data, each tensor at an offset that is a multiple of the alignment
/// ```
///
/// `init(parsing:)` checks everything GGUF itself promises (bounds, types, UTF-8, duplicates,
/// alignment, overlap); ``Rnnz/decode(_:limit:)`` adds the Recur-specific checks.
public struct GGUFFile: Sendable {
    /// The deepest nesting of arrays inside arrays the reader accepts.
    public static let maximumArrayNesting = 8
    /// The alignment GGUF assumes when `general.alignment` is absent.
    public static let defaultAlignment = 32

    /// GGUF version (always 3 once parsed).
    public let version: UInt32
    /// Alignment of the data section and of every tensor's offset.
    public let alignment: Int
    /// Keys in file order.
    public let keys: [String]
    /// Every key's value.
    public let metadata: [String: GGUFValue]
    /// Tensors in file order.
    public let tensors: [GGUFTensorInfo]
    /// Index into `tensors` by name.
    let tensorIndex: [String: Int]
    /// The whole decompressed file.
    public let storage: ByteStorage
    /// Byte offset of the data section from the start of `storage`.
    public let dataOffset: Int

    /// Parses and validates the GGUF file in `storage`.
    ///
    /// - Throws: a ``RecurError`` naming the first problem found: `badMagic`,
    ///   `unsupportedGGUFVersion`, `truncated`, `overflow`, `invalidUTF8`, `duplicateKey`,
    ///   `invalidKey`, `duplicateTensor`, `unknownValueType`, `invalidBool`, `arrayNestingTooDeep`,
    ///   `wrongKeyType`/`badAlignment` (general.alignment), `badDimensionCount`,
    ///   `unknownTensorType`, `tensorMisaligned`, `tensorOutOfBounds`, `tensorsOverlap`.
    /// - Complexity: O(n log n) in the number of tensors plus O(bytes of metadata).
    public init(parsing storage: ByteStorage) throws(RecurError) {
        var cursor = ByteCursor(storage.bytes)

        let magic = try cursor.readUInt32("GGUF magic")
        guard magic == 0x4655_4747 else {
            throw .badMagic(found: magic)
        }
        let version = try cursor.readUInt32("GGUF version")
        guard version == 3 else {
            throw .unsupportedGGUFVersion(found: version)
        }
        // Minimum bytes per tensor info: name length 8, n_dims 4, one dim 8, type 4, offset 8.
        let tensorCount = try cursor.readCount("tensor count", minimumSize: 32)
        // Minimum bytes per key–value pair: key length 8, value type 4, a one-byte value.
        let keyValueCount = try cursor.readCount("key-value count", minimumSize: 13)

        var keys: [String] = []
        var metadata: [String: GGUFValue] = [:]
        for index in 0..<keyValueCount {
            let key = try cursor.readString("key #\(index)")
            guard !key.isEmpty, key.utf8.count <= 65535 else {
                throw .invalidKey(index: index, length: key.utf8.count)
            }
            if metadata[key] != nil {
                throw .duplicateKey(key)
            }
            let rawType = try cursor.readUInt32("value type of '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw .unknownValueType(key: key, type: rawType)
            }
            metadata[key] = try GGUFFile.readValue(type, key: key, depth: 0, from: &cursor)
            keys.append(key)
        }

        var alignment = GGUFFile.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard case let .uint32(declared) = value else {
                throw .wrongKeyType(key: "general.alignment", expected: "u32", found: value.typeName)
            }
            guard declared != 0, declared & (declared - 1) == 0 else {
                throw .badAlignment(declared)
            }
            alignment = Int(declared)
        }

        var tensors: [GGUFTensorInfo] = []
        var tensorIndex: [String: Int] = [:]
        var rawOffsets: [UInt64] = []
        for index in 0..<tensorCount {
            let (info, rawOffset) = try GGUFFile.readTensorInfo(index, from: &cursor)
            if tensorIndex[info.name] != nil {
                throw .duplicateTensor(info.name)
            }
            tensorIndex[info.name] = tensors.count
            tensors.append(info)
            rawOffsets.append(rawOffset)
        }

        // The data section starts at the header's end rounded up to the alignment.
        let headerEnd = cursor.offset
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        let fileSize = storage.count
        if dataOffset > fileSize && !tensors.isEmpty {
            throw .truncated(what: "padding before the data section", offset: headerEnd,
                             needed: dataOffset - headerEnd, available: fileSize - headerEnd)
        }
        let dataSize = max(0, fileSize - dataOffset)

        var placed: [GGUFTensorInfo] = []
        for (index, info) in tensors.enumerated() {
            let rawOffset = rawOffsets[index]
            guard rawOffset % UInt64(alignment) == 0 else {
                throw .tensorMisaligned(tensor: info.name, offset: rawOffset, alignment: alignment)
            }
            let (end, overflowed) = rawOffset.addingReportingOverflow(UInt64(info.byteCount))
            if overflowed {
                throw .overflow(what: "offset \(rawOffset) + size \(info.byteCount) of tensor '\(info.name)'")
            }
            guard end <= UInt64(dataSize) else {
                throw .tensorOutOfBounds(tensor: info.name, end: end, dataSize: UInt64(dataSize))
            }
            let checked = GGUFTensorInfo(name: info.name, type: info.type, dims: info.dims,
                                         offset: Int(rawOffset), byteCount: info.byteCount)
            tensors[index] = checked
            if checked.byteCount > 0 {
                placed.append(checked)
            }
        }
        placed.sort { $0.offset < $1.offset }
        var previous: GGUFTensorInfo? = nil
        for info in placed {
            if let before = previous, before.offset + before.byteCount > info.offset {
                throw .tensorsOverlap(before.name, info.name)
            }
            previous = info
        }

        self.version = version
        self.alignment = alignment
        self.keys = keys
        self.metadata = metadata
        self.tensors = tensors
        self.tensorIndex = tensorIndex
        self.storage = storage
        self.dataOffset = dataOffset
    }

    /// Reads one tensor info; its offset is returned raw and checked once the data section is known.
    private static func readTensorInfo(_ index: Int, from cursor: inout ByteCursor) throws(RecurError)
        -> (GGUFTensorInfo, UInt64)
    {
        let name = try cursor.readString("name of tensor #\(index)")
        let dimensionCount = try cursor.readUInt32("dimension count of tensor '\(name)'")
        guard dimensionCount >= 1, dimensionCount <= 4 else {
            throw .badDimensionCount(tensor: name, found: dimensionCount)
        }
        var dims: [Int] = []
        var elements = 1
        for axis in 0..<Int(dimensionCount) {
            let raw = try cursor.readUInt64("dimension \(axis) of tensor '\(name)'")
            guard raw <= UInt64(Int.max) else {
                throw .overflow(what: "dimension \(axis) (\(raw)) of tensor '\(name)'")
            }
            let (product, overflowed) = elements.multipliedReportingOverflow(by: Int(raw))
            if overflowed {
                throw .overflow(what: "element count of tensor '\(name)'")
            }
            elements = product
            dims.append(Int(raw))
        }
        let rawType = try cursor.readUInt32("type of tensor '\(name)'")
        guard let type = GGUFTensorType(rawValue: rawType) else {
            throw .unknownTensorType(tensor: name, type: rawType)
        }
        let (byteCount, overflowed) = elements.multipliedReportingOverflow(by: type.elementSize)
        if overflowed {
            throw .overflow(what: "byte size of tensor '\(name)'")
        }
        let offset = try cursor.readUInt64("offset of tensor '\(name)'")
        return (GGUFTensorInfo(name: name, type: type, dims: dims, offset: 0, byteCount: byteCount), offset)
    }

    /// Reads one value of `type` for `key`; arrays recurse with `depth` + 1.
    private static func readValue(_ type: GGUFValueType, key: String, depth: Int,
                                  from cursor: inout ByteCursor) throws(RecurError) -> GGUFValue
    {
        let what = "value of '\(key)'"
        switch type {
        case .uint8: return .uint8(try cursor.readUInt8(what))
        case .int8: return .int8(Int8(bitPattern: try cursor.readUInt8(what)))
        case .uint16: return .uint16(try cursor.readUInt16(what))
        case .int16: return .int16(Int16(bitPattern: try cursor.readUInt16(what)))
        case .uint32: return .uint32(try cursor.readUInt32(what))
        case .int32: return .int32(Int32(bitPattern: try cursor.readUInt32(what)))
        case .float32: return .float32(Float(bitPattern: try cursor.readUInt32(what)))
        case .bool: return .bool(try readBool(key: key, from: &cursor))
        case .string: return .string(try cursor.readString(what))
        case .array: return .array(try readArray(key: key, depth: depth + 1, from: &cursor))
        case .uint64: return .uint64(try cursor.readUInt64(what))
        case .int64: return .int64(Int64(bitPattern: try cursor.readUInt64(what)))
        case .float64: return .float64(Double(bitPattern: try cursor.readUInt64(what)))
        }
    }

    private static func readBool(key: String, from cursor: inout ByteCursor) throws(RecurError) -> Bool {
        let byte = try cursor.readUInt8("value of '\(key)'")
        guard byte <= 1 else {
            throw .invalidBool(key: key, value: byte)
        }
        return byte == 1
    }

    /// Reads an array (element type, count, elements) at nesting level `depth` (1 = outermost).
    private static func readArray(key: String, depth: Int, from cursor: inout ByteCursor) throws(RecurError) -> GGUFArray {
        if depth > maximumArrayNesting {
            throw .arrayNestingTooDeep(key: key, limit: maximumArrayNesting)
        }
        let rawType = try cursor.readUInt32("array element type of '\(key)'")
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw .unknownValueType(key: key, type: rawType)
        }
        // The count is checked against the remaining bytes before any array is allocated.
        let count = try cursor.readCount("array length of '\(key)'", minimumSize: type.minimumEncodedSize)
        let what = "array element of '\(key)'"
        switch type {
        case .uint8: return .uint8(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in try c.readUInt8(what) })
        case .int8: return .int8(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in Int8(bitPattern: try c.readUInt8(what)) })
        case .uint16: return .uint16(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in try c.readUInt16(what) })
        case .int16: return .int16(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in Int16(bitPattern: try c.readUInt16(what)) })
        case .uint32: return .uint32(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in try c.readUInt32(what) })
        case .int32: return .int32(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in Int32(bitPattern: try c.readUInt32(what)) })
        case .float32: return .float32(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in Float(bitPattern: try c.readUInt32(what)) })
        case .bool: return .bool(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in try readBool(key: key, from: &c) })
        case .string: return .string(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in try c.readString(what) })
        case .array: return .array(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in try readArray(key: key, depth: depth + 1, from: &c) })
        case .uint64: return .uint64(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in try c.readUInt64(what) })
        case .int64: return .int64(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in Int64(bitPattern: try c.readUInt64(what)) })
        case .float64: return .float64(try readElements(count, &cursor) { (c: inout ByteCursor) throws(RecurError) in Double(bitPattern: try c.readUInt64(what)) })
        }
    }

    /// Reads `count` elements with `read`; `count` was already checked against the remaining bytes.
    private static func readElements<Element>(
        _ count: Int, _ cursor: inout ByteCursor,
        _ read: (inout ByteCursor) throws(RecurError) -> Element
    ) throws(RecurError) -> [Element] {
        var values: [Element] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            values.append(try read(&cursor))
        }
        return values
    }
}
