import Glibc
import RecurRuntime
import Testing
import TestSupport

/// One `LineReader` result in a comparable form.
enum ReadLine: Equatable, CustomStringConvertible {
    case line(Int, [UInt8])
    case tooLong(Int)

    var description: String {
        switch self {
        case .line(let number, let bytes): return "line \(number): \(bytes)"
        case .tooLong(let number): return "line \(number): too long"
        }
    }
}

/// Reads `reader` to the end.
func readAll(_ reader: LineReader) throws -> [ReadLine] {
    var lines: [ReadLine] = []
    while true {
        switch try reader.next() {
        case .line(let number, let bytes): lines.append(.line(number, Array(bytes)))
        case .tooLong(let number): lines.append(.tooLong(number))
        case .end: return lines
        }
    }
}

/// The obvious reference: split on LF, drop one CR before it, number from 1.
func referenceLines(_ bytes: [UInt8], maxLineLength: Int) -> [ReadLine] {
    var lines: [ReadLine] = []
    var pieces = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
    if bytes.last == 10 || bytes.isEmpty { pieces.removeLast() }
    for (index, piece) in pieces.enumerated() {
        var line = piece
        if line.last == 13 { line.removeLast() }
        lines.append(line.count > maxLineLength ? .tooLong(index + 1) : .line(index + 1, line))
    }
    return lines
}

@Suite("IO: LineReader splits streams into numbered lines")
struct IOLineReaderTests {
    @Test("LF, CRLF, blank lines and a last line without newline")
    func terminators() throws {
        let text = Array("a,b\r\n\n1 2\nlast\r".utf8)
        let lines = try readAll(LineReader(bytes: text))
        #expect(lines == [.line(1, Array("a,b".utf8)), .line(2, []), .line(3, Array("1 2".utf8)), .line(4, Array("last".utf8))])
    }

    @Test("an empty stream has no lines; a lone newline is one blank line")
    func emptyStreams() throws {
        #expect(try readAll(LineReader(bytes: [])) == [])
        #expect(try readAll(LineReader(bytes: [10])) == [.line(1, [])])
        #expect(try readAll(LineReader(bytes: [13, 10, 13, 10])) == [.line(1, []), .line(2, [])])
    }

    @Test("random streams of text, CR, LF, NUL and noise match the reference at every chunk size",
          arguments: [1, 2, 3, 7, 16, 64, 4096])
    func randomStreams(chunkSize: Int) throws {
        var random = SeededGenerator(seed: 0x11E5 &+ UInt64(chunkSize))
        let alphabet: [UInt8] = [10, 10, 13, 0, 0x2C, 0x20, 0x31, 0x41, 0xFF, 0xC3, 0x80]
        for _ in 0..<40 {
            let length = Int.random(in: 0...300, using: &random)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &random) ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            let maxLine = Int.random(in: 0...40, using: &random)
            let reader = LineReader(bytes: bytes, maxLineLength: maxLine, chunkSize: chunkSize)
            #expect(try readAll(reader) == referenceLines(bytes, maxLineLength: maxLine), "bytes \(bytes) max \(maxLine)")
        }
    }

    @Test("a line of exactly the limit is kept, with or without CR; one byte more is too long")
    func limitBoundary() throws {
        let limit = 8
        let exact = [UInt8](repeating: 0x37, count: limit)
        for chunk in [1, 3, 8, 64] {
            let bytes = exact + [10] + exact + [13, 10] + exact + [0x37, 10] + exact + [0x37, 13, 10] + [0x31]
            let lines = try readAll(LineReader(bytes: bytes, maxLineLength: limit, chunkSize: chunk))
            #expect(lines == [.line(1, exact), .line(2, exact), .tooLong(3), .tooLong(4), .line(5, [0x31])], "chunk \(chunk)")
        }
    }

    @Test("a 10 MB line is reported once and skipped in bounded memory; the next line is read")
    func hugeLine() throws {
        var bytes = Array("1,2\n".utf8)
        bytes += [UInt8](repeating: 0x35, count: 10_000_000)
        bytes += Array("\n3,4\n".utf8)
        let reader = LineReader(bytes: bytes)
        #expect(try readAll(reader) == [.line(1, Array("1,2".utf8)), .tooLong(2), .line(3, Array("3,4".utf8))])
        #expect(reader.bufferCapacity <= LineReader.defaultMaxLineLength + 2)
    }

    @Test("an over-long last line without newline is reported")
    func hugeLastLine() throws {
        let bytes = Array("ok\n".utf8) + [UInt8](repeating: 0x35, count: 100)
        #expect(try readAll(LineReader(bytes: bytes, maxLineLength: 10, chunkSize: 7)) == [.line(1, Array("ok".utf8)), .tooLong(2)])
    }

    @Test("reads a pipe through its file descriptor, including a final partial line")
    func pipeSource() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let text = Array("0.5 1\n2\t3\r\nend".utf8)
        #expect(text.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) } == text.count)
        close(ends[1])
        defer { close(ends[0]) }
        let lines = try readAll(LineReader(fd: ends[0], chunkSize: 4))
        #expect(lines == [.line(1, Array("0.5 1".utf8)), .line(2, Array("2\t3".utf8)), .line(3, Array("end".utf8))])
    }

    @Test("a read error surfaces as RecurError.readFailed with errno")
    func readError() {
        let reader = LineReader(fd: -1)
        #expect(throws: RecurError.readFailed(errno: EBADF)) { try reader.next() }
    }
}
