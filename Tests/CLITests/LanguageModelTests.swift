import Foundation
import RecurRuntime
import Testing
import TestSupport

/// recur-run on language models: --generate, --score and the line mode, each
/// against the same computation done in-process with the Runtime.
@Suite("recur-run language models")
struct LanguageModelTests {
    typealias Fixture = FrameStreamTests.Fixture

    /// In-process generation: prime (after the begin token), then `count` samples; like
    /// recur-run, never the unknown token unless `allowUnknown`.
    static func generate(_ model: Model, prime: String, count: Int, temperature: Float, topK: Int,
                         seed: UInt64, allowUnknown: Bool = false) throws -> String {
        let session = try model.makeLanguageSession()
        if !allowUnknown { session.excludedToken = session.configuration.unknownToken }
        var tokens: [Int32] = [1]
        model.language!.tokenizer.encode(prime, into: &tokens)
        for token in tokens { try session.feed(Int(token)) }
        var generator = RecurRandom(seed: seed)
        var text = prime
        for _ in 0..<count {
            let next = session.sample(temperature: temperature, topK: topK, using: &generator)
            text += model.language!.vocabulary[next]
            try session.feed(next)
        }
        return text
    }

    @Test("--generate prints the prime and the same seeded sample as the Runtime in-process; seeds differ")
    func generate() throws {
        let file = try Fixture(.lm())
        let arguments = [file.path, "--generate", "60", "--prime", "abc", "--temperature", "0.8", "--top-k", "4",
                         "--seed", "7"]
        let outcome = try RecurRunProcess.run(arguments)
        #expect(outcome.status == 0, "\(outcome.err)")
        let expected = try Self.generate(file.model, prime: "abc", count: 60, temperature: 0.8, topK: 4, seed: 7)
        #expect(outcome.out == expected + "\n")
        #expect(try RecurRunProcess.run(arguments).out == outcome.out, "same seed, same text")

        let other = try RecurRunProcess.run([file.path, "--generate", "60", "--prime", "abc", "--seed", "8"])
        #expect(other.out == (try Self.generate(file.model, prime: "abc", count: 60, temperature: 1, topK: 0, seed: 8)) + "\n")
        #expect(other.out != outcome.out)

        // A hot temperature makes <unk> (id 0) likely: it appears only with --allow-unk.
        let hot = [file.path, "--generate", "400", "--temperature", "5", "--seed", "2"]
        let without = try RecurRunProcess.run(hot)
        let with = try RecurRunProcess.run(hot + ["--allow-unk"])
        #expect(without.out == (try Self.generate(file.model, prime: "", count: 400, temperature: 5, topK: 0, seed: 2)) + "\n")
        #expect(with.out == (try Self.generate(file.model, prime: "", count: 400, temperature: 5, topK: 0, seed: 2,
                                               allowUnknown: true)) + "\n")
        #expect(!without.out.contains("<unk>") && with.out.contains("<unk>"))
    }

    @Test("--score prints bits per character equal to the in-process cross-entropy")
    func score() throws {
        let file = try Fixture(.lm())
        let text = "abc de\nedcba\n"
        let outcome = try RecurRunProcess.run([file.path, "--score"], stdin: Array(text.utf8))
        #expect(outcome.status == 0, "\(outcome.err)")

        let session = try file.model.makeLanguageSession()
        try session.feed(1)
        var tokens: [Int32] = []
        file.model.language!.tokenizer.encode(text, into: &tokens)
        var bits = 0.0
        for token in tokens {
            bits -= Foundation.log2(Double(session.probabilities(temperature: 1)[Int(token)]))
            try session.feed(Int(token))
        }
        let expected = bits / Double(tokens.count)
        let fields = outcome.out.split(separator: " ")
        #expect(outcome.out.hasSuffix(" bits per character over \(tokens.count) characters\n"), "\(outcome.out)")
        let printed = try #require(Double(fields.first ?? ""))
        #expect(abs(printed - expected) <= 0.00006, "\(printed) vs \(expected)")

        let json = try RecurRunProcess.run([file.path, "--score", "--json"], stdin: Array(text.utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["characters"] as? Int == tokens.count)
        #expect(abs(((object["bits_per_character"] as? NSNumber)?.doubleValue ?? -1) - expected) <= 1e-5)
    }

    @Test("--score: characters outside the vocabulary are read as <unk> and counted; invalid UTF-8 lines skipped")
    func scoreHostile() throws {
        let file = try Fixture(.lm())
        let input: [UInt8] = Array("abz\n".utf8) + [0x61, 0xFF, 0x0A] + Array("ab\n".utf8)
        let outcome = try RecurRunProcess.run([file.path, "--score"], stdin: input)
        #expect(outcome.status == 0)
        #expect(outcome.errLines == [
            "recur-run: line 2: invalid UTF-8 at byte 1",
            "recur-run: 1 characters of the input are not in the vocabulary (read as the unknown token)",
        ])
        #expect(outcome.out.hasSuffix(" bits per character over 7 characters\n"), "\(outcome.out)")
        let strict = try RecurRunProcess.run([file.path, "--score", "--strict"], stdin: input)
        #expect(strict.status == 65)
    }

    @Test("line mode: one greedy continuation per input line, an empty line for a malformed one")
    func lineMode() throws {
        let file = try Fixture(.lm())
        let input: [UInt8] = Array("ab\n".utf8) + [0xC3, 0x0A] + Array("dd e\n".utf8)
        let outcome = try RecurRunProcess.run([file.path, "--max-tokens", "12"], stdin: input)
        #expect(outcome.status == 0)
        #expect(outcome.errLines == ["recur-run: line 2: invalid UTF-8 at byte 0"])
        let lines = outcome.outLines
        #expect(lines.count == 3)
        for (index, prompt) in [(0, "ab"), (2, "dd e")] {
            let session = try file.model.makeLanguageSession()
            session.excludedToken = session.configuration.unknownToken
            var tokens: [Int32] = [1]
            file.model.language!.tokenizer.encode(prompt, into: &tokens)
            for token in tokens { try session.feed(Int(token)) }
            var expected = ""
            for _ in 0..<12 {
                let next = session.greedy()
                if file.model.language!.vocabulary[next] == "\n" { break }
                expected += file.model.language!.vocabulary[next]
                try session.feed(next)
            }
            #expect(lines[index] == expected, "line \(index + 1)")
        }
        #expect(lines[1] == "")
    }

    @Test("frame options on an lm are usage errors")
    func frameOptionsOnLM() throws {
        let file = try Fixture(.lm())
        let outcome = try RecurRunProcess.run([file.path, "--window", "4"])
        #expect(outcome.status == 64)
        #expect(outcome.errLines == ["recur-run: --window and --hop apply to frame models, not an lm"])
    }

    @Test("--generate without --prime on a model without a begin token (the shipped anna.rnnz) is a usage error, one whole line")
    func generateWithoutPrimeOrBeginToken() throws {
        let anna = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models/anna.rnnz").path
        #expect(try Model(contentsOf: anna).language.map { $0.beginToken == nil } == true, "the case needs a model without a begin token")
        let outcome = try RecurRunProcess.run([anna, "--generate", "5"])
        #expect(outcome.status == 64)
        #expect(outcome.out == "")
        #expect(outcome.err == "recur-run: --generate needs a non-empty --prime TEXT: this model has no begin token to start from\n")
    }
}
