import Foundation
import Runtime
import Testing
import Trainer

/// RnnzWriter: the frame carries content size and checksum, files are replaced atomically,
/// and failures name the path and errno without leaving a temporary file behind.
@Suite("Format writer")
struct FormatWriterTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "recur-format-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func smallGGUF(name: String) -> [UInt8] {
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("general.name", .string(name))
        builder.set("recur.format_version", .uint32(1))
        builder.addF32(name: "v", [1, 2, 3])
        return builder.encode()
    }

    @Test("the frame header has the checksum and content-size flags set (FORMAT.md)")
    func frameFlags() throws {
        let gguf = Self.smallGGUF(name: "flags")
        let frame = try RnnzWriter.compress(gguf)
        #expect(Array(frame.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        // Frame header descriptor: bit 2 = content checksum; bits 6-7 = content-size field size
        // (0 means present only with the single-segment flag, bit 5).
        let descriptor = frame[4]
        #expect(descriptor & 0x04 != 0, "content checksum flag")
        #expect(descriptor & 0xC0 != 0 || descriptor & 0x20 != 0, "content size recorded")
        #expect(try decodeRnnz(frame).value("general.name") == .string("flags"))
    }

    @Test("write replaces the file atomically and leaves no temporary file")
    func atomicWrite() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.rnnz"
        try RnnzWriter.write(Self.smallGGUF(name: "first"), to: path)
        try RnnzWriter.write(Self.smallGGUF(name: "second"), to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try decodeRnnz(bytes).value("general.name") == .string("second"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.rnnz"])
    }

    @Test("a write into a missing directory names the path and errno ENOENT")
    func failureNamesPath() throws {
        let path = "/nonexistent-recur-dir/model.rnnz"
        let error = #expect(throws: RnnzWriter.WriteError.self) {
            try RnnzWriter.write(Self.smallGGUF(name: "x"), to: path)
        }
        #expect(error?.errno == ENOENT)
        #expect(error?.path.hasPrefix("/nonexistent-recur-dir/.model.rnnz.tmp-") == true)
        #expect(error?.description.contains("No such file or directory") == true)
    }
}
