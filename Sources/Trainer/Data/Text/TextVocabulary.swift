import RecurRuntime

/// A text classifier's vocabulary: id 0 is the unknown token `<unk>` (a text no tokenizer
/// produces), then the training tokens seen at least `minCount` times, most frequent first (ties
/// in scalar order), so the same data and settings always give the same ids.
///
/// Lines are cut by the Runtime's own code (`Tokenizer.lineTokens` to count, `Tokenizer.encodeLine`
/// to encode), so the trainer sees exactly the ids `recur-run` will compute.
public struct TextVocabulary: Sendable {
    /// id → text (`recur.vocab`).
    public let tokens: [String]
    public let kind: TextTokenKind
    public let lowercase: Bool
    private let tokenizer: Tokenizer

    /// The unknown token's id (`recur.token.unk`).
    public static let unknown: Int32 = 0

    /// Counts the tokens of `lines` and keeps those seen at least `minCount` times.
    public init(lines: [String], kind: TextTokenKind, lowercase: Bool, minCount: Int) {
        self.kind = kind
        self.lowercase = lowercase
        var counts: [String: Int] = [:]
        for line in lines {
            for token in Tokenizer.lineTokens(line, kind: kind.runtimeKind, lowercase: lowercase) { counts[token, default: 0] += 1 }
        }
        let kept = counts.filter { $0.value >= minCount }.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars)
        }
        tokens = ["<unk>"] + kept.map(\.key)
        tokenizer = Tokenizer(kind: kind.runtimeKind, vocabulary: tokens, unknown: Int(TextVocabulary.unknown))
    }

    public var count: Int { tokens.count }

    /// The ids of `line`'s tokens, unknown ones as `unknown`.
    public func encode(_ line: String) -> [Int32] {
        var ids: [Int32] = []
        tokenizer.encodeLine(line, lowercase: lowercase, into: &ids)
        return ids
    }
}
