/// Text ↔ token ids with a model's vocabulary: `encode` turns text into ids, `decode` and
/// `piece` turn ids back into text (Tokenizer+Decoding.swift).
///
/// `char`: one Unicode scalar per token; vocabulary entries that are not a single scalar
/// (such as `<bos>`) are reachable only by id. `word`: one token per word, the words found by
/// `wordRules` — at spaces, tabs and newlines (an lm's `recur.tokenizer = word`), or by
/// `WordSplitting`'s rules, punctuation split off (a seq2seq model's). `char_bigram` (text
/// classifiers): overlapping pairs of scalars (`encodeLine`). `lowercase` (seq2seq's
/// `recur.text.lowercase`) lowercases text before it is split. Text the vocabulary lacks maps
/// to `recur.token.unk` when the model has one, and is dropped (and counted) otherwise.
public struct Tokenizer: Sendable {
    public enum Kind: String, Sendable {
        case char
        case word
        /// Overlapping scalar pairs; a one-scalar line is its one scalar (text classifiers only).
        case charBigram = "char_bigram"
    }

    /// How a `word` tokenizer finds words in text and joins them back into text.
    public enum WordRules: Sendable, Equatable {
        /// Runs of anything but space, tab, CR and LF; a stream prints a space before each
        /// word (an lm's word tokenizer).
        case whitespace
        /// `WordSplitting.words` and `WordSplitting.join`: punctuation is a token of its own
        /// (a seq2seq model's word tokenizer).
        case punctuation
    }

    public let kind: Kind
    /// Token id → text.
    public let vocabulary: [String]
    /// The unknown token's id, if the model has one.
    public let unknown: Int?
    /// Text is lowercased (`WordSplitting.lowercased`) before it is split.
    public let lowercase: Bool
    /// How words are found and joined (`word` only).
    public let wordRules: WordRules
    /// char: Unicode scalar value → id (the first entry wins on duplicates).
    private let scalarIDs: [UInt32: Int32]
    /// word: word → id.
    private let wordIDs: [String: Int32]
    /// char_bigram: the two scalar values (first << 32 | second) → id of the entry that is
    /// exactly those two scalars (the first entry wins); single scalars are in `scalarIDs`.
    private let pairIDs: [UInt64: Int32]

    /// A tokenizer over `vocabulary` (ids are positions in it); `unknown` is the id text the
    /// vocabulary lacks becomes, or nil to drop such text. Models build theirs from
    /// `recur.vocab`; this is public for callers that tokenize without a model (the fuzz targets).
    public init(
        kind: Kind, vocabulary: [String], unknown: Int?, lowercase: Bool = false, wordRules: WordRules = .whitespace
    ) {
        self.kind = kind
        self.vocabulary = vocabulary
        self.unknown = unknown
        self.lowercase = lowercase
        self.wordRules = wordRules
        var scalars: [UInt32: Int32] = [:]
        var words: [String: Int32] = [:]
        var pairs: [UInt64: Int32] = [:]
        for (id, text) in vocabulary.enumerated() {
            switch kind {
            case .char, .charBigram:
                var iterator = text.unicodeScalars.makeIterator()
                guard let first = iterator.next() else { continue }
                let second = iterator.next()
                if second == nil, scalars[first.value] == nil {
                    scalars[first.value] = Int32(id)
                } else if kind == .charBigram, let second, iterator.next() == nil {
                    let key = Self.pairKey(first, second)
                    if pairs[key] == nil { pairs[key] = Int32(id) }
                }
            case .word:
                if words[text] == nil { words[text] = Int32(id) }
            }
        }
        scalarIDs = scalars
        wordIDs = words
        pairIDs = pairs
    }

    private static func pairKey(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> UInt64 {
        UInt64(first.value) << 32 | UInt64(second.value)
    }

    /// The id of the vocabulary entry that is exactly `scalar` (char, char_bigram), or nil.
    func scalarID(_ scalar: Unicode.Scalar) -> Int32? { scalarIDs[scalar.value] }

    /// The id of the entry that is exactly `first` then `second` (char_bigram), or nil.
    func pairID(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Int32? { pairIDs[Self.pairKey(first, second)] }

    /// The id of the entry `word` (word), or nil.
    func wordID(_ word: String) -> Int32? { wordIDs[word] }

    /// Appends the ids of `text` to `tokens` (lowercased first when `lowercase` is set; words
    /// found by `wordRules`).
    ///
    /// A `char_bigram` tokenizer splits `text` as `encodeLine` does.
    ///
    /// - Returns: how many characters (char), words (word) or pairs (char_bigram) the
    ///   vocabulary lacks; they became the unknown token, or were dropped when the model has none.
    @discardableResult
    public func encode(_ text: String, into tokens: inout [Int32]) -> Int {
        var missing = 0
        switch kind {
        case .charBigram:
            missing = encodeLine(text, lowercase: lowercase, into: &tokens).unknown
        case .char:
            missing = encodeScalars(lowercase ? WordSplitting.lowercased(text) : text, into: &tokens)
        case .word where wordRules == .punctuation:
            missing = encode(words: WordSplitting.words(text, lowercase: lowercase), into: &tokens)
        case .word:
            let source = lowercase ? WordSplitting.lowercased(text) : text
            for word in source.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
                if let id = wordIDs[String(word)] {
                    tokens.append(id)
                } else {
                    missing += 1
                    if let unknown { tokens.append(Int32(unknown)) }
                }
            }
        }
        return missing
    }

    /// Appends the id of each of `words` (already split, e.g. by `WordSplitting.words`, and
    /// not lowercased again) to `tokens`, looking each up whole in a word vocabulary or scalar
    /// by scalar in a char one.
    ///
    /// - Returns: how many the vocabulary lacks (unknown token, or dropped without one).
    @discardableResult
    public func encode(words: [String], into tokens: inout [Int32]) -> Int {
        if kind != .word {
            var missing = 0
            for word in words { missing += encodeScalars(word, into: &tokens) }
            return missing
        }
        var missing = 0
        for word in words {
            if let id = wordIDs[word] {
                tokens.append(id)
            } else {
                missing += 1
                if let unknown { tokens.append(Int32(unknown)) }
            }
        }
        return missing
    }

    /// One id per Unicode scalar of `text`, as it is.
    private func encodeScalars(_ text: String, into tokens: inout [Int32]) -> Int {
        var missing = 0
        for scalar in text.unicodeScalars {
            if let id = scalarIDs[scalar.value] {
                tokens.append(id)
            } else {
                missing += 1
                if let unknown { tokens.append(Int32(unknown)) }
            }
        }
        return missing
    }
}
