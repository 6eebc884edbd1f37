import Foundation
import RecurRuntime
import Testing
import Trainer

/// The seq2seq tasks' data: the addition generator, the translation loader on a committed fixture
/// (Fixtures/seq2seq/pairs.tsv, made by make-pairs.py from our own templates), vocabularies.
@Suite struct Seq2SeqTaskTests {
    static let pairsFile: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/seq2seq/pairs.tsv").path
    }()

    /// The question of an addition example, read back from its source ids.
    func question(_ example: Seq2SeqExample, _ data: Seq2SeqData) -> String {
        data.sourceVocabulary.decode(example.source).joined()
    }

    @Test("addition: questions are distinct, held-out questions never appear in training, answers are right")
    func additionSplits() throws {
        let data = try AdditionTask(digits: 3, trainCount: 20_000, validationCount: 1_000, testCount: 10_000).makeData(seed: 7)
        #expect(data.train.count == 20_000 && data.validation.count == 1_000 && data.test.count == 10_000)
        let train = Set(data.train.map { question($0, data) })
        let validation = Set(data.validation.map { question($0, data) })
        let test = Set(data.test.map { question($0, data) })
        #expect(train.count == 20_000 && validation.count == 1_000 && test.count == 10_000, "no repeats within a split")
        #expect(train.isDisjoint(with: test) && train.isDisjoint(with: validation) && test.isDisjoint(with: validation))
        for example in data.test.prefix(500) + data.train.prefix(500) {
            let text = question(example, data)
            let operands = text.split(separator: "+").map { Int($0)! }
            #expect(operands.count == 2 && operands.allSatisfy { (0...999).contains($0) })
            let answer = data.targetVocabulary.decode(example.target).joined()
            #expect(answer == String(operands[0] + operands[1]), "\(text) → \(answer)")
            #expect(example.reference == [answer])
            #expect(example.source.count <= data.sourceMaxLength && example.target.count <= data.targetMaxLength)
        }
        #expect(data.sourceMaxLength == 7 && data.targetMaxLength == 5)
        #expect(!data.train.contains { $0.source.contains(data.sourceVocabulary.unknown) })
    }

    @Test("addition: the seed fixes the splits; another seed gives others")
    func additionSeeded() throws {
        let task = AdditionTask(digits: 2, trainCount: 500, validationCount: 50, testCount: 100)
        let a = try task.makeData(seed: 3), b = try task.makeData(seed: 3), c = try task.makeData(seed: 4)
        #expect(a.train == b.train && a.test == b.test && a.validation == b.validation)
        #expect(a.test != c.test)
    }

    @Test("addition: a question space smaller than the request shrinks to 80/10/10 of all questions")
    func additionOneDigit() throws {
        let data = try AdditionTask(digits: 1).makeData(seed: 1)
        #expect(data.train.count == 80 && data.validation.count == 10 && data.test.count == 10)
        let all = Set((data.train + data.validation + data.test).map { question($0, data) })
        #expect(all.count == 100, "every one of the 100 questions exactly once")
        #expect(data.notes.count == 1)
        #expect(throws: Seq2SeqDataError.self) { try AdditionTask(digits: 0).makeData(seed: 1) }
        #expect(throws: Seq2SeqDataError.self) { try AdditionTask(digits: 10).makeData(seed: 1) }
    }

    @Test("vocabulary: specials first, frequent tokens next, rare tokens become <unk>")
    func vocabulary() {
        let sentences = [["b", "a", "a"], ["c", "a", "b"], ["d"]]
        let target = Seq2SeqVocabulary(sentences: sentences, minCount: 2, target: true)
        #expect(target.tokens == ["<unk>", "<bos>", "<eos>", "a", "b"])
        #expect(target.unknown == 0 && target.bos == 1 && target.eos == 2)
        #expect(target.encode(["a", "c", "b", "zzz"]) == [3, 0, 4, 0])
        #expect(target.decode([4, 3, 99, -1]) == ["b", "a", "<unk>", "<unk>"])
        let source = Seq2SeqVocabulary(sentences: sentences, minCount: 1, target: false)
        // Ties (c and d seen once) in code-point order.
        #expect(source.tokens == ["<unk>", "a", "b", "c", "d"])
        #expect(source.bos == nil && source.eos == nil)
    }

    @Test("translate: the fixture loads; no source sentence straddles train and test; long pairs are dropped")
    func translationSplits() throws {
        let task = TranslationTask(tokens: .word, lowercase: true, minCount: 1, maxLength: 20, testCount: 30, validationCount: 20)
        let data = try task.makeData(path: Self.pairsFile, seed: 5)
        // 192 pairs, one longer than 20 words.
        #expect(data.train.count + data.validation.count + data.test.count == 191)
        #expect(data.test.count >= 30 && data.validation.count >= 20)
        #expect(data.notes.contains { $0.contains("dropped 1 pair(s) longer than 20") })
        // minCount 1: training sources contain no <unk>, so equal id sequences mean equal sentences.
        let trainSources = Set(data.train.map(\.source))
        #expect(!data.test.contains { trainSources.contains($0.source) })
        #expect(!data.validation.contains { trainSources.contains($0.source) })
        // "Do you have a cat?" has two translations: both in the same split.
        let cat = data.sourceVocabulary.encode(WordSplitting.words("Do you have a cat?", lowercase: true))
        let splitsHolding = [data.train, data.validation, data.test].filter { $0.contains { $0.source == cat } }
        #expect(splitsHolding.count == 1 && splitsHolding[0].filter { $0.source == cat }.count == 2)
        // Lowercased words, punctuation split; the reference is the pair's own sentence.
        #expect(data.sourceVocabulary.tokens.contains("don't") && !data.sourceVocabulary.tokens.contains("Tom"))
        #expect(data.targetVocabulary.tokens.contains("¿") && data.targetVocabulary.tokens.contains("está"))
        for example in data.test {
            #expect(data.targetVocabulary.decode(example.target) == example.reference.map {
                data.targetVocabulary.id($0) == 0 ? "<unk>" : $0 })
        }
        #expect(data.sourceMaxLength == 20 && data.targetMaxLength == 21)
        // Another run with the same seed gives the same splits.
        #expect(try task.makeData(path: Self.pairsFile, seed: 5).test == data.test)
    }

    @Test("translate: min-count folds rare training words into <unk>; vocabularies come from training only")
    func translationVocabulary() throws {
        let data = try TranslationTask(minCount: 3, testCount: 30, validationCount: 20).makeData(path: Self.pairsFile, seed: 5)
        #expect(data.targetVocabulary.bos == 1 && data.targetVocabulary.eos == 2)
        #expect(data.train.contains { $0.target.contains(data.targetVocabulary.unknown) })
        var counts: [String: Int] = [:]
        for example in data.train { for word in example.reference { counts[word, default: 0] += 1 } }
        for token in data.targetVocabulary.tokens.dropFirst(3) { #expect(counts[token, default: 0] >= 3, "\(token)") }
        let keys = Dictionary(data.taskKeys, uniquingKeysWith: { a, _ in a })
        #expect(keys["recur.tokenizer"] == .string("word") && keys["recur.text.lowercase"] == .bool(true))
        #expect(keys["recur.target.token.eos"] == .uint32(2) && keys["recur.source.max_length"] == .uint32(20))
    }

    @Test("translate: char tokens keep case when not lowercasing; scoring words come from the text")
    func translationCharacters() throws {
        let data = try TranslationTask(tokens: .char, lowercase: false, minCount: 1, testCount: 30, validationCount: 20)
            .makeData(path: Self.pairsFile, seed: 2)
        #expect(data.sourceVocabulary.tokens.contains("T") && data.sourceVocabulary.tokens.contains(" "))
        #expect(data.sourceMaxLength == 80)
        let example = data.test[0]
        #expect(data.hypothesisWords(example.target) == example.reference)
        #expect(example.reference == WordSplitting.words(data.targetVocabulary.decode(example.target).joined(), lowercase: false))
    }

    @Test("translate: bad files get errors naming the line")
    func translationErrors() throws {
        let task = TranslationTask(testCount: 1, validationCount: 1)
        func message(_ text: [UInt8]) -> String {
            do { _ = try task.makeData(bytes: text, origin: "p.tsv", seed: 1); return "no error" } catch { return "\(error)" }
        }
        #expect(message(Array("Go.\tVe.\nno tab here\n".utf8)) == "p.tsv line 2: expected source<TAB>target, found no tab")
        #expect(message(Array("Go.\tVe.\n".utf8) + [0x48, 0xFF, 0x09, 0x41]) == "p.tsv line 2: not valid UTF-8")
        #expect(message(Array("Go.\tVe.\n\n".utf8)).contains("leave nothing for training"))
        #expect(throws: Seq2SeqDataError.self) { try task.makeData(path: "/nonexistent/pairs.tsv", seed: 1) }
        #expect(throws: Seq2SeqDataError.self) {
            try TranslationTask(minCount: 0).makeData(bytes: Array("a\tb\n".utf8), origin: "x", seed: 1)
        }
    }
}
