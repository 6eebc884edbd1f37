import Foundation
import Testing

/// recur-run on the committed memory_qa golden file (Tests/RuntimeTests/Fixtures/memory-golden.rnnz):
/// answers per question line, --json, story breaks, an over-long line, random bytes, --info and
/// --verify (docs/MEMORY.md, "recur-run").
@Suite struct MemoryRunTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RuntimeTests/Fixtures/memory-golden.rnnz").path

    func run(_ arguments: [String], _ input: String) throws -> RecurRunProcess.Outcome {
        try RecurRunProcess.run([Self.golden] + arguments, stdin: Array(input.utf8))
    }

    @Test func oneAnswerLinePerQuestion() throws {
        let story = "1 Anna went to the attic.\n2 Bert went to the porch.\n3 Where is Anna?\tattic\t1\n"
            + "Where is Bert?\n\nWhere is Anna?\n"
        let plain = try run([], story)
        #expect(plain.status == 0)
        #expect(plain.outLines.count == 3)
        #expect(plain.outLines.allSatisfy { !$0.isEmpty && !$0.contains(" ") })
        let json = try run(["--json"], story)
        #expect(json.status == 0)
        #expect(json.outLines.count == 3)
        #expect(json.outLines[0].hasPrefix("{\"line\": 3, \"answer\": \"\(plain.outLines[0])\", \"p\": "))
        #expect(json.outLines[2].hasPrefix("{\"line\": 6, "))
    }

    @Test func overLongLinesAreReportedAndKeepAnswersAligned() throws {
        // The golden model takes at most 8 words a line.
        let long = "Anna went to the attic and then to the porch."
        let outcome = try run([], "\(long)\nWhere is Anna and Bert and the attic now?\nWhere is Anna?\n"
            + String(repeating: "x", count: 5000) + "\nWhere is Bert?\n")
        #expect(outcome.status == 0)
        #expect(outcome.outLines.count == 3)
        #expect(outcome.outLines[0] == "")
        #expect(!outcome.outLines[1].isEmpty && !outcome.outLines[2].isEmpty)
        #expect(outcome.errLines == [
            "recur-run: line 1: 10 words, over the model's limit of 8; ignored",
            "recur-run: line 2: 9 words, over the model's limit of 8; ignored",
            "recur-run: line 4: longer than 4096 bytes; skipped",
        ])
    }

    @Test func randomBytes() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes: [UInt8] = []
        for _ in 0..<20000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        let outcome = try RecurRunProcess.run([Self.golden], stdin: bytes)
        #expect(outcome.status == 0)
        #expect(!outcome.signaled)
    }

    @Test func infoAndVerify() throws {
        let info = try run(["--info"], "")
        #expect(info.status == 0)
        #expect(info.out.contains("task: memory_qa") && info.out.contains("memory: the last 4 sentences"))
        #expect(info.out.contains("vocabulary: 10 words") && !info.out.contains("layers:"))
        let verify = try run(["--verify"], "")
        #expect(verify.status == 0)
        #expect(verify.out.hasPrefix("verify: OK, 2 self-tests, 20 values bit-identical (kernels none, scalar Swift;"))
        let wrong = try run(["--generate", "5"], "")
        #expect(wrong.status != 0)
    }
}
