import Glibc
import RecurRuntime
import Testing

/// A fresh temporary directory for one test.
func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/recur-io-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
}

/// Writes `bytes` to `path` (test setup only).
func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

@Suite("IO: FileContents reads whole files within a limit")
struct IOFileContentsTests {
    @Test("reads a file exactly at the limit, and an empty file")
    func reads() throws {
        let directory = makeTemporaryDirectory()
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        writeFile(directory + "/model.rnnz", bytes)
        #expect(try FileContents.bytes(ofFile: directory + "/model.rnnz", limit: 1000) == bytes)
        writeFile(directory + "/empty", [])
        #expect(try FileContents.bytes(ofFile: directory + "/empty", limit: 10) == [])
    }

    @Test("refuses a file over the limit with EFBIG, a directory with EISDIR, a missing file with ENOENT")
    func refuses() {
        let directory = makeTemporaryDirectory()
        writeFile(directory + "/big", [UInt8](repeating: 1, count: 1001))
        #expect(throws: RecurError.fileUnreadable(path: directory + "/big", errno: EFBIG)) {
            try FileContents.bytes(ofFile: directory + "/big", limit: 1000)
        }
        #expect(throws: RecurError.fileUnreadable(path: directory, errno: EISDIR)) {
            try FileContents.bytes(ofFile: directory, limit: 1000)
        }
        #expect(throws: RecurError.fileUnreadable(path: directory + "/none", errno: ENOENT)) {
            try FileContents.bytes(ofFile: directory + "/none", limit: 1000)
        }
    }

    @Test("a pipe-like file without a size (/proc) is read up to the limit")
    func unsizedFiles() throws {
        let status = try FileContents.bytes(ofFile: "/proc/self/status", limit: 1 << 20)
        #expect(String(decoding: status, as: UTF8.self).hasPrefix("Name:"))
        #expect(throws: RecurError.fileUnreadable(path: "/proc/self/status", errno: EFBIG)) {
            try FileContents.bytes(ofFile: "/proc/self/status", limit: 8)
        }
    }
}
