import Glibc
import RecurRuntime
import Testing
import TestSupport

/// Runs `body` with an OutputStream on a pipe and returns every byte it wrote.
func captured(capacity: Int = 64 << 10, _ body: (OutputStream) throws -> Void) throws -> [UInt8] {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    // Keep the test's writes small enough for the pipe buffer (64 KiB), so no reader thread is needed.
    let stream = OutputStream(fd: ends[1], capacity: capacity)
    try body(stream)
    try stream.flush()
    close(ends[1])
    defer { close(ends[0]) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let got = chunk.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        if got <= 0 { break }
        bytes += chunk[0..<got]
    }
    return bytes
}

func capturedText(capacity: Int = 64 << 10, _ body: (OutputStream) throws -> Void) throws -> String {
    String(decoding: try captured(capacity: capacity, body), as: UTF8.self)
}

@Suite("IO: OutputStream writes deterministic text")
struct IOOutputStreamTests {
    @Test("fixed decimals: rounding half to even on the scaled value, no negative zero", arguments: [
        (Float(0.97), 4, "0.9700"), (0, 4, "0.0000"), (-0.0, 4, "0.0000"), (-0.00001, 4, "0.0000"),
        (1, 4, "1.0000"), (-2.5, 0, "-2"), (3.5, 0, "4"), (0.125, 2, "0.12"), (123456.789, 4, "123456.7891"),
        (-7.25, 1, "-7.2"), (1e-7, 9, "0.000000100"), (16777216, 0, "16777216"),
        (3.4028235e38, 4, "3.4028e+38"), (-1e20, 2, "-1.00e+20"), (9.999999e17, 1, "1.0e+18"),
    ])
    func fixedDecimals(value: Float, decimals: Int, expected: String) throws {
        #expect(try capturedText { $0.write(value, decimals: decimals) } == expected)
    }

    @Test("NaN and infinities have fixed spellings")
    func nonFinite() throws {
        #expect(try capturedText {
            $0.write(Float.nan, decimals: 4); $0.write(byte: 32)
            $0.write(Float.infinity, decimals: 4); $0.write(byte: 32)
            $0.write(-Float.infinity, decimals: 4)
        } == "nan inf -inf")
    }

    @Test("seeded random floats print within half a unit of the last decimal")
    func randomAccuracy() throws {
        var random = SeededGenerator(seed: 0x0D1617)
        let values = (0..<2000).map { _ in random.uniform(-1000, 1000) }
        let text = try capturedText { stream in
            for value in values {
                stream.write(value, decimals: 4)
                stream.write(byte: 10)
            }
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count == values.count)
        for (value, line) in zip(values, lines) {
            let parts = line.split(separator: ".")
            #expect(parts.count == 2 && parts[1].count == 4, "\(line)")
            let printed = strtod(String(line), nil)
            #expect(abs(printed - Double(value)) <= 0.5e-4 + 1e-12, "\(value) printed as \(line)")
        }
    }

    @Test("integers, including the extremes")
    func integers() throws {
        #expect(try capturedText { s in
            for value in [0, 7, -42, 1_000_000, Int.max, Int.min] { s.write(value); s.write(byte: 32) }
        } == "0 7 -42 1000000 9223372036854775807 -9223372036854775808 ")
    }

    @Test("JSON strings escape quotes, backslashes and control characters, and keep UTF-8")
    func json() throws {
        #expect(try capturedText { $0.writeJSONString("WALK \"fast\"\\\n\t\r\u{01}\u{7F}é") }
            == "\"WALK \\\"fast\\\"\\\\\\n\\t\\r\\u0001\\u007fé\"")
    }

    @Test("flushLine ends the line and delivers it; writes larger than the buffer pass through whole")
    func buffering() throws {
        let big = [UInt8](repeating: 0x61, count: 1000)
        let bytes = try captured(capacity: 64) { stream in
            stream.write("head")
            try stream.flushLine()
            big.withUnsafeBytes { stream.write($0) }
            for _ in 0..<100 { stream.write("xy") }
        }
        #expect(bytes == Array("head\n".utf8) + big + Array(repeating: Array("xy".utf8), count: 100).flatMap { $0 })
    }

    @Test("a closed reader is reported as outputClosed (EPIPE), not a crash")
    func brokenPipe() throws {
        OutputStream.ignoreBrokenPipeSignal()
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let stream = OutputStream(fd: ends[1])
        stream.write("lost")
        #expect(throws: RecurError.outputClosed) { try stream.flushLine() }
        // The error is sticky: later flushes report it again.
        stream.write("more")
        #expect(throws: RecurError.outputClosed) { try stream.flush() }
    }

    @Test("another write error is writeFailed with errno")
    func badDescriptor() {
        let stream = OutputStream(fd: -1)
        stream.write("x")
        #expect(throws: RecurError.writeFailed(errno: EBADF)) { try stream.flush() }
    }
}
