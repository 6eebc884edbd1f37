import Foundation
import RecurRuntime
import Testing

/// recur-run --generate --max-tunes: stops after whole tunes (text ending at a blank line), never
/// printing half a tune; and --prime's escapes.
@Suite("recur-run --max-tunes")
struct TuneGenerationTests {
    typealias Fixture = FrameStreamTests.Fixture

    /// The first `tunes` tunes of `text`, each through the newline of the blank line that ends
    /// it, worked out line by line (a tune starts at a line with something other than spaces and
    /// tabs); nil when `text` holds fewer.
    static func wholeTunes(_ text: String, _ tunes: Int) -> String? {
        var result = ""
        var pending = ""
        var inTune = false
        var found = 0
        var rest = Substring(text)
        while let newline = rest.firstIndex(of: "\n") {
            let line = rest[..<newline]
            rest = rest[rest.index(after: newline)...]
            pending += line + "\n"
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if inTune {
                    result += pending
                    pending = ""
                    inTune = false
                    found += 1
                    if found == tunes { return result }
                }
            } else {
                inTune = true
            }
        }
        return nil
    }

    /// A hot temperature over "abcde \n" writes short lines and blank ones: many small "tunes".
    static let hot = ["--temperature", "3", "--seed", "5"]

    @Test("--max-tunes N prints the same draws as plain --generate, cut after the Nth tune's blank line")
    func stopsAfterWholeTunes() throws {
        let file = try Fixture(.lm())
        let plain = try RecurRunProcess.run([file.path, "--generate", "600", "--prime", "ab"] + Self.hot)
        #expect(plain.status == 0, "\(plain.err)")
        let two = try #require(Self.wholeTunes(plain.out, 2), "the seeded text holds two tunes: \(plain.out)")
        let one = try #require(Self.wholeTunes(plain.out, 1))
        #expect(one.count < two.count && two.hasPrefix(one))

        for (count, expected) in [(1, one), (2, two)] {
            let outcome = try RecurRunProcess.run([file.path, "--generate", "600", "--prime", "ab",
                                                   "--max-tunes", "\(count)"] + Self.hot)
            #expect(outcome.status == 0, "\(outcome.err)")
            #expect(outcome.out == expected)
            #expect(outcome.err.isEmpty)
            #expect(outcome.out.hasSuffix("\n"))
        }
    }

    @Test("a tune still open when the tokens run out is left out and reported, the whole ones kept")
    func openTuneIsLeftOut() throws {
        let file = try Fixture(.lm())
        let plain = try RecurRunProcess.run([file.path, "--generate", "600", "--prime", "ab"] + Self.hot)
        let one = try #require(Self.wholeTunes(plain.out, 1))
        let two = try #require(Self.wholeTunes(plain.out, 2))
        // A budget that ends on the second tune's first token: the texts of the generated tokens,
        // drawn in-process as recur-run draws them (a token can be "<bos>", several characters).
        let session = try file.model.makeLanguageSession()
        session.excludedToken = session.configuration.unknownToken
        var tokens: [Int32] = [1]
        file.model.language!.tokenizer.encode("ab", into: &tokens)
        for token in tokens { try session.feed(Int(token)) }
        var generator = RecurRandom(seed: 5)
        var text = "ab"
        var budget = 0
        while text.count <= one.count || text.dropFirst(one.count).allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let next = session.sample(temperature: 3, topK: 0, using: &generator)
            text += file.model.language!.vocabulary[next]
            budget += 1
            try session.feed(next)
        }
        #expect(two.hasPrefix(text))
        #expect(text.count < two.count)
        let outcome = try RecurRunProcess.run([file.path, "--generate", "\(budget)", "--prime", "ab",
                                               "--max-tunes", "2"] + Self.hot)
        #expect(outcome.status == 0)
        #expect(outcome.out == one)
        #expect(outcome.errLines == ["recur-run: --max-tunes 2: tune 2 had not ended (no blank line) after "
            + "\(budget) generated tokens and is left out; raise --generate \(budget) to give it room"])

        let none = try RecurRunProcess.run([file.path, "--generate", "1", "--prime", "ab", "--max-tunes", "1"] + Self.hot)
        #expect(none.status == 0)
        #expect(none.out == "")
        #expect(none.err.contains("tune 1 had not ended"))
    }

    @Test("--max-tunes needs --generate and a count of at least 1")
    func usage() throws {
        let file = try Fixture(.lm())
        let scoring = try RecurRunProcess.run([file.path, "--score", "--max-tunes", "1"])
        #expect(scoring.status == 64)
        #expect(scoring.errLines == ["recur-run: --max-tunes applies to --generate N (it stops generation after whole tunes)"])
        let zero = try RecurRunProcess.run([file.path, "--generate", "9", "--max-tunes", "0"])
        #expect(zero.status == 64)
        #expect(zero.errLines == ["recur-run: --max-tunes 0: expected a whole number ≥ 1"])
    }

    @Test("--prime reads \\n, \\t and \\\\ as a newline, a tab and a backslash")
    func primeEscapes() throws {
        let file = try Fixture(.lm())
        let escaped = try RecurRunProcess.run([file.path, "--generate", "20", "--prime", #"ab\nc\\d\q"#, "--seed", "1"])
        #expect(escaped.status == 0)
        #expect(escaped.out.hasPrefix("ab\nc\\d\\q"))
        // The same draws as the prime given with a real newline (the backslash and q are not in
        // the vocabulary either way and are reported).
        let literal = try RecurRunProcess.run([file.path, "--generate", "20", "--prime", "ab\nc\\d\\q", "--seed", "1"])
        #expect(literal.out == escaped.out)
        #expect(escaped.errLines == ["recur-run: 3 characters of --prime are not in the vocabulary (read as the unknown token)"])
    }
}
