import RecurRuntime
import Testing
import TestSupport

/// lm sessions: one token per step, the next-token distribution, greedy decoding
/// and seeded sampling with temperature and top-k; the char tokenizer.
@Suite("LanguageSession")
struct SessionLanguageModelTests {
    /// A trained-looking distribution is not needed: larger weights make the
    /// fixture's logits spread enough that sampling choices differ between tokens.
    static func model(_ storage: WeightStorage = .int8, cell: String = "lstm") throws -> Model {
        try ModelFixture.lm(cells: [cell], hidden: 12, seed: 31).model(storage)
    }

    /// Primes a fresh session with `prime`, then generates `count` tokens with
    /// `sample`, feeding each one back.
    static func generate(
        _ model: Model, prime: [Int], count: Int, temperature: Float, topK: Int, seed: UInt64
    ) throws -> [Int] {
        let session = try model.makeLanguageSession()
        for token in prime { try session.feed(token) }
        var generator = RecurRandom(seed: seed)
        var tokens: [Int] = []
        for _ in 0..<count {
            let next = session.sample(temperature: temperature, topK: topK, using: &generator)
            tokens.append(next)
            try session.feed(next)
        }
        return tokens
    }

    @Test("sampling is reproducible from its seed, and different seeds give different text",
          arguments: [0, 3])
    func samplingReproducible(topK: Int) throws {
        let model = try Self.model()
        let a = try Self.generate(model, prime: [1, 2], count: 60, temperature: 1.3, topK: topK, seed: 7)
        let b = try Self.generate(model, prime: [1, 2], count: 60, temperature: 1.3, topK: topK, seed: 7)
        let c = try Self.generate(model, prime: [1, 2], count: 60, temperature: 1.3, topK: topK, seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.allSatisfy { (0..<(model.language?.vocabulary.count ?? 0)).contains($0) })
    }

    @Test("top-k 1 and temperature 0 are greedy decoding, at every step of a generation",
          arguments: [Float(0.5), 1, 2])
    func topOneIsGreedy(temperature: Float) throws {
        let model = try Self.model(.f32)
        let session = try model.makeLanguageSession()
        try session.feed(3)
        var generator = RecurRandom(seed: 11)
        for _ in 0..<40 {
            let greedy = session.greedy()
            let logits = Array(session.logits)
            #expect(greedy == logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) })
            #expect(session.sample(temperature: temperature, topK: 1, using: &generator) == greedy)
            #expect(session.sample(temperature: 0, topK: 0, using: &generator) == greedy)
            let sharp = Array(session.probabilities(temperature: 0))
            #expect(sharp[greedy] == 1 && sharp.reduce(0, +) == 1)
            try session.feed(greedy)
        }
    }

    @Test("draws follow softmax(logits / T) over the top k: sampled frequencies match within 0.015",
          arguments: [(Float(1), 0), (Float(0.7), 3), (Float(2), 5)])
    func samplingFollowsDistribution(temperature: Float, topK: Int) throws {
        let model = try Self.model(.f32)
        let session = try model.makeLanguageSession()
        for token in [1, 4, 2] { try session.feed(token) }
        let logits = Array(session.logits).map(Double.init)
        let vocabulary = logits.count
        // Reference: the k largest logits (lower id first on ties), softmax at T over them.
        let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        let kept = topK > 0 ? Array(order.prefix(topK)) : order
        let top = kept.map { logits[$0] }.max()!
        let weights = kept.map { expD((logits[$0] - top) / Double(temperature)) }
        let total = weights.reduce(0, +)
        var expected = [Double](repeating: 0, count: vocabulary)
        for (j, id) in kept.enumerated() { expected[id] = weights[j] / total }

        var counts = [Int](repeating: 0, count: vocabulary)
        var generator = RecurRandom(seed: 12)
        let draws = 20_000
        for _ in 0..<draws { counts[session.sample(temperature: temperature, topK: topK, using: &generator)] += 1 }
        for id in 0..<vocabulary {
            let frequency = Double(counts[id]) / Double(draws)
            #expect(abs(frequency - expected[id]) < 0.015, "token \(id): drawn \(frequency), expected \(expected[id])")
            if expected[id] == 0 { #expect(counts[id] == 0, "token \(id) is outside the top \(topK)") }
        }
        if topK == 0 {
            // Without top-k the session's own distribution is the reference too.
            let probabilities = Array(session.probabilities(temperature: temperature))
            for id in 0..<vocabulary { #expect(close(probabilities[id], expected[id], tolerance: 1e-6)) }
        }
    }

    @Test("int8 lm: logits close to the f32 double reference, every kernel path bit-identical",
          arguments: ["lstm", "gru", "rnn"])
    func int8Lm(cell: String) throws {
        var fixture = ModelFixture.lm(cells: [cell], hidden: 12, seed: 32)
        if cell == "rnn" { fixture.layers[1].activation = "tanh" }
        let model = try fixture.model(.int8)
        let tokens = [2, 5, 1, 1, 6, 3, 0, 4]
        let reference = ModelReference(fixture: fixture).run(tokens: tokens)
        var perPath: [[UInt32]] = []
        for path in KernelPath.allCases where path.isAvailable {
            let session = try model.makeLanguageSession(kernels: path)
            var bits: [UInt32] = []
            for (t, token) in tokens.enumerated() {
                try session.feed(token)
                #expect(session.stepCount == t + 1)
                let logits = Array(session.logits)
                bits += logits.map(\.bitPattern)
                for (i, value) in logits.enumerated() {
                    #expect(abs(Double(value) - reference[t][i]) < 0.15, "token \(t) logit \(i)")
                }
            }
            perPath.append(bits)
        }
        #expect(perPath.count >= 2)
        #expect(perPath.allSatisfy { $0 == perPath[0] })
    }

    @Test("excludedToken is never chosen, even as the most probable token; probabilities keep it")
    func excludedTokenIsNeverChosen() throws {
        let model = try Self.model(.f32)
        let session = try model.makeLanguageSession()
        try session.feed(3)
        var generator = RecurRandom(seed: 5)
        for step in 0..<30 {
            let logits = Array(session.logits)
            // Exclude the current argmax: greedy must fall to the runner-up, sampling must avoid it.
            let top = session.greedy()
            session.excludedToken = top
            let second = logits.indices.filter { $0 != top }
                .max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
            #expect(session.greedy() == second, "step \(step)")
            for _ in 0..<20 {
                #expect(session.sample(temperature: 2, topK: 0, using: &generator) != top)
                #expect(session.sample(temperature: 1, topK: 2, using: &generator) != top)
            }
            #expect(session.sample(temperature: 1, topK: 1, using: &generator) == second)
            #expect(Array(session.probabilities(temperature: 1))[top] > 0)
            session.excludedToken = nil
            #expect(session.greedy() == top)
            try session.feed(second)
        }
    }

    @Test("feed refuses ids outside the vocabulary and frame models")
    func feedErrors() throws {
        let model = try Self.model()
        let session = try model.makeLanguageSession()
        #expect(throws: RecurError.tokenOutOfRange(token: 7, vocabularySize: 7)) { try session.feed(7) }
        #expect(throws: RecurError.tokenOutOfRange(token: -1, vocabularySize: 7)) { try session.feed(-1) }
        #expect(session.stepCount == 0)
        let classifier = try ModelFixture.classifier().model(.int8)
        #expect(throws: RecurError.wrongTask(expected: "lm", found: "classifier")) {
            _ = try classifier.makeLanguageSession()
        }
    }

    @Test("the char tokenizer maps one Unicode scalar per token and unknown text to <unk>")
    func charTokenizer() throws {
        let model = try Self.model()
        let language = try #require(model.language)
        #expect(language.vocabulary == ["<unk>", "a", "b", "c", "d", "e", " "])
        #expect(language.unknownToken == 0)
        #expect(model.frames == nil && model.seq2seq == nil)
        let tokenizer = language.tokenizer
        #expect(tokenizer.kind == .char)
        var tokens: [Int32] = []
        let missing = tokenizer.encode("ab e?é", into: &tokens)
        #expect(tokens == [1, 2, 6, 5, 0, 0])
        #expect(missing == 2)
    }

    @Test("the word tokenizer splits at spaces, tabs and newlines; without <unk> unknown text is dropped and counted")
    func wordTokenizer() throws {
        var fixture = ModelFixture.lm()
        fixture.vocab = ["<unk>", "the", "cat", "sat", "on", "a", "mat"]
        fixture.overrides = [("recur.tokenizer", .string("word"))]
        let tokenizer = try #require(try fixture.model(.int8).language?.tokenizer)
        #expect(tokenizer.kind == .word)
        var tokens: [Int32] = []
        #expect(tokenizer.encode("the cat  sat\ton\na dog", into: &tokens) == 1)
        #expect(tokens == [1, 2, 3, 4, 5, 0])

        fixture.unk = nil
        fixture.overrides = []
        let noUnknown = try #require(try fixture.model(.int8).language?.tokenizer)
        #expect(noUnknown.unknown == nil)
        tokens = []
        // char tokenizer over the same vocabulary: only "a" is a single scalar.
        #expect(noUnknown.encode("a?a", into: &tokens) == 1)
        #expect(tokens == [5, 5])
    }

    @Test("RecurRandom: a seed fixes the sequence; unit floats lie in [0, 1) with mean near 1/2")
    func recurRandom() {
        var a = RecurRandom(seed: 99)
        var b = RecurRandom(seed: 99)
        var c = RecurRandom(seed: 100)
        let first = (0..<32).map { _ in a.next32() }
        #expect(first == (0..<32).map { _ in b.next32() })
        #expect(first != (0..<32).map { _ in c.next32() })
        var sum = 0.0
        for _ in 0..<10_000 {
            let u = a.nextUnitFloat()
            #expect(u >= 0 && u < 1)
            sum += Double(u)
        }
        #expect(abs(sum / 10_000 - 0.5) < 0.01)
    }
}
