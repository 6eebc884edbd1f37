import Foundation
import RecurRuntime

/// Reading model files into memory with a clear error.
public enum ModelFile {
    /// The whole file; at most `limit` bytes.
    public static func read(_ path: String, limit: Int = 256 << 20) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ExportError.unreadable(path: path) }
        defer { try? handle.close() }
        guard let data = try handle.read(upToCount: limit + 1) else { return [] }
        if data.count > limit { throw ExportError.unreadable(path: "\(path) (larger than \(limit) bytes)") }
        return [UInt8](data)
    }

    /// The validated GGUF of the `.rnnz` file at `path`.
    public static func load(_ path: String) throws -> GGUFFile {
        try decode(try read(path))
    }

    /// The GGUF inside `.rnnz` bytes, checked by the Runtime's reader (it copies what it keeps).
    public static func decode(_ bytes: [UInt8]) throws(RecurError) -> GGUFFile {
        let result: Result<GGUFFile, RecurError> = bytes.withUnsafeBytes { raw in
            do throws(RecurError) { return .success(try Rnnz.decode(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
