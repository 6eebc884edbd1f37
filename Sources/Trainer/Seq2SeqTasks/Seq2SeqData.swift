import RecurRuntime

/// A seq2seq task's splits, vocabularies and the text settings that travel in the model file.
public struct Seq2SeqData: Sendable {
    public var train: [Seq2SeqExample]
    public var validation: [Seq2SeqExample]
    public var test: [Seq2SeqExample]
    public var sourceVocabulary: Seq2SeqVocabulary
    public var targetVocabulary: Seq2SeqVocabulary
    public var sourceTokens: Seq2SeqTokens
    public var targetTokens: Seq2SeqTokens
    /// The runtime lowercases input lines first (`recur.text.lowercase`).
    public var lowercase: Bool
    /// Most source tokens per line.
    public var sourceMaxLength: Int
    /// Most decoding steps, the EOS step included: the longest target plus one.
    public var targetMaxLength: Int
    /// What loading did that a user should know (pairs dropped, splits shrunk).
    public var notes: [String]

    public init(train: [Seq2SeqExample], validation: [Seq2SeqExample], test: [Seq2SeqExample],
                sourceVocabulary: Seq2SeqVocabulary, targetVocabulary: Seq2SeqVocabulary,
                sourceTokens: Seq2SeqTokens, targetTokens: Seq2SeqTokens, lowercase: Bool,
                sourceMaxLength: Int, targetMaxLength: Int, notes: [String] = []) {
        self.train = train
        self.validation = validation
        self.test = test
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.sourceTokens = sourceTokens
        self.targetTokens = targetTokens
        self.lowercase = lowercase
        self.sourceMaxLength = sourceMaxLength
        self.targetMaxLength = targetMaxLength
        self.notes = notes
    }

    /// The docs/FORMAT.md seq2seq keys this data fixes: vocabularies, tokenizers, special ids,
    /// lowercasing and the maximum lengths (the exporter adds the network's own keys).
    public var taskKeys: [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = [
            ("recur.vocab", .array(.string(sourceVocabulary.tokens))),
            ("recur.tokenizer", .string(sourceTokens.rawValue)),
            ("recur.token.unk", .uint32(UInt32(sourceVocabulary.unknown))),
            ("recur.target.vocab", .array(.string(targetVocabulary.tokens))),
            ("recur.target.tokenizer", .string(targetTokens.rawValue)),
            ("recur.target.token.unk", .uint32(UInt32(targetVocabulary.unknown))),
            ("recur.text.lowercase", .bool(lowercase)),
            ("recur.source.max_length", .uint32(UInt32(sourceMaxLength))),
            ("recur.target.max_length", .uint32(UInt32(targetMaxLength))),
        ]
        if let bos = targetVocabulary.bos { keys.append(("recur.target.token.bos", .uint32(UInt32(bos)))) }
        if let eos = targetVocabulary.eos { keys.append(("recur.target.token.eos", .uint32(UInt32(eos)))) }
        return keys
    }

    /// The words a hypothesis (target ids, EOS excluded) is scored as: its text re-split into words,
    /// so char and word models are scored the same way against `Seq2SeqExample.reference`.
    public func hypothesisWords(_ ids: [Int32]) -> [String] {
        let tokens = targetVocabulary.decode(ids)
        switch targetTokens {
        case .word: return tokens
        case .char: return WordSplitting.words(tokens.joined(), lowercase: false)
        }
    }
}
