import Foundation
import Glibc
import RecurRuntime
import Testing
import TestSupport
@testable import Trainer

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

    /// The failure the hook injects.
    struct InjectedFailure: Error, Equatable {}

    @Test("a failure after the temporary file is complete leaves the old file and no temporary file")
    func failureBeforeRename() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.rnnz"
        try RnnzWriter.write(Self.smallGGUF(name: "first"), to: path)
        let second = try RnnzWriter.compress(Self.smallGGUF(name: "second"))
        var temporaryPath = ""
        var temporaryContents: [UInt8] = []
        #expect(throws: InjectedFailure()) {
            try RnnzWriter.writeAtomically(second, to: path) { temporary in
                temporaryPath = temporary
                temporaryContents = [UInt8](try Data(contentsOf: URL(fileURLWithPath: temporary)))
                throw InjectedFailure()
            }
        }
        // The hook saw a complete temporary file beside the target...
        #expect(temporaryPath.hasPrefix(directory + "/.model.rnnz.tmp-"))
        #expect(temporaryContents == second)
        // ...which is gone, and the target still holds the first model.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.rnnz"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try decodeRnnz(bytes).value("general.name") == .string("first"))
    }

    @Test("a rename that fails (the target is a directory) names rename and EISDIR and removes the temporary file")
    func renameFailure() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.rnnz"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + "/inside"))
        let error = #expect(throws: RnnzWriter.WriteError.self) {
            try RnnzWriter.write(Self.smallGGUF(name: "x"), to: path)
        }
        #expect(error?.operation.hasPrefix("rename ") == true)
        #expect(error?.path == path)
        #expect(error?.errno == EISDIR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.rnnz"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["inside"])
    }

    @Test("a write that fails midway (file size limit, EFBIG) leaves the old file and no temporary file")
    func failureMidWrite() async {
        // In a child process, because the file size limit applies to the whole process.
        await #expect(processExitsWith: .success) {
            let directory = try FormatWriterTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/model.rnnz"
            try RnnzWriter.write(FormatWriterTests.smallGGUF(name: "old"), to: path)
            let old = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))

            // A new model whose frame is larger than the limit: random tensor data hardly compresses.
            var rng = SeededGenerator(seed: 5)
            var builder = GGUFBuilder()
            builder.set("general.architecture", .string("recur"))
            builder.set("recur.format_version", .uint32(1))
            builder.addF32(name: "noise", rng.uniforms(4096))
            let limit = rlim_t(old.count + 4096)
            var size = rlimit(rlim_cur: limit, rlim_max: limit)
            signal(SIGXFSZ, SIG_IGN)  // get EFBIG from write(2) instead of a signal
            guard setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &size) == 0 else { exit(10) }

            do {
                try RnnzWriter.write(builder.encode(), to: path)
                exit(11)  // the write should have failed
            } catch let error as RnnzWriter.WriteError {
                guard error.operation == "write", error.errno == EFBIG else { exit(12) }
            }
            guard try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.rnnz"] else { exit(13) }
            guard [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == old else { exit(14) }
        }
    }
}
