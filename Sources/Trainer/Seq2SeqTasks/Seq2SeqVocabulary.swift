/// One side's token vocabulary for a seq2seq task: special tokens first, then the kept tokens.
///
/// Ids: 0 is `<unk>`; a target vocabulary also has `<bos>` (1) and `<eos>` (2). The kept tokens
/// follow, most frequent first (ties in code-point order of the text), so the same data and
/// `minCount` always give the same ids. Special tokens are written with angle brackets, which the
/// word tokenizer always splits off and the char tokenizer reads one scalar at a time, so no
/// input text ever maps to them.
public struct Seq2SeqVocabulary: Sendable, Equatable {
    /// id → text (`recur.vocab` / `recur.target.vocab`).
    public private(set) var tokens: [String]
    public let unknown: Int32
    /// Target side only: the start and end symbols.
    public let bos: Int32?
    public let eos: Int32?
    private var ids: [String: Int32]

    public static let unknownText = "<unk>"
    public static let bosText = "<bos>"
    public static let eosText = "<eos>"

    /// Counts `sentences` and keeps every token seen at least `minCount` times (minCount ≥ 1).
    ///
    /// - Parameter target: adds `<bos>` and `<eos>` after `<unk>`.
    public init<S: Sequence>(sentences: S, minCount: Int, target: Bool) where S.Element == [String] {
        var counts: [String: Int] = [:]
        for sentence in sentences {
            for token in sentence { counts[token, default: 0] += 1 }
        }
        let kept = counts.filter { $0.value >= max(1, minCount) }.sorted {
            $0.value != $1.value ? $0.value > $1.value : Array($0.key.unicodeScalars.map(\.value))
                .lexicographicallyPrecedes($1.key.unicodeScalars.map(\.value))
        }.map(\.key)
        self.init(kept: kept, target: target)
    }

    /// A vocabulary with exactly `kept` (in this order) after the special tokens.
    public init(kept: [String], target: Bool) {
        let specials = target ? [Self.unknownText, Self.bosText, Self.eosText] : [Self.unknownText]
        tokens = specials + kept
        unknown = 0
        bos = target ? 1 : nil
        eos = target ? 2 : nil
        ids = [:]
        for (index, token) in kept.enumerated() where ids[token] == nil {
            ids[token] = Int32(index + specials.count)
        }
    }

    public var count: Int { tokens.count }

    /// The id of `token`, `unknown` when it was not kept.
    public func id(_ token: String) -> Int32 {
        ids[token] ?? unknown
    }

    /// The ids of a token sequence.
    public func encode(_ sentence: [String]) -> [Int32] {
        sentence.map { id($0) }
    }

    /// The texts of `ids`; ids outside the vocabulary read as `<unk>`.
    public func decode(_ sentence: [Int32]) -> [String] {
        sentence.map { $0 >= 0 && Int($0) < tokens.count ? tokens[Int($0)] : Self.unknownText }
    }
}
