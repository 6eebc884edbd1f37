import Foundation

/// Writes a file so that readers see the old content or the new, never a mixture:
/// a temporary file beside the target, `fsync`, then `rename` over the target.
enum AtomicFile {
    /// - Throws: `CheckpointError.writeFailed` with the path and `strerror(errno)`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure(temporary) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Foundation.write(fd, raw.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure(temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        if fsync(fd) != 0 {
            let error = failure(temporary)
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        if rename(temporary, path) != 0 {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
    }

    private static func failure(_ path: String) -> CheckpointError {
        .writeFailed(path: path, reason: String(cString: strerror(errno)))
    }
}
