import CPlatform

/// Reads whole files through the C platform shim (no Foundation).
public enum FileContents {
    /// Calls `body` with the bytes of the file at `path`, then releases them.
    ///
    /// The file is read in one piece, at most `limit` bytes; directories and larger
    /// files are refused. The buffer is valid only inside `body`.
    ///
    /// - Throws: `RecurError.fileUnreadable(path:errno:)` with the system's errno
    ///   (ENOENT, EACCES, EISDIR for a directory, EFBIG above `limit`, ...), or whatever
    ///   `body` throws.
    public static func withBytes<Result>(
        ofFile path: String, limit: Int,
        _ body: (UnsafeRawBufferPointer) throws(RecurError) -> Result
    ) throws(RecurError) -> Result {
        var bytes: UnsafeMutablePointer<UInt8>? = nil
        var length = 0
        let status = path.withCString { cPath in
            rp_read_file(cPath, &bytes, &length, max(limit, 0))
        }
        guard status == 0 else { throw .fileUnreadable(path: path, errno: status) }
        defer { rp_free(bytes) }
        return try body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// The bytes of the file at `path` as an array (see `withBytes`).
    public static func bytes(ofFile path: String, limit: Int) throws(RecurError) -> [UInt8] {
        try withBytes(ofFile: path, limit: limit) { (bytes) throws(RecurError) -> [UInt8] in
            Array(bytes)
        }
    }
}
