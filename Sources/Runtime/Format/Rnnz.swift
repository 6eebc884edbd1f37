import CZstd

/// The `.rnnz` container: one zstd frame around a GGUF v3 file with Recur's header keys.
///
/// ```
/// .rnnz = zstd frame (magic 28 B5 2F FD, content size recorded, content checksum)
///         └── content: GGUF v3 (see GGUFFile) with general.architecture = "recur"
///                      and recur.format_version <= Rnnz.formatVersion
/// ```
public enum Rnnz {
    /// The newest `recur.format_version` this reader understands.
    public static let formatVersion: UInt32 = 1
    /// Default ceiling on the decompressed size: 256 MiB.
    public static let defaultLimit = 256 << 20

    /// zstd's frame magic number, little-endian in the first four bytes.
    private static let zstdMagic: UInt32 = 0xFD2F_B528
    /// `ZSTD_CONTENTSIZE_UNKNOWN` and `ZSTD_CONTENTSIZE_ERROR` (C macros Swift does not import).
    private static let contentSizeUnknown = UInt64.max
    private static let contentSizeError = UInt64.max - 1

    /// Decompresses and validates a `.rnnz` file.
    ///
    /// Checks, in order: the zstd frame (magic, recorded content size, size ≤ `limit`, no bytes
    /// after the frame, content checksum), the GGUF structure (``GGUFFile/init(parsing:)``), the
    /// Recur header (`general.architecture == "recur"`, `recur.format_version ≤ formatVersion`)
    /// and that no I8 tensor holds -128.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - limit: the largest decompressed size accepted, in bytes.
    /// - Throws: the ``RecurError`` naming the first problem found.
    /// - Complexity: O(decompressed size); memory is bounded by `limit`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, limit: Int = defaultLimit) throws(RecurError) -> GGUFFile {
        let storage = try decompress(bytes, limit: limit)
        let file = try GGUFFile(parsing: storage)
        try checkRecurHeader(file)
        try checkInt8Range(file)
        return file
    }

    /// Validates an uncompressed GGUF file (a `.rnnz` after `zstd -d`) with every check of
    /// ``decode(_:limit:)`` except the zstd ones. The bytes are copied into aligned storage.
    public static func decodeUncompressed(_ bytes: UnsafeRawBufferPointer) throws(RecurError) -> GGUFFile {
        let file = try GGUFFile(parsing: ByteStorage(copying: bytes))
        try checkRecurHeader(file)
        try checkInt8Range(file)
        return file
    }

    /// Decompresses the single zstd frame in `bytes` into 64-byte-aligned storage.
    public static func decompress(_ bytes: UnsafeRawBufferPointer, limit: Int = defaultLimit) throws(RecurError) -> ByteStorage {
        guard bytes.count >= 4, let source = bytes.baseAddress,
              UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) == zstdMagic
        else {
            throw .notZstdFrame
        }
        let declared = ZSTD_getFrameContentSize(source, bytes.count)
        if declared == contentSizeError {
            throw .decompressionFailed("the zstd frame header is incomplete or invalid")
        }
        if declared == contentSizeUnknown {
            throw .frameWithoutContentSize
        }
        guard declared <= UInt64(max(limit, 0)) else {
            throw .contentTooLarge(size: declared, limit: UInt64(max(limit, 0)))
        }
        let frameSize = ZSTD_findFrameCompressedSize(source, bytes.count)
        if ZSTD_isError(frameSize) != 0 {
            throw .decompressionFailed(errorName(frameSize))
        }
        if frameSize < bytes.count {
            throw .trailingBytes(count: bytes.count - frameSize)
        }
        let contentSize = Int(declared)
        return try ByteStorage(count: contentSize) { (destination: UnsafeMutableRawBufferPointer) throws(RecurError) in
            guard let context = ZSTD_createDCtx() else {
                throw .decompressionFailed("cannot allocate a decompression context")
            }
            defer { ZSTD_freeDCtx(context) }
            let written = ZSTD_decompressDCtx(context, destination.baseAddress, contentSize, source, frameSize)
            if ZSTD_isError(written) != 0 {
                if ZSTD_getErrorCode(written) == ZSTD_error_checksum_wrong {
                    throw .checksumMismatch
                }
                throw .decompressionFailed(errorName(written))
            }
            guard written == contentSize else {
                throw .decompressionFailed("frame declared \(contentSize) bytes but held \(written)")
            }
        }
    }

    /// Checks `general.architecture` and `recur.format_version`.
    public static func checkRecurHeader(_ file: GGUFFile) throws(RecurError) {
        let architecture = try file.string("general.architecture")
        guard architecture == "recur" else {
            throw .wrongArchitecture(found: architecture)
        }
        let version = try file.uint32("recur.format_version")
        guard version <= formatVersion else {
            throw .formatVersionTooNew(found: version, supported: formatVersion)
        }
    }

    /// Fails on the first I8 element equal to -128 (the contract's range is [-127, 127]).
    public static func checkInt8Range(_ file: GGUFFile) throws(RecurError) {
        for info in file.tensors where info.type == .i8 {
            let bytes = file.tensorBytes(info)
            for index in 0..<bytes.count where bytes[index] == 0x80 {
                throw .int8OutOfRange(tensor: info.name, index: index)
            }
        }
    }

    private static func errorName(_ code: Int) -> String {
        guard let name = ZSTD_getErrorName(code) else {
            return "zstd error \(code)"
        }
        return String(cString: name)
    }
}
