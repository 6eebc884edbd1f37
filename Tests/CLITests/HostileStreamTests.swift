import Foundation
import RecurRuntime
import Testing
import TestSupport

/// recur-run on hostile input: every malformed line is reported on stderr with
/// its line number and skipped without shifting the results (exit 0), or stops a
/// `--strict` run with exit code 65; nothing crashes or hangs.
@Suite("recur-run hostile streams")
struct HostileStreamTests {
    typealias Fixture = FrameStreamTests.Fixture

    /// Frames 0..<n as text, with `bad` inserted as line `after + 1`.
    static func stream(_ frames: [[Float]], inserting bad: [UInt8], after: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for (i, frame) in frames.enumerated() {
            if i == after {
                bytes += bad
                bytes.append(10)
            }
            bytes += Array(frame.map { "\($0)" }.joined(separator: ",").utf8)
            bytes.append(10)
        }
        return bytes
    }

    /// Runs the stream with one bad line at line 5 (non-strict and strict) and checks
    /// the message, the exit codes and that the results equal those of the clean stream.
    func check(_ bad: [UInt8], message: String, file: Fixture) throws {
        let frames = FrameStreamTests.frames(24, width: 3, seed: 21)
        let input = Self.stream(frames, inserting: bad, after: 4)
        let clean = try RecurRunProcess.run([file.path], stdin: Array(FrameStreamTests.text(frames).utf8))

        let lenient = try RecurRunProcess.run([file.path], stdin: input)
        #expect(!lenient.signaled, "no crash")
        #expect(lenient.status == 0)
        #expect(lenient.errLines.first == "recur-run: line 5: \(message)", "stderr: \(lenient.err)")
        #expect(lenient.errLines.last == "recur-run: skipped 1 malformed of 25 lines")
        #expect(lenient.out == clean.out, "the bad line shifts no result")
        #expect(!lenient.out.isEmpty)

        let strict = try RecurRunProcess.run([file.path, "--strict"], stdin: input)
        #expect(!strict.signaled)
        #expect(strict.status == 65)
        #expect(strict.errLines == ["recur-run: line 5: \(message) (stopping: --strict)"])
        #expect(clean.out.hasPrefix(strict.out), "results before the bad line are written")
    }

    @Test("wrong column counts: too few and too many values")
    func wrongCounts() throws {
        let file = try Fixture(.classifier())
        try check(Array("1.5,2.5".utf8), message: "expected 3 numbers, found 2", file: file)
        try check(Array("1 2 3 4".utf8), message: "expected 3 numbers, found 4", file: file)
        try check(Array("1,,3".utf8), message: "field 2 is empty", file: file)
    }

    @Test("letters, NaN and infinity, out-of-range numbers")
    func notNumbers() throws {
        let file = try Fixture(.classifier())
        try check(Array("1,abc,3".utf8), message: "field 2 is not a number: \"abc\"", file: file)
        try check(Array("NaN,1,2".utf8), message: "field 1 is not finite: \"NaN\"", file: file)
        try check(Array("1,2,-inf".utf8), message: "field 3 is not finite: \"-inf\"", file: file)
        try check(Array("1,2,1e39".utf8), message: "field 3 is out of the float range: \"1e39\"", file: file)
    }

    @Test("invalid UTF-8 is named with its byte offset")
    func invalidUTF8() throws {
        let file = try Fixture(.classifier())
        try check([0x31, 0x2C, 0x32, 0x2C, 0xFF, 0x33], message: "invalid UTF-8 at byte 4", file: file)
        try check([0x31, 0x2C, 0xC3, 0x28, 0x2C, 0x33], message: "invalid UTF-8 at byte 2", file: file)
    }

    @Test("a 10 MB line is skipped in bounded memory and named as too long")
    func hugeLine() throws {
        let file = try Fixture(.classifier())
        let huge = [UInt8](repeating: 0x37, count: 10 << 20)
        try check(huge, message: "line longer than 1048576 bytes, skipped", file: file)
    }

    @Test("binary noise: no crash, every bad line reported up to a cap, then counted; strict stops at the first")
    func binaryNoise() throws {
        let file = try Fixture(.classifier())
        var rng = SeededGenerator(seed: 22)
        let noise = (0..<(256 << 10)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let outcome = try RecurRunProcess.run([file.path], stdin: noise)
        #expect(!outcome.signaled)
        #expect(outcome.status == 0)
        let lines = outcome.errLines
        let noiseLines = noise.split(separator: 10, omittingEmptySubsequences: false).count
        #expect(lines.count <= 103, "at most 100 messages, a cap note, the summary (and a note on no results)")
        #expect(lines.contains("recur-run: further malformed lines are skipped without a message each"))
        #expect(lines.contains { $0.hasPrefix("recur-run: skipped ") && $0.hasSuffix(" of \(noiseLines) lines") })
        for line in lines.prefix(100) {
            #expect(line.hasPrefix("recur-run: line "), "each message names its line: \(line)")
        }

        let strict = try RecurRunProcess.run([file.path, "--strict"], stdin: noise)
        #expect(strict.status == 65)
        #expect(strict.errLines.count == 1)
        #expect(strict.errLines.first?.hasSuffix("(stopping: --strict)") == true)
    }

    @Test("an empty stream: no output, exit 0, a note on stderr")
    func emptyStream() throws {
        let file = try Fixture(.classifier())
        let outcome = try RecurRunProcess.run([file.path], stdin: [])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.errLines == ["recur-run: no frames on stdin, no results"])

        let short = try RecurRunProcess.run([file.path], stdin: Array("1,2,3\n4,5,6\n".utf8))
        #expect(short.status == 0)
        #expect(short.stdout.isEmpty)
        #expect(short.errLines == ["recur-run: 2 frames, no completed window (window 8, hop 4)"])
    }

    @Test("stdin that cannot be read (a directory) exits 70 naming the errno")
    func unreadableInput() throws {
        let file = try Fixture(.classifier())
        let directory = try TemporaryDirectory()
        let outcome = try RecurRunProcess.run([file.path], stdinFile: directory.url.path)
        #expect(!outcome.signaled)
        #expect(outcome.status == 70)
        #expect(outcome.errLines == ["recur-run: reading the input failed (errno 21)"])
    }
}
