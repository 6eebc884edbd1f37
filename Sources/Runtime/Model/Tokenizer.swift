/// Turns lm text into token ids with the model's vocabulary (`recur.tokenizer`).
///
/// `char`: one Unicode scalar per token; vocabulary entries that are not a single
/// scalar (such as `<bos>`) are reachable only by id. `word`: text split at
/// spaces, tabs and newlines, one token per word. Text the vocabulary lacks maps
/// to `recur.token.unk` when the model has one, and is dropped (and counted)
/// otherwise.
public struct Tokenizer: Sendable {
    public enum Kind: String, Sendable {
        case char
        case word
    }

    public let kind: Kind
    /// Token id → text.
    public let vocabulary: [String]
    /// The unknown token's id, if the model has one.
    public let unknown: Int?
    /// char: Unicode scalar value → id (the first entry wins on duplicates).
    private let scalarIDs: [UInt32: Int32]
    /// word: word → id.
    private let wordIDs: [String: Int32]

    /// A tokenizer over `vocabulary` (ids are positions in it); `unknown` is the id text the
    /// vocabulary lacks becomes, or nil to drop such text. Models build theirs from
    /// `recur.vocab`; this is public for callers that tokenize without a model (the fuzz targets).
    public init(kind: Kind, vocabulary: [String], unknown: Int?) {
        self.kind = kind
        self.vocabulary = vocabulary
        self.unknown = unknown
        var scalars: [UInt32: Int32] = [:]
        var words: [String: Int32] = [:]
        for (id, text) in vocabulary.enumerated() {
            switch kind {
            case .char:
                var iterator = text.unicodeScalars.makeIterator()
                if let scalar = iterator.next(), iterator.next() == nil, scalars[scalar.value] == nil {
                    scalars[scalar.value] = Int32(id)
                }
            case .word:
                if words[text] == nil { words[text] = Int32(id) }
            }
        }
        scalarIDs = scalars
        wordIDs = words
    }

    /// Appends the ids of `text` to `tokens`.
    ///
    /// - Returns: how many characters (char) or words (word) the vocabulary lacks;
    ///   they became the unknown token, or were dropped when the model has none.
    @discardableResult
    public func encode(_ text: String, into tokens: inout [Int32]) -> Int {
        var missing = 0
        switch kind {
        case .char:
            for scalar in text.unicodeScalars {
                if let id = scalarIDs[scalar.value] {
                    tokens.append(id)
                } else {
                    missing += 1
                    if let unknown { tokens.append(Int32(unknown)) }
                }
            }
        case .word:
            for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
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

    /// Appends the id of each of `words` (already split, e.g. by `WordSplitting.words`)
    /// to `tokens`, looking each up whole in a word vocabulary or scalar by scalar in
    /// a char one.
    ///
    /// - Returns: how many the vocabulary lacks (unknown token, or dropped without one).
    @discardableResult
    public func encode(words: [String], into tokens: inout [Int32]) -> Int {
        if kind == .char {
            var missing = 0
            for word in words { missing += encode(word, into: &tokens) }
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
}
