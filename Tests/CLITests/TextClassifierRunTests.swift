import Foundation
import RecurRuntime
import Testing

/// recur-run on a text classifier (the committed golden file of the runtime tests): one label per
/// line, --json, the lines it must skip with outputs kept aligned, --strict, --truncate, --info
/// and --bench, each against the same computation done in-process with the Runtime.
@Suite("recur-run text classifier")
struct TextClassifierRunTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RuntimeTests/Fixtures/text-classifier-golden.rnnz").path

    static func run(_ arguments: [String], _ input: [UInt8]) throws -> RecurRunProcess.Outcome {
        try RecurRunProcess.run([path] + arguments, stdin: input)
    }

    /// `<label> <p>` of `line` as the Runtime gives it in-process.
    static func expected(_ line: String, truncate: Bool = false) throws -> String {
        let model = try Model(contentsOf: path)
        let result = try model.makeTextClassifier().classify(line, truncate: truncate)
        return model.textClassifier!.labels[result.label] + " " + String(format: "%.4f", result.probability)
    }

    @Test("one '<label> <p>' line per input line, as the Runtime gives in-process; CRLF accepted")
    func lines() throws {
        let lines = ["中国足球", "股市大涨", "AI 芯片", "足"]
        let outcome = try Self.run([], Array((lines.joined(separator: "\n") + "\r\n").utf8))
        #expect(outcome.status == 0, "\(outcome.err)")
        #expect(outcome.err.isEmpty)
        #expect(outcome.outLines == (try lines.map { try Self.expected($0) }))
    }

    @Test("--json: line, label, p and every label's probability")
    func json() throws {
        let outcome = try Self.run(["--json"], Array("股市大涨\n".utf8))
        #expect(outcome.status == 0, "\(outcome.err)")
        let model = try Model(contentsOf: Self.path)
        let result = try model.makeTextClassifier().classify("股市大涨")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.stdout.dropLast())) as? [String: Any])
        #expect(object["line"] as? Int == 1)
        #expect(object["label"] as? String == model.textClassifier?.labels[result.label])
        let probs = try #require(object["probs"] as? [String: Double])
        #expect(probs.count == 3)
        for (i, label) in (model.textClassifier?.labels ?? []).enumerated() {
            #expect(abs((probs[label] ?? -1) - Double(result.probabilities[i])) < 1e-6)
        }
        #expect(abs((object["p"] as? Double ?? -1) - Double(result.probability)) < 1e-6)
    }

    @Test("hostile lines are reported by number and skipped with an empty output line; outputs stay aligned")
    func hostileLines() throws {
        // 1 good, 2 invalid UTF-8, 3 empty, 4 whitespace only, 5 unknown text only, 6 over max_length,
        // 7 over the 1 MiB line limit, 8 a lone surrogate's bytes, 9 good, 10 good without a final newline.
        var bytes = Array("中国足球\n".utf8)
        bytes += [0xE4, 0xB8, 0x0A]                                // a cut-off 3-byte sequence
        bytes += Array("\n \t\u{3000}\nxyz qq\n中国足球中国足球中国\n".utf8)
        bytes += [UInt8](repeating: 0x61, count: (1 << 20) + 10) + [0x0A]
        bytes += [0xED, 0xA0, 0x80, 0x0A]
        bytes += Array("股市大涨\n足球 ai".utf8)
        let outcome = try RecurRunProcess.run([Self.path], stdin: bytes)
        #expect(outcome.status == 0, "\(outcome.err)")
        #expect(outcome.outLines == [try Self.expected("中国足球"), "", "", "", "", "", "", "",
                                     try Self.expected("股市大涨"), try Self.expected("足球 ai")])
        let errors = outcome.errLines
        // Seven skipped lines, then the summary of unknown tokens in the lines classified
        // ("足球 ai": "球 " and " a").
        #expect(errors.count == 8, "\(outcome.err)")
        #expect(errors.last == "recur-run: 2 character pairs were not in the vocabulary (read as the unknown token)")
        for (k, number) in [2, 3, 4, 5, 6, 7, 8].enumerated() where k < errors.count {
            #expect(errors[k].hasPrefix("recur-run: line \(number): "), "\(errors[k])")
            #expect(errors[k].hasSuffix("(skipped)"), "\(errors[k])")
        }
        if errors.count == 8 {
            #expect(errors[0].contains("UTF-8") && errors[6].contains("UTF-8"))
            #expect(errors[1].contains("empty input") && errors[2].contains("empty input"))
            #expect(errors[3].contains("no known token"))
            #expect(errors[4].contains("the input has 9 tokens, over the model's limit of 8"))
            #expect(errors[5].contains("longer than"))
        }
        // --json keeps the alignment with an error object per skipped line.
        let json = try RecurRunProcess.run([Self.path, "--json"], stdin: bytes)
        #expect(json.status == 0)
        #expect(json.outLines.count == 10)
        #expect(json.outLines[1].hasPrefix("{\"line\": 2, \"error\": "))
        #expect(json.outLines[8].hasPrefix("{\"line\": 9, \"label\": "))
    }

    @Test("--strict stops at the first line that cannot be classified with exit code 65")
    func strict() throws {
        let outcome = try Self.run(["--strict"], Array("中国足球\nxyz\n股市大涨\n".utf8))
        #expect(outcome.status == 65)
        #expect(outcome.outLines == [try Self.expected("中国足球")])
        #expect(outcome.err.contains("line 2") && outcome.err.contains("--strict"))
    }

    @Test("--truncate classifies the first max_length tokens of a longer line and says so")
    func truncate() throws {
        let line = "中国足球中国足球中国"
        let outcome = try Self.run(["--truncate"], Array((line + "\n").utf8))
        #expect(outcome.status == 0)
        #expect(outcome.outLines == [try Self.expected(line, truncate: true)])
        #expect(outcome.err.contains("line 1: 9 tokens, truncated to the model's limit of 8 (--truncate)"))
    }

    @Test("--info describes the model; --bench classifies random token lines; options of other tasks are usage errors")
    func infoBenchUsage() throws {
        let info = try Self.run(["--info"], [])
        #expect(info.status == 0)
        #expect(info.out.contains("task: text_classifier\n"))
        #expect(info.out.contains("vocabulary: 22 tokens, tokenizer char_bigram (unk 0), lowercased; at most 8 tokens per line\n"))
        #expect(info.out.contains("pool: last over the top layer's 8 values per token\n"))
        #expect(info.out.contains("  1 gru 5 -> 4 x2 (bidirectional) int8\n"))
        #expect(info.out.contains("labels: 3 (体育, 财经, 科技)\n"))
        let bench = try Self.run(["--bench", "--steps", "20"], [])
        #expect(bench.status == 0, "\(bench.err)")
        #expect(bench.out.contains("one line each (8 random token ids)"))
        let verify = try Self.run(["--verify"], [])
        #expect(verify.status == 0 && verify.out.hasPrefix("verify: OK, 2 self-tests, 6 values"))
        for arguments in [["--window", "4"], ["--beam", "2"], ["--temperature", "0.5"], ["--generate", "3"]] {
            let outcome = try Self.run(arguments, Array("中国\n".utf8))
            #expect(outcome.status == 64, "\(arguments): \(outcome.err)")
        }
    }
}
