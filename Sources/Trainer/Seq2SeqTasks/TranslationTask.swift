import Foundation
import RecurRuntime

/// Translation from a tab-separated pairs file (the Tatoeba/manythings layout:
/// `source<TAB>target[<TAB>attribution]`, one pair per line, UTF-8).
///
/// Loading: every line splits at its first two tabs (a third field is ignored); both sides are
/// tokenized by `tokens` (WordSplitting words or characters), lowercased first when `lowercase` is
/// set. Pairs with an empty side, or with more than `maxLength` tokens on either side, are dropped
/// before splitting, so every split has the same length limit and the runtime can encode every
/// test sentence. Pairs are grouped by their tokenized source sentence and the groups are shuffled
/// with the seed; whole groups go to the test split until it holds `testCount` pairs, then to
/// validation, the rest to training — so a source sentence with several translations never
/// straddles training and test. Vocabularies come from the training split only; tokens seen fewer
/// than `minCount` times there become `<unk>`.
///
/// Scoring uses one reference per test pair: the pair's own target sentence (a source with three
/// translations is three test pairs, each scored against its own translation).
public struct TranslationTask: Sendable {
    public var tokens: Seq2SeqTokens
    public var lowercase: Bool
    public var minCount: Int
    /// Most tokens per side (the model's source and target max lengths).
    public var maxLength: Int
    public var testCount: Int
    public var validationCount: Int
    /// Use at most this many training pairs (0: all), taken after the seeded shuffle.
    public var maxTrainPairs: Int

    /// Files larger than this are refused before reading (4 GiB).
    public static let maxFileBytes = 1 << 32

    public init(tokens: Seq2SeqTokens = .word, lowercase: Bool = true, minCount: Int = 2, maxLength: Int? = nil,
                testCount: Int = 2_000, validationCount: Int = 1_000, maxTrainPairs: Int = 0) {
        self.tokens = tokens
        self.lowercase = lowercase
        self.minCount = minCount
        self.maxLength = maxLength ?? (tokens == .word ? 20 : 80)
        self.testCount = testCount
        self.validationCount = validationCount
        self.maxTrainPairs = maxTrainPairs
    }

    /// Reads `path` and makes the splits with `seed`.
    ///
    /// - Throws: `Seq2SeqDataError` naming the file (and line) when it cannot be read, is not
    ///   UTF-8, has a line without a tab, or leaves no training pairs.
    public func makeData(path: String, seed: UInt64) throws -> Seq2SeqData {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw Seq2SeqDataError("--pairs \(path): cannot read the file (\(error.localizedDescription))")
        }
        if let size = attributes[.size] as? Int, size > Self.maxFileBytes {
            throw Seq2SeqDataError("--pairs \(path): \(size) bytes is more than the \(Self.maxFileBytes)-byte limit")
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw Seq2SeqDataError("--pairs \(path): cannot read the file")
        }
        return try makeData(bytes: [UInt8](bytes), origin: path, seed: seed)
    }

    /// Makes the splits from the bytes of a pairs file; `origin` names it in errors.
    public func makeData(bytes: [UInt8], origin: String, seed: UInt64) throws -> Seq2SeqData {
        try validate()
        var notes: [String] = []
        let pairs = try parse(bytes, origin: origin, notes: &notes)

        // Group by tokenized source, shuffle the groups, deal them out to test, validation, train.
        var groupOf: [[String]: Int] = [:]
        var groups: [[Int]] = []
        for (index, pair) in pairs.enumerated() {
            if let group = groupOf[pair.source] {
                groups[group].append(index)
            } else {
                groupOf[pair.source] = groups.count
                groups.append([index])
            }
        }
        var random = SeededRandom(seed: seed)
        let order = TrainingLoop.shuffled(0..<groups.count, &random)
        var split: (test: [Int], validation: [Int], train: [Int]) = ([], [], [])
        for group in order {
            if split.test.count < testCount {
                split.test += groups[group]
            } else if split.validation.count < validationCount {
                split.validation += groups[group]
            } else if maxTrainPairs == 0 || split.train.count < maxTrainPairs {
                split.train += groups[group]
            }
        }
        if maxTrainPairs > 0 && split.train.count > maxTrainPairs { split.train.removeLast(split.train.count - maxTrainPairs) }
        guard !split.train.isEmpty else {
            throw Seq2SeqDataError("\(origin): \(pairs.count) usable pairs leave nothing for training after "
                + "\(split.test.count) test and \(split.validation.count) validation pairs")
        }

        let source = Seq2SeqVocabulary(sentences: split.train.lazy.map { pairs[$0].source }, minCount: minCount, target: false)
        let target = Seq2SeqVocabulary(sentences: split.train.lazy.map { pairs[$0].target }, minCount: minCount, target: true)
        func examples(_ indices: [Int]) -> [Seq2SeqExample] {
            indices.map { index in
                let pair = pairs[index]
                let reference = tokens == .word ? pair.target : WordSplitting.words(pair.target.joined(), lowercase: false)
                return Seq2SeqExample(source: source.encode(pair.source), target: target.encode(pair.target),
                                      reference: reference)
            }
        }
        // Targets have at most maxLength tokens; decoding takes one more step to say EOS.
        return Seq2SeqData(train: examples(split.train), validation: examples(split.validation),
                           test: examples(split.test), sourceVocabulary: source, targetVocabulary: target,
                           sourceTokens: tokens, targetTokens: tokens, lowercase: lowercase,
                           sourceMaxLength: maxLength, targetMaxLength: maxLength + 1, notes: notes)
    }

    /// Checks the options.
    public func validate() throws {
        if minCount < 1 { throw Seq2SeqDataError("--min-count must be at least 1, got \(minCount)") }
        if maxLength < 1 { throw Seq2SeqDataError("--max-length must be at least 1, got \(maxLength)") }
        if testCount < 1 || validationCount < 1 {
            throw Seq2SeqDataError("test and validation counts must be positive (got \(testCount), \(validationCount))")
        }
        if maxTrainPairs < 0 { throw Seq2SeqDataError("--max-pairs must not be negative, got \(maxTrainPairs)") }
    }

    /// One tokenized line.
    struct Pair {
        var source: [String]
        var target: [String]
    }

    /// The tokenized pairs of the file that fit `maxLength`, in file order.
    func parse(_ bytes: [UInt8], origin: String, notes: inout [String]) throws -> [Pair] {
        var pairs: [Pair] = []
        var empty = 0, long = 0
        var lineNumber = 0
        for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == 13 { line = line.dropLast() }
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            guard let text = String(validating: line, as: UTF8.self) else {
                throw Seq2SeqDataError("\(origin) line \(lineNumber): not valid UTF-8")
            }
            let fields = text.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2 else {
                throw Seq2SeqDataError("\(origin) line \(lineNumber): expected source<TAB>target, found no tab")
            }
            let pair = Pair(source: tokens.split(String(fields[0]), lowercase: lowercase),
                            target: tokens.split(String(fields[1]), lowercase: lowercase))
            if pair.source.isEmpty || pair.target.isEmpty {
                empty += 1
            } else if pair.source.count > maxLength || pair.target.count > maxLength {
                long += 1
            } else {
                pairs.append(pair)
            }
        }
        if empty > 0 { notes.append("\(origin): dropped \(empty) pair(s) with an empty side") }
        if long > 0 { notes.append("\(origin): dropped \(long) pair(s) longer than \(maxLength) tokens") }
        return pairs
    }
}
