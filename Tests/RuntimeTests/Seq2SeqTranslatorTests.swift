import RecurRuntime
import Testing
import TestSupport

/// The seq2seq Translator: its f32 path against the Double reference for every
/// architecture combination, int8 against f32, greedy/beam/sampling rules, beam
/// search against an exhaustive search, and the source-line handling.
@Suite("Seq2seq translator")
struct Seq2SeqTranslatorTests {
    static let sources: [[Int32]] = [[1, 2, 3], [5], [4, 4, 1, 2, 5, 3, 1, 2, 3, 4, 5, 1]]

    /// Every architecture choice that changes the computation.
    static func architectures(cell: String) -> [Seq2SeqFixture] {
        var all: [Seq2SeqFixture] = []
        for encoderLayers in [1, 2] {
            for bidirectional in [false, true] {
                for attention in ["dot", "general", "additive"] {
                    for inputFeeding in [false, true] {
                        for bridge in ["zero", "copy"] {
                            var fixture = Seq2SeqFixture()
                            fixture.cell = cell
                            fixture.encoderLayers = encoderLayers
                            fixture.bidirectional = bidirectional
                            fixture.attention = attention
                            fixture.inputFeeding = inputFeeding
                            fixture.bridge = bridge
                            // copy needs matching stacks; otherwise vary the decoder's depth and width.
                            fixture.decoderLayers = bridge == "copy" ? encoderLayers : 3 - encoderLayers
                            if bridge == "zero" && attention != "dot" { fixture.decoderHidden = 4 }
                            fixture.seed = UInt64(all.count + 1)
                            all.append(fixture)
                        }
                    }
                }
            }
        }
        return all
    }

    static func describe(_ f: Seq2SeqFixture) -> String {
        "\(f.cell) enc \(f.encoderLayers)\(f.bidirectional ? " bi" : "") dec \(f.decoderLayers) \(f.attention) "
            + "feeding \(f.inputFeeding) bridge \(f.bridge)"
    }

    @Test("the f32 encoder and decoding steps equal the Double reference to 1e-5, every architecture",
          arguments: ["lstm", "gru"])
    func matchesReference(cell: String) throws {
        for fixture in Self.architectures(cell: cell) {
            let translator = try fixture.model(.f32).makeTranslator()
            let reference = Seq2SeqReference(fixture)
            for source in Self.sources {
                for prefix in [[], [3], [4, 6, 2, 5]] as [[Int32]] {
                    let found = try translator.logProbabilities(source: source, prefix: prefix)
                    let expected = reference.logProbabilities(source: source.map(Int.init), prefix: prefix.map(Int.init))
                    let worst = zip(found, expected).map { abs(Double($0) - $1) }.max()!
                    #expect(worst <= 1e-5, "\(Self.describe(fixture)) source \(source) prefix \(prefix): off by \(worst)")
                }
            }
        }
    }

    @Test("int8 and F16 storage stay close to f32: every log-probability within 0.05")
    func quantizedClose() throws {
        for fixture in Self.architectures(cell: "lstm") where fixture.encoderLayers == 2 {
            let f32 = try fixture.model(.f32).makeTranslator()
            for storage in [WeightStorage.int8, .f16] {
                let other = try fixture.model(storage).makeTranslator()
                for source in Self.sources {
                    let a = try f32.logProbabilities(source: source, prefix: [3, 4])
                    let b = try other.logProbabilities(source: source, prefix: [3, 4])
                    let worst = zip(a, b).map { abs($0 - $1) }.max()!
                    #expect(worst < (storage == .f16 ? 1e-6 : 0.05), "\(storage) \(Self.describe(fixture)): off by \(worst)")
                }
            }
        }
    }

    @Test("greedy: each token is the argmax of the teacher-forced distribution, log-probability their Float sum")
    func greedyIsArgmax() throws {
        for fixture in Self.architectures(cell: "gru").prefix(12) {
            let translator = try fixture.model(.int8).makeTranslator()
            for source in Self.sources {
                let translation = try translator.greedy(source)
                var prefix: [Int32] = []
                var total: Float = 0
                var finished = false
                while prefix.count < fixture.targetMaxLength {
                    let logP = try translator.logProbabilities(source: source, prefix: prefix)
                    let best = logP.indices.max { logP[$0] < logP[$1] || (logP[$0] == logP[$1] && $0 > $1) }!
                    total += logP[best]
                    if best == Seq2SeqFixture.eos {
                        finished = true
                        break
                    }
                    prefix.append(Int32(best))
                }
                #expect(translation.tokens == prefix)
                #expect(translation.finished == finished)
                #expect(translation.logProbability == total)
                #expect(translation.score == total / Float(prefix.count + (finished ? 1 : 0)))
            }
        }
    }

    @Test("beam width 1 is exactly greedy, on every kernel path the same bits")
    func beamOneIsGreedy() throws {
        for fixture in Self.architectures(cell: "lstm") {
            for storage in [WeightStorage.int8, .f32] {
                let model = try fixture.model(storage)
                let best = try model.makeTranslator(beamWidth: 4)
                let scalar = try model.makeTranslator(beamWidth: 1, kernels: .scalar)
                for source in Self.sources {
                    let greedy = try best.greedy(source)
                    #expect(try best.beam(source, width: 1) == [greedy])
                    #expect(try scalar.beam(source, width: 1) == [greedy])
                }
            }
        }
    }

    /// A model over 4 target tokens with at most 3 output tokens, where an exhaustive
    /// search over every output is small.
    static func tinyTarget(attention: String, seed: UInt64) -> Seq2SeqFixture {
        var fixture = Seq2SeqFixture()
        fixture.targetVocabulary = ["<bos>", "<eos>", "<unk>", "x"]
        fixture.targetMaxLength = 3
        fixture.attention = attention
        fixture.seed = seed
        fixture.weightScale = 0.6
        return fixture
    }

    /// Every output the decoder can finish (m < max_length tokens, then EOS) with its
    /// reference log-probability and score, best score first.
    static func exhaustive(_ fixture: Seq2SeqFixture, source: [Int], alpha: Double) -> [(tokens: [Int32], logP: Double, score: Double)] {
        let reference = Seq2SeqReference(fixture)
        let (memory, start) = reference.encode(source)
        var all: [(tokens: [Int32], logP: Double, score: Double)] = []
        func extend(_ tokens: [Int32], _ state: Seq2SeqReference.State, _ logP: Double, last: Int) {
            let (p, next) = reference.step(last, state, memory: memory)
            let finished = logP + p[Seq2SeqFixture.eos]
            let length = Double(tokens.count + 1)
            all.append((tokens, finished, finished / expD(alpha * lnD(length))))
            if tokens.count + 1 >= fixture.targetMaxLength { return }
            for v in 0..<fixture.targetVocabulary.count where v != Seq2SeqFixture.eos {
                extend(tokens + [Int32(v)], next, logP + p[v], last: v)
            }
        }
        extend([], start, 0, last: Seq2SeqFixture.bos)
        return all.sorted { $0.score > $1.score }
    }

    @Test("a beam wide enough to keep every hypothesis finds exactly the exhaustive N-best, in order",
          arguments: [Float(1), 0.6, 0])
    func beamMatchesExhaustiveSearch(alpha: Float) throws {
        for (i, attention) in ["dot", "general", "additive"].enumerated() {
            let fixture = Self.tinyTarget(attention: attention, seed: UInt64(40 + i))
            let translator = try fixture.model(.f32).makeTranslator(beamWidth: 64)
            for source in Self.sources {
                let expected = Self.exhaustive(fixture, source: source.map(Int.init), alpha: Double(alpha))
                // 1 + 3 + 9 outputs finish within 3 steps: the beam returns all of them.
                #expect(expected.count == 13)
                let found = try translator.beam(source, width: 64, alpha: alpha, best: 13)
                #expect(found.map(\.tokens) == expected.map(\.tokens), "\(attention) alpha \(alpha) source \(source)")
                for (f, e) in zip(found, expected) {
                    #expect(f.finished)
                    #expect(abs(Double(f.logProbability) - e.logP) <= 1e-5)
                    #expect(abs(Double(f.score) - e.score) <= 1e-5)
                }
            }
        }
    }

    @Test("N-best: finished hypotheses by score, best first; each one's log-probability is its teacher-forced sum")
    func nBestOrdering() throws {
        for fixture in Self.architectures(cell: "lstm").prefix(8) {
            let translator = try fixture.model(.int8).makeTranslator(beamWidth: 5)
            for source in Self.sources {
                let results = try translator.beam(source, width: 5, alpha: 0.7, best: 5)
                #expect(!results.isEmpty && results.count <= 5)
                for (a, b) in zip(results, results.dropFirst()) {
                    #expect(a.finished || !b.finished, "finished hypotheses come first")
                    if a.finished == b.finished { #expect(a.score >= b.score) }
                }
                for result in results {
                    var total: Float = 0
                    for t in 0...result.tokens.count where t < result.tokens.count || result.finished {
                        let logP = try translator.logProbabilities(source: source, prefix: Array(result.tokens.prefix(t)))
                        total += logP[t < result.tokens.count ? Int(result.tokens[t]) : Seq2SeqFixture.eos]
                    }
                    #expect(result.logProbability == total)
                    #expect(result.score == total / LogMath.lengthPenalty(result.scoredLength, alpha: 0.7))
                }
            }
        }
    }

    @Test("a model that never ends: greedy and beam stop at target.max_length tokens, unfinished")
    func unfinishedAtMaximumLength() throws {
        var fixture = Seq2SeqFixture()
        fixture.targetMaxLength = 4
        // An output bias far below the others for EOS: EOS is never the best token.
        let last = fixture.decoderCount - 1
        var bias = fixture.tensors().first { $0.name == "dec.\(last).bias" }!.values
        bias[Seq2SeqFixture.eos] = -60
        fixture.replacedTensors["dec.\(last).bias"] = (.f32, [bias.count], ModelFixture.littleEndianBytes(bias.map(\.bitPattern)))
        let translator = try fixture.model().makeTranslator(beamWidth: 3)
        let greedy = try translator.greedy([1, 2])
        #expect(greedy.tokens.count == 4 && !greedy.finished)
        let beam = try translator.beam([1, 2], width: 3, best: 3)
        #expect(beam.count == 3)
        #expect(beam.allSatisfy { !$0.finished && $0.tokens.count == 4 })
        #expect(beam[0].logProbability >= greedy.logProbability)
    }

    @Test("sampling: reproducible from the seed, different seeds differ; temperature 0 and top-k 1 are greedy")
    func sampling() throws {
        var fixture = Seq2SeqFixture()
        fixture.targetMaxLength = 30
        fixture.weightScale = 0.5
        let translator = try fixture.model(.int8).makeTranslator()
        let source: [Int32] = [1, 3, 5, 2]
        func draw(_ seed: UInt64, _ temperature: Float, _ topK: Int) throws -> [[Int32]] {
            var generator = RecurRandom(seed: seed)
            return try (0..<6).map { _ in try translator.sample(source, temperature: temperature, topK: topK, using: &generator).tokens }
        }
        #expect(try draw(5, 1.5, 0) == draw(5, 1.5, 0))
        #expect(try draw(5, 1.5, 0) != draw(6, 1.5, 0))
        let greedy = try translator.greedy(source)
        #expect(try draw(9, 0, 0).allSatisfy { $0 == greedy.tokens })
        #expect(try draw(9, 2, 1).allSatisfy { $0 == greedy.tokens })
        var generator = RecurRandom(seed: 3)
        let sampled = try translator.sample(source, temperature: 1, topK: 3, using: &generator)
        // The log-probability is under the model (temperature 1), step by step.
        var total: Float = 0
        for t in 0...sampled.tokens.count where t < sampled.tokens.count || sampled.finished {
            let logP = try translator.logProbabilities(source: source, prefix: Array(sampled.tokens.prefix(t)))
            total += logP[t < sampled.tokens.count ? Int(sampled.tokens[t]) : Seq2SeqFixture.eos]
        }
        #expect(sampled.logProbability == total)
    }

    @Test("source lines: unknown characters become unk, lowercasing, over-long lines refused or truncated, empty refused")
    func sourceLines() throws {
        var fixture = Seq2SeqFixture()
        let translator = try fixture.model().makeTranslator()
        #expect(translator.tokenize("abxe") == SourceTokens(ids: [1, 2, 0, 5], unknownCount: 1))
        #expect(translator.tokenize("AB") == SourceTokens(ids: [0, 0], unknownCount: 2))
        let long = translator.tokenize("abcdeabcdeabcde")
        #expect(long.ids.count == 15)
        #expect(throws: RecurError.inputTooLong(tokens: 15, limit: 12)) { _ = try translator.greedy(long.ids) }
        #expect(throws: RecurError.inputTooLong(tokens: 15, limit: 12)) { _ = try translator.beam(long.ids, width: 1) }
        let cut = translator.tokenize("abcdeabcdeabcde", truncate: true)
        #expect(cut == SourceTokens(ids: Array(long.ids.prefix(12)), unknownCount: 0, truncatedFrom: 15))
        #expect(try translator.greedy(cut.ids) == translator.greedy(Array(long.ids.prefix(12))))
        #expect(translator.tokenize("abc", truncate: true).truncatedFrom == nil)
        #expect(throws: RecurError.emptyInput) { _ = try translator.greedy(translator.tokenize("").ids) }
        #expect(throws: RecurError.tokenOutOfRange(token: 6, vocabularySize: 6)) { _ = try translator.greedy([6]) }

        fixture.lowercase = true
        let lower = try fixture.model().makeTranslator()
        #expect(lower.tokenize("AbÉ") == SourceTokens(ids: [1, 2, 0], unknownCount: 1))
    }

    @Test("word models: WordSplitting's tokens looked up whole (unknown → unk), output joined by its rules")
    func wordModels() throws {
        var fixture = Seq2SeqFixture()
        fixture.sourceTokenizer = "word"
        fixture.targetTokenizer = "word"
        fixture.lowercase = true
        fixture.sourceVocabulary = ["<unk>", "hello", "world", ",", "don't", "."]
        fixture.targetVocabulary = ["<bos>", "<eos>", "<unk>", "hola", "mundo", ",", "¿", "?"]
        let translator = try fixture.model().makeTranslator()
        #expect(translator.tokenize("Hello, World! Don't.") == SourceTokens(ids: [1, 3, 2, 0, 4, 5], unknownCount: 1))
        #expect(translator.targetTokenizer.decode([3, 5, 4]) == "hola, mundo")
        #expect(translator.targetTokenizer.decode([6, 3, 7]) == "¿hola?")
        let translation = try translator.greedy([1, 3, 2])
        #expect(translation.tokens.allSatisfy { (0..<8).contains($0) })
    }

    @Test("self-tests: greedy ids (EOS included) and the log-probability, verified bit for bit on every path; a changed weight fails")
    func selfTests() throws {
        for storage in [WeightStorage.int8, .f32] {
            var fixture = Seq2SeqFixture()
            fixture.attention = "additive"
            fixture.bidirectional = true
            let withTests = try fixture.withSelfTests(Self.sources, storage)
            let model = try withTests.model(storage)
            let translator = try model.makeTranslator()
            for (k, source) in Self.sources.enumerated() {
                let greedy = try translator.greedy(source)
                let ids = greedy.tokens + (greedy.finished ? [Int32(Seq2SeqFixture.eos)] : [])
                #expect(model.selfTests[k].expected == ids.map(Float.init) + [greedy.logProbability])
            }
            for path in KernelPath.allCases where path.isAvailable {
                let report = try model.verifySelfTests(kernels: path)
                #expect(report.cases == 3)
            }
            var changed = withTests
            changed.replacedTensors["att.combine.bias"] = (.f32, [6], ModelFixture.littleEndianBytes([Float](repeating: 0.5, count: 6).map(\.bitPattern)))
            let altered = try changed.model(storage)
            #expect(throws: RecurError.self) { _ = try altered.verifySelfTests() }
        }
    }
}
