import CZstd
import RecurRuntime
import Testing
import Trainer

/// Hand-assembled GGUF bytes for tests that need files no correct writer produces.
///
/// Fields are raw so a test can lie about any count, type, length or offset. The default
/// value is a valid Recur file with no tensors; `encode()` lays it out as GGUF v3 does.
struct CraftedGGUF {
    var magic: UInt32 = 0x4655_4747
    var version: UInt32 = 3
    /// Declared counts; `nil` means the real number of entries.
    var declaredTensorCount: UInt64? = nil
    var declaredKeyValueCount: UInt64? = nil
    /// Encoded key–value pairs (see `pair`), in file order.
    var keyValues: [[UInt8]] = [
        pair("general.architecture", string("recur")),
        pair("recur.format_version", u32(1)),
        pair("general.alignment", u32(64)),
    ]
    /// Encoded tensor infos (see `tensorInfo`).
    var tensorInfos: [[UInt8]] = []
    /// Padding target after the header.
    var alignment = 64
    /// The data section.
    var data: [UInt8] = []

    func encode() -> [UInt8] {
        var out = Self.u32(magic) + Self.u32(version)
        out += Self.u64(declaredTensorCount ?? UInt64(tensorInfos.count))
        out += Self.u64(declaredKeyValueCount ?? UInt64(keyValues.count))
        for pair in keyValues { out += pair }
        for info in tensorInfos { out += info }
        while out.count % alignment != 0 { out.append(0) }
        return out + data
    }

    /// The encoded file as a `.rnnz` (one zstd frame, level 19, checksum, content size).
    func rnnz() throws -> [UInt8] {
        try RnnzWriter.compress(encode())
    }

    // MARK: Encoding pieces

    static func u32(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    static func u64(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// A GGUF string: u64 length, then the bytes (which need not be valid UTF-8).
    static func rawString(_ bytes: [UInt8]) -> [UInt8] {
        u64(UInt64(bytes.count)) + bytes
    }

    /// A typed value: the u32 type tag followed by its encoding.
    struct Value {
        let type: UInt32
        let bytes: [UInt8]
    }

    static func string(_ text: String) -> Value { Value(type: 8, bytes: rawString(Array(text.utf8))) }
    static func u32(_ value: UInt32) -> Value { Value(type: 4, bytes: u32(value)) }

    /// A key–value pair with a UTF-8 key.
    static func pair(_ key: String, _ value: Value) -> [UInt8] {
        rawString(Array(key.utf8)) + u32(value.type) + value.bytes
    }

    /// A tensor info: name, dimension count, dims, type, offset.
    static func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64,
                           dimensionCount: UInt32? = nil) -> [UInt8] {
        var out = rawString(Array(name.utf8)) + u32(dimensionCount ?? UInt32(dims.count))
        for dim in dims { out += u64(dim) }
        return out + u32(type) + u64(offset)
    }
}

/// Compresses with zstd but with the content size left out of the frame header.
func compressWithoutContentSize(_ bytes: [UInt8]) -> [UInt8] {
    let context = ZSTD_createCCtx()!
    defer { ZSTD_freeCCtx(context) }
    ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 0)
    ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
    var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
    let written = output.withUnsafeMutableBytes { destination in
        bytes.withUnsafeBytes { source in
            ZSTD_compress2(context, destination.baseAddress, destination.count, source.baseAddress, source.count)
        }
    }
    precondition(ZSTD_isError(written) == 0, "zstd compression failed in a test helper")
    return Array(output[..<written])
}

/// Decodes a `.rnnz` held in an array.
func decodeRnnz(_ bytes: [UInt8], limit: Int = Rnnz.defaultLimit) throws(RecurError) -> GGUFFile {
    let copy = bytes.withUnsafeBytes { ByteStorage(copying: $0) }
    return try Rnnz.decode(copy.bytes, limit: limit)
}

/// Decodes an uncompressed GGUF held in an array with every Recur check.
func decodeGGUF(_ bytes: [UInt8]) throws(RecurError) -> GGUFFile {
    let copy = bytes.withUnsafeBytes { ByteStorage(copying: $0) }
    return try Rnnz.decodeUncompressed(copy.bytes)
}

/// Expects decoding `rnnz` to throw a RecurError for which `matches` holds.
func expectRefusal(_ rnnz: [UInt8], limit: Int = Rnnz.defaultLimit,
                   sourceLocation: SourceLocation = #_sourceLocation,
                   _ matches: (RecurError) -> Bool) {
    let error = #expect(throws: RecurError.self, sourceLocation: sourceLocation) {
        try decodeRnnz(rnnz, limit: limit)
    }
    if let error {
        #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
    }
}
