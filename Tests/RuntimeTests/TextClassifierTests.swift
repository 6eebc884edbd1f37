import RecurRuntime
import Testing
import TestSupport

/// The text classifier (`TextClassifier`, docs/FORMAT.md "Text classifier models"): its f32 path
/// against an independent Double reference for every cell, direction and pooling, int8 and F16
/// against f32, every kernel path the same bits, self-tests, and the line rules.
@Suite("Text classifier")
struct TextClassifierTests {
    /// Seeded id lines of lengths 1, 2, 5 and the fixture's max_length (12).
    static func lines(vocabulary: Int, seed: UInt64 = 9) -> [[Int32]] {
        var rng = SeededGenerator(seed: seed)
        return [1, 2, 5, 12].map { n in (0..<n).map { _ in Int32(rng.next() % UInt64(vocabulary)) } }
    }

    /// Every architecture the tests sweep: cells × directions × pooling (and a hidden dense layer).
    static var architectures: [TextClassifierFixture] {
        var all: [TextClassifierFixture] = []
        for cell in ["lstm", "gru", "rnn"] {
            for directions in [[false], [true], [true, false], [false, true]] {
                for pool in ["last", "mean", "max"] {
                    var fixture = TextClassifierFixture()
                    fixture.cell = cell
                    fixture.directions = directions
                    fixture.pool = pool
                    fixture.hiddenDense = directions.count == 2 ? [(size: 6, activation: "tanh")] : []
                    fixture.seed = UInt64(all.count + 1)
                    all.append(fixture)
                }
            }
        }
        return all
    }

    @Test("f32 probabilities equal the Double reference to 1e-5: every cell, uni/bidirectional, stacked, every pool")
    func f32MatchesReference() throws {
        for fixture in Self.architectures {
            let classifier = try fixture.model(.f32).makeTextClassifier()
            let reference = TextClassifierReference(fixture)
            for line in Self.lines(vocabulary: fixture.vocabulary.count) {
                let result = try classifier.classify(ids: line)
                let expected = reference.probabilities(line.map(Int.init))
                #expect(result.probabilities.count == fixture.labels.count)
                for (found, wanted) in zip(result.probabilities, expected) {
                    #expect(close(found, wanted), "\(fixture.cell) \(fixture.directions) \(fixture.pool) \(line): \(found) vs \(wanted)")
                }
            }
        }
    }

    @Test("the pools differ from each other, so each one above was checked for itself")
    func poolsDiffer() throws {
        var fixture = TextClassifierFixture()
        fixture.directions = [true]
        var seen: [[Float]] = []
        for pool in ["last", "mean", "max"] {
            fixture.pool = pool
            let result = try fixture.model().makeTextClassifier().classify(ids: [1, 2, 3, 4, 5])
            let probabilities = Array(result.probabilities)
            #expect(!seen.contains(probabilities), "\(pool)")
            seen.append(probabilities)
        }
    }

    @Test("int8 and F16 storage stay close to f32: every probability within 0.03")
    func quantizedClose() throws {
        for fixture in Self.architectures where fixture.cell != "rnn" || fixture.pool == "mean" {
            let f32 = try fixture.model(.f32).makeTextClassifier()
            for storage in [WeightStorage.int8, .f16] {
                let other = try fixture.model(storage).makeTextClassifier()
                for line in Self.lines(vocabulary: fixture.vocabulary.count) {
                    let expected = Array(try f32.classify(ids: line).probabilities)
                    let found = Array(try other.classify(ids: line).probabilities)
                    for (a, b) in zip(found, expected) {
                        #expect(abs(a - b) <= 0.03, "\(storage) \(fixture.cell) \(fixture.directions) \(fixture.pool): \(a) vs \(b)")
                    }
                }
            }
        }
    }

    @Test("every kernel path gives the same bits, int8 and f32")
    func kernelPathsAgree() throws {
        var fixture = TextClassifierFixture()
        fixture.directions = [true, true]
        fixture.hidden = 9
        for storage in [WeightStorage.int8, .f32] {
            let model = try fixture.model(storage)
            let scalar = try model.makeTextClassifier(kernels: .scalar)
            for path in KernelPath.allCases where path.isAvailable {
                let other = try model.makeTextClassifier(kernels: path)
                for line in Self.lines(vocabulary: fixture.vocabulary.count) {
                    let expected = Array(try scalar.classify(ids: line).probabilities).map(\.bitPattern)
                    let found = Array(try other.classify(ids: line).probabilities).map(\.bitPattern)
                    #expect(found == expected, "\(path) \(storage)")
                }
            }
        }
    }

    @Test("the result: label is the most probable (lowest id on ties), p its probability, probabilities sum to 1")
    func result() throws {
        let classifier = try TextClassifierFixture().model(.int8).makeTextClassifier()
        for line in Self.lines(vocabulary: 6) {
            let result = try classifier.classify(ids: line)
            let probabilities = Array(result.probabilities)
            let best = probabilities.max()!
            #expect(result.label == probabilities.firstIndex(of: best))
            #expect(result.probability == best)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(result.tokenCount == line.count && result.truncatedFrom == nil)
        }
    }

    @Test("a line: tokenized by the model's tokenizer (trimmed, lowercased), then classified as its ids")
    func lines() throws {
        var fixture = TextClassifierFixture()
        fixture.vocabulary = ["<unk>", "中", "中国", "国足", "足球", "a", "a ", " b"]
        fixture.tokenizer = "char_bigram"
        fixture.lowercase = true
        fixture.maxLength = 3
        let classifier = try fixture.model().makeTextClassifier()
        let cases: [(String, [Int32], Int)] = [
            ("中国足球", [2, 3, 4], 0), (" 中 ", [1], 0), ("A B", [6, 7], 0), ("中国x", [2, 0], 1), ("A", [5], 0),
        ]
        for (line, ids, unknown) in cases {
            let result = try classifier.classify(line)
            let expected = Array(try classifier.classify(ids: ids).probabilities)
            #expect(Array(result.probabilities) == expected, "\(line)")
            #expect(result.tokenCount == ids.count && result.unknownCount == unknown, "\(line)")
        }
    }

    @Test("lines refused: no tokens (emptyInput), over max_length (inputTooLong unless truncated), all unknown (noKnownToken)")
    func refusedLines() throws {
        var fixture = TextClassifierFixture()
        fixture.maxLength = 4
        let classifier = try fixture.model().makeTextClassifier()
        #expect(throws: RecurError.emptyInput) { _ = try classifier.classify("") }
        #expect(throws: RecurError.emptyInput) { _ = try classifier.classify(" \t\u{3000} ") }
        #expect(throws: RecurError.inputTooLong(tokens: 5, limit: 4)) { _ = try classifier.classify("abcda") }
        #expect(throws: RecurError.noKnownToken(tokens: 2)) { _ = try classifier.classify("xy") }
        // Truncated: the first 4 tokens, and the line's count is kept.
        let truncated = try classifier.classify("abcda", truncate: true)
        #expect(truncated.truncatedFrom == 5 && truncated.tokenCount == 4)
        #expect(Array(truncated.probabilities) == Array(try classifier.classify(ids: [1, 2, 3, 4]).probabilities))
        // All unknown within the kept tokens, known ones after them: still refused.
        #expect(throws: RecurError.noKnownToken(tokens: 4)) { _ = try classifier.classify("xyzwa", truncate: true) }
        // A line with an unknown token among known ones is classified.
        #expect(try classifier.classify("xa").unknownCount == 1)
        // The ids entry point: empty, too long, out of range; a line of unknown ids is classified.
        #expect(throws: RecurError.emptyInput) { _ = try classifier.classify(ids: []) }
        #expect(throws: RecurError.inputTooLong(tokens: 5, limit: 4)) { _ = try classifier.classify(ids: [1, 1, 1, 1, 1]) }
        #expect(throws: RecurError.tokenOutOfRange(token: 6, vocabularySize: 6)) { _ = try classifier.classify(ids: [1, 6]) }
        #expect(throws: RecurError.tokenOutOfRange(token: -1, vocabularySize: 6)) { _ = try classifier.classify(ids: [-1]) }
        #expect(try classifier.classify(ids: [0, 0]).probabilities.count == 3)
    }

    @Test("one classifier gives every line the result of a fresh one (nothing carries over between lines)")
    func independentLines() throws {
        var fixture = TextClassifierFixture()
        fixture.directions = [true, false]
        let model = try fixture.model(.int8)
        let shared = try model.makeTextClassifier()
        for line in Self.lines(vocabulary: 6).reversed() + Self.lines(vocabulary: 6, seed: 4) {
            let fresh = Array(try model.makeTextClassifier().classify(ids: line).probabilities)
            #expect(Array(try shared.classify(ids: line).probabilities) == fresh)
        }
    }

    @Test("self-tests: the label probabilities, verified bit for bit on every path; other weights fail")
    func selfTests() throws {
        for storage in [WeightStorage.int8, .f32] {
            var fixture = try TextClassifierFixture().withSelfTests([[1, 2, 3], [5], [0, 0, 4, 4, 4, 1, 2, 3, 1, 2, 3, 5]], storage)
            let model = try fixture.model(storage)
            for path in KernelPath.allCases where path.isAvailable {
                let report = try model.verifySelfTests(kernels: path)
                #expect(report.cases == 3 && report.values == 9)
            }
            // The same self-tests in a file whose weights differ.
            fixture.seed = 77
            let altered = try fixture.model(storage)
            #expect {
                _ = try altered.verifySelfTests()
            } throws: { error in
                if case .selfTestMismatch = error as? RecurError { return true }
                return false
            }
        }
    }

    @Test("the task's types say the task: no frame or language session for a text classifier, no TextClassifier for another task")
    func wrongTask() throws {
        let model = try TextClassifierFixture().model()
        #expect(model.task == .textClassifier)
        #expect(throws: RecurError.wrongTask(expected: "classifier or regressor (frames)", found: "text_classifier")) {
            _ = try model.makeFrameSession()
        }
        #expect(throws: RecurError.wrongTask(expected: "lm", found: "text_classifier")) { _ = try model.makeLanguageSession() }
        #expect(throws: RecurError.self) { _ = try model.makeTranslator() }
        let lm = try ModelFixture.lm().model()
        #expect(throws: RecurError.wrongTask(expected: "text_classifier", found: "lm")) { _ = try lm.makeTextClassifier() }
        #expect(throws: RecurError.wrongTask(expected: "text_classifier (token ids)", found: "frames")) {
            _ = try model.selfTestOutputs(for: .frames([0]))
        }
    }
}
