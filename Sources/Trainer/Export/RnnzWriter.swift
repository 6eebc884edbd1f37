import CZstd
import Glibc
import RecurRuntime

/// Writes `.rnnz` files: a GGUF file compressed as one zstd frame, written atomically.
public enum RnnzWriter {
    /// The path of a model's unquantized twin: `model.rnnz` → `model.f32.rnnz` (`.f32.rnnz` appended
    /// to a path without `.rnnz`).
    public static func f32TwinPath(_ out: String) -> String {
        (out.hasSuffix(".rnnz") ? String(out.dropLast(5)) : out) + ".f32.rnnz"
    }

    /// The zstd level writers use (FORMAT.md).
    public static let compressionLevel: Int32 = 19

    /// A failure to compress or write, naming the path and the system's errno.
    public struct WriteError: Error, CustomStringConvertible, Equatable {
        /// What was being done ("compress", "open", "write", "fsync", "rename", ...).
        public let operation: String
        /// The file concerned (empty for compression).
        public let path: String
        /// `errno`, or 0 when not a system call failure.
        public let errno: Int32
        /// Extra detail (zstd's message).
        public let detail: String

        public var description: String {
            var text = "cannot \(operation)"
            if !path.isEmpty { text += " \(path)" }
            if errno != 0 { text += ": \(String(cString: strerror(errno))) (errno \(errno))" }
            if !detail.isEmpty { text += ": \(detail)" }
            return text
        }
    }

    /// Compresses `gguf` into one zstd frame at level 19 with the content size recorded and
    /// the content checksum on.
    public static func compress(_ gguf: [UInt8]) throws -> [UInt8] {
        guard let context = ZSTD_createCCtx() else {
            throw WriteError(operation: "compress", path: "", errno: 0, detail: "cannot allocate a zstd context")
        }
        defer { ZSTD_freeCCtx(context) }
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, compressionLevel))
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1))
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(gguf.count))
        let written = output.withUnsafeMutableBytes { destination in
            gguf.withUnsafeBytes { source in
                ZSTD_compress2(context, destination.baseAddress, destination.count, source.baseAddress, source.count)
            }
        }
        try check(written)
        output.removeSubrange(written...)
        return output
    }

    /// Compresses `gguf` and writes it to `path` atomically: a temporary file in the same
    /// directory, fsync, rename over `path`, fsync of the directory. On failure the temporary
    /// file is removed and `path` is untouched.
    public static func write(_ gguf: [UInt8], to path: String) throws {
        try writeAtomically(try compress(gguf), to: path)
    }

    /// Writes `bytes` to `path` atomically (see ``write(_:to:)``).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        try writeAtomically(bytes, to: path, beforeRename: { _ in })
    }

    /// ``writeAtomically(_:to:)`` with a hook called with the temporary file's path after it
    /// was written and synced, just before the rename; tests make it throw to prove that a
    /// failure at that point removes the temporary file and leaves `path` as it was.
    static func writeAtomically(_ bytes: [UInt8], to path: String,
                                beforeRename: (String) throws -> Void) throws {
        let directory: String
        let name: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
            name = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            name = path
        }
        let temporary = (directory == "/" ? "" : directory) + "/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WriteError(operation: "create", path: temporary, errno: errno, detail: "")
        }
        var closed = false
        do {
            try bytes.withUnsafeBytes { buffer in
                var done = 0
                while done < buffer.count {
                    let result = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                    if result < 0 {
                        if errno == EINTR { continue }
                        throw WriteError(operation: "write", path: temporary, errno: errno, detail: "")
                    }
                    done += result
                }
            }
            guard fsync(descriptor) == 0 else {
                throw WriteError(operation: "fsync", path: temporary, errno: errno, detail: "")
            }
            closed = true
            guard close(descriptor) == 0 else {
                throw WriteError(operation: "close", path: temporary, errno: errno, detail: "")
            }
            try beforeRename(temporary)
            guard rename(temporary, path) == 0 else {
                throw WriteError(operation: "rename \(temporary) to", path: path, errno: errno, detail: "")
            }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
        // The rename is durable only once the directory entry is on disk.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else {
            throw WriteError(operation: "open directory", path: directory, errno: errno, detail: "")
        }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else {
            throw WriteError(operation: "fsync directory", path: directory, errno: errno, detail: "")
        }
    }

    /// Turns a zstd status into a thrown error.
    private static func check(_ code: Int) throws {
        if ZSTD_isError(code) != 0 {
            throw WriteError(operation: "compress", path: "", errno: 0, detail: String(cString: ZSTD_getErrorName(code)))
        }
    }
}
