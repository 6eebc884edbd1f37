/// A character vocabulary: one Unicode scalar per token, rare characters folded into `unk`.
///
/// Id 0 is the unknown token (text U+FFFD); the kept characters follow in scalar order, so the
/// same text and `minCount` always give the same ids.
public struct CharVocabulary: Sendable, Equatable {
    /// id → text (`recur.vocab`).
    public var tokens: [String]
    /// The unknown token's id (`recur.token.unk`).
    public var unknown: Int32 = 0
    private var ids: [Unicode.Scalar: Int32]

    /// Counts the scalars of `text` and keeps those seen at least `minCount` times.
    public init(text: String.UnicodeScalarView, minCount: Int) {
        var counts: [Unicode.Scalar: Int] = [:]
        for scalar in text { counts[scalar, default: 0] += 1 }
        let kept = counts.filter { $0.value >= minCount }.keys.sorted { $0.value < $1.value }
        tokens = ["\u{FFFD}"] + kept.map { String($0) }
        ids = [:]
        for (index, scalar) in kept.enumerated() { ids[scalar] = Int32(index + 1) }
    }

    /// Rebuilds a vocabulary from its token list (as read from a model file).
    public init(tokens: [String], unknown: Int32) {
        self.tokens = tokens
        self.unknown = unknown
        ids = [:]
        for (index, token) in tokens.enumerated() where Int32(index) != unknown {
            if let scalar = token.unicodeScalars.first, token.unicodeScalars.count == 1 { ids[scalar] = Int32(index) }
        }
    }

    public var count: Int { tokens.count }

    /// The id of one scalar (`unknown` when it is not in the vocabulary).
    public func id(_ scalar: Unicode.Scalar) -> Int32 {
        ids[scalar] ?? unknown
    }

    /// The ids of every scalar of `text`.
    public func encode(_ text: String.UnicodeScalarView) -> [Int32] {
        text.map { id($0) }
    }
}
