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
    /// Checks, in order: the zstd frame (magic, complete header, recorded content size,
    /// size ≤ `limit`, frame not cut short, no bytes after the frame, content checksum), the
    /// GGUF structure (``GGUFFile/init(parsing:)``), the Recur header
    /// (`general.architecture == "recur"`, `recur.format_version ≤ formatVersion`) and that no
    /// I8 tensor holds -128.
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
        if bytes.count < frameHeaderSize(bytes) {
            throw .frameTruncated(available: bytes.count)
        }
        let declared = ZSTD_getFrameContentSize(source, bytes.count)
        if declared == contentSizeError {
            throw .decompressionFailed("the zstd frame header is invalid")
        }
        if declared == contentSizeUnknown {
            throw .frameWithoutContentSize
        }
        guard declared <= UInt64(max(limit, 0)) else {
            throw .contentTooLarge(size: declared, limit: UInt64(max(limit, 0)))
        }
        let frameSize = ZSTD_findFrameCompressedSize(source, bytes.count)
        if ZSTD_isError(frameSize) != 0 {
            if ZSTD_getErrorCode(frameSize) == ZSTD_error_srcSize_wrong {
                throw .frameTruncated(available: bytes.count)
            }
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
                if ZSTD_getErrorCode(written) == ZSTD_error_dstSize_tooSmall {
                    throw .decompressionFailed("the frame holds more than its declared content size of \(contentSize) bytes")
                }
                throw .decompressionFailed(errorName(written))
            }
            guard written == contentSize else {
                throw .decompressionFailed("frame declared \(contentSize) bytes but held \(written)")
            }
        }
    }

    /// The size of the zstd frame header that starts `bytes` (which begin with the zstd magic),
    /// from its frame header descriptor (RFC 8878, 3.1.1.1); 5 when even the descriptor is missing.
    ///
    /// ```
    /// magic 4 | descriptor 1 | window descriptor 0/1 | dictionary id 0/1/2/4 | content size 0/1/2/4/8
    /// descriptor bits: 7-6 content-size flag, 5 single segment, 2 checksum, 1-0 dictionary-id flag
    /// ```
    /// The window descriptor is absent in single-segment frames; the content size field is
    /// 1 << flag bytes, except flag 0, which means 1 byte when single-segment and none otherwise.
    public static func frameHeaderSize(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count >= 5 else { return 5 }
        let descriptor = bytes[4]
        let singleSegment = descriptor & 0x20 != 0
        let contentSizeFlag = Int(descriptor >> 6)
        let dictionaryIDSizes = [0, 1, 2, 4]
        let contentSizeBytes = contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : 1 << contentSizeFlag
        return 5 + (singleSegment ? 0 : 1) + dictionaryIDSizes[Int(descriptor & 0x03)] + contentSizeBytes
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
