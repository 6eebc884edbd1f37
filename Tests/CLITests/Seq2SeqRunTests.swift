import Foundation
import RecurRuntime
import Testing

/// recur-run on a seq2seq model (the committed golden file of the runtime tests):
/// line mode, --nbest, --json, sampling and the lines it must skip, each against
/// the same computation done in-process with the Runtime.
@Suite("recur-run seq2seq")
struct Seq2SeqRunTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RuntimeTests/Fixtures/seq2seq-golden.rnnz").path

    static func translator(beamWidth: Int = 1) throws -> Translator {
        try Model(contentsOf: path).makeTranslator(beamWidth: beamWidth)
    }

    static func run(_ arguments: [String], _ input: String) throws -> RecurRunProcess.Outcome {
        try RecurRunProcess.run([path] + arguments, stdin: Array(input.utf8))
    }

    @Test("line mode: one greedy translation per input line, as the Runtime gives in-process; CRLF accepted")
    func lineMode() throws {
        let lines = ["24+654", "1+1", "999+999", "7"]
        let outcome = try Self.run([], lines.joined(separator: "\n") + "\r\n")
        #expect(outcome.status == 0, "\(outcome.err)")
        #expect(outcome.err.isEmpty)
        let translator = try Self.translator()
        let expected = try lines.map { try translator.targetTokenizer.decode(translator.greedy(translator.tokenize($0).ids).tokens) }
        #expect(outcome.outLines == expected)
    }

    @Test("--nbest N --beam K: N lines '<score>\\t<text>' per input line, best first, then an empty line")
    func nBest() throws {
        let lines = ["24+654", "1+1"]
        let outcome = try Self.run(["--beam", "3", "--nbest", "2", "--alpha", "0.5"], lines.joined(separator: "\n") + "\n")
        #expect(outcome.status == 0, "\(outcome.err)")
        let translator = try Self.translator(beamWidth: 3)
        var expected: [String] = []
        for line in lines {
            let results = try translator.beam(translator.tokenize(line).ids, width: 3, alpha: 0.5, best: 2)
            #expect(results.count == 2)
            for result in results {
                expected.append(String(format: "%.6f", result.score) + "\t" + translator.targetTokenizer.decode(result.tokens))
            }
            expected.append("")
        }
        #expect(outcome.outLines == expected)
        // --nbest alone searches a beam of N.
        let alone = try Self.run(["--nbest", "3"], "1+1\n")
        let best = try translator.beam(translator.tokenize("1+1").ids, width: 3, best: 3)
        #expect(alone.outLines.count == 4)
        #expect(alone.outLines.first == String(format: "%.6f", best[0].score) + "\t" + translator.targetTokenizer.decode(best[0].tokens))
    }

    @Test("lines that cannot be translated are reported with their number and skipped, output kept aligned")
    func skippedLines() throws {
        let input = "1+1\n1234567890+1\n\n\u{FF}x\n999+999\n"
        let bytes = Array("1+1\n1234567890+1\n\n".utf8) + [0xFF] + Array("x\n999+999\n".utf8)
        let outcome = try RecurRunProcess.run([Self.path], stdin: bytes)
        #expect(outcome.status == 0, "\(outcome.err)")
        let translator = try Self.translator()
        func greedy(_ line: String) throws -> String {
            translator.targetTokenizer.decode(try translator.greedy(translator.tokenize(line).ids).tokens)
        }
        #expect(outcome.outLines == [try greedy("1+1"), "", "", "", try greedy("999+999")], "\(input)")
        #expect(outcome.errLines.count == 3)
        #expect(outcome.errLines[0].hasPrefix("recur-run: line 2: the input has 12 tokens, over the model's limit of 9"))
        #expect(outcome.errLines[1].hasPrefix("recur-run: line 3: empty input"))
        #expect(outcome.errLines[2].hasPrefix("recur-run: line 4: "))
        #expect(outcome.errLines[2].contains("UTF-8"))

        let strict = try Self.run(["--strict"], "1+1\n1234567890+1\n999+999\n")
        #expect(strict.status == 65)
        #expect(strict.outLines == [try greedy("1+1")])
        #expect(strict.err.contains("line 2") && strict.err.contains("--strict"))

        let truncated = try Self.run(["--truncate"], "1234567890+1\n")
        #expect(truncated.status == 0)
        #expect(truncated.outLines == [try greedy("123456789")])
        #expect(truncated.err.contains("line 1: 12 tokens, truncated to the model's limit of 9"))
    }

    @Test("--json: one object per line with text, tokens, score, log_prob and finished; an error object for a skipped line")
    func json() throws {
        let outcome = try Self.run(["--json", "--beam", "2"], "24+654\n\n")
        #expect(outcome.status == 0)
        let objects = try outcome.outLines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 2)
        let translator = try Self.translator(beamWidth: 2)
        let best = try translator.beam(translator.tokenize("24+654").ids, width: 2)[0]
        #expect(objects[0]["line"] as? Int == 1)
        #expect(objects[0]["text"] as? String == translator.targetTokenizer.decode(best.tokens))
        #expect(objects[0]["tokens"] as? [String] == best.tokens.map { translator.configuration.targetVocabulary[Int($0)] })
        #expect(abs((objects[0]["score"] as? Double ?? 0) - Double(best.score)) < 1e-6)
        #expect(abs((objects[0]["log_prob"] as? Double ?? 0) - Double(best.logProbability)) < 1e-6)
        #expect(objects[0]["finished"] as? Bool == best.finished)
        #expect(objects[1]["line"] as? Int == 2)
        #expect((objects[1]["error"] as? String)?.contains("empty input") == true)

        let nbest = try Self.run(["--json", "--nbest", "2"], "7\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(nbest.outLines[0].utf8)) as? [String: Any])
        #expect((object["nbest"] as? [[String: Any]])?.count == 2)
    }

    @Test("sampling with --temperature/--top-k/--seed equals the Runtime's seeded sampling")
    func sampling() throws {
        let lines = ["24+654", "1+1", "7"]
        let outcome = try Self.run(["--temperature", "1.2", "--top-k", "5", "--seed", "11"], lines.joined(separator: "\n") + "\n")
        #expect(outcome.status == 0, "\(outcome.err)")
        let translator = try Self.translator()
        var generator = RecurRandom(seed: 11)
        let expected = try lines.map {
            translator.targetTokenizer.decode(try translator.sample(translator.tokenize($0).ids, temperature: 1.2, topK: 5, using: &generator).tokens)
        }
        #expect(outcome.outLines == expected)
    }

    @Test("--info describes both sides and the attention; --verify passes; options of other tasks are usage errors")
    func infoVerifyUsage() throws {
        let info = try Self.run(["--info"], "")
        #expect(info.status == 0)
        for line in ["task: seq2seq", "source: 12 tokens, tokenizer char; at most 9 tokens per line",
                     "encoder: 3 layers", "decoder: 4 layers",
                     "attention: additive (A 5), input feeding, bridge copy (E 8, H_d 8, C 6) int8"] {
            #expect(info.outLines.contains(line), "\(line) in \(info.out)")
        }
        let verify = try Self.run(["--verify"], "")
        #expect(verify.status == 0)
        #expect(verify.out.hasPrefix("verify: OK, 2 self-tests"))
        for arguments in [["--beam", "2", "--temperature", "1"], ["--nbest", "3", "--beam", "2"], ["--window", "4"],
                          ["--generate", "5"], ["--prime", "1"], ["--beam", "257"]] {
            let outcome = try Self.run(arguments, "1+1\n")
            #expect(outcome.status == 64, "\(arguments): \(outcome.err)")
            #expect(outcome.out.isEmpty)
        }
        // The seq2seq options on another task.
        let lm = try FrameStreamTests.Fixture(.lm())
        for arguments in [["--beam", "2"], ["--nbest", "2"], ["--alpha", "0.5"], ["--truncate"]] {
            let outcome = try RecurRunProcess.run([lm.path] + arguments, stdin: Array("abc\n".utf8))
            #expect(outcome.status == 64)
            #expect(outcome.errLines == ["recur-run: --beam, --nbest, --alpha and --truncate apply to seq2seq models; this model is an lm"])
        }
    }
}
