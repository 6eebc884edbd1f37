import RecurRuntime

/// How a text classifier cuts a line into tokens (`recur.tokenizer`; docs/FORMAT.md, "Text
/// classifier models"). Unsegmented Chinese works with `char` and `charBigram`.
public enum TextTokenKind: String, Codable, Sendable, CaseIterable {
    /// One Unicode scalar per token; whitespace inside the line is a token too.
    case char
    /// seq2seq's word rule (`WordSplitting.words`): runs of letters and digits, punctuation alone.
    case word
    /// The m − 1 overlapping pairs of the line's m scalars (one token for m = 1).
    case charBigram = "char-bigram"

    /// The `recur.tokenizer` value.
    public var fileName: String {
        switch self {
        case .char: "char"
        case .word: "word"
        case .charBigram: "char_bigram"
        }
    }
}

/// The token texts of a line, by the file contract's rules: lowercasing when asked (seq2seq's
/// rule), leading and trailing whitespace dropped, then `char`, `word` or `char_bigram`.
public enum TextTokens {
    /// The token texts of `line` (empty for a blank line).
    public static func split(_ line: String, kind: TextTokenKind, lowercase: Bool) -> [String] {
        if kind == .word { return WordSplitting.words(line, lowercase: lowercase) }
        var scalars = Array((lowercase ? WordSplitting.lowercased(line) : line).unicodeScalars)
        while let last = scalars.last, isWhitespace(last) { scalars.removeLast() }
        let start = scalars.firstIndex { !isWhitespace($0) } ?? scalars.count
        scalars.removeFirst(start)
        switch kind {
        case .char:
            return scalars.map { String($0) }
        case .charBigram:
            if scalars.count == 1 { return [String(scalars[0])] }
            return scalars.indices.dropLast().map { k in
                var pair = String.UnicodeScalarView()
                pair.append(scalars[k])
                pair.append(scalars[k + 1])
                return String(pair)
            }
        case .word:
            return []
        }
    }

    /// The whitespace `char` and `char_bigram` drop at a line's ends: the Unicode White_Space
    /// scalars and the zero-width space U+200B (the word rule's separators).
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }
}

/// A text classifier's vocabulary: id 0 is the unknown token `<unk>` (a text no tokenizer
/// produces), then the training tokens seen at least `minCount` times, most frequent first (ties
/// in scalar order), so the same data and settings always give the same ids.
public struct TextVocabulary: Sendable, Equatable {
    /// id → text (`recur.vocab`).
    public private(set) var tokens: [String]
    public let kind: TextTokenKind
    public let lowercase: Bool
    private var ids: [String: Int32]

    /// The unknown token's id (`recur.token.unk`).
    public static let unknown: Int32 = 0

    /// Counts the tokens of `lines` and keeps those seen at least `minCount` times.
    public init(lines: [String], kind: TextTokenKind, lowercase: Bool, minCount: Int) {
        self.kind = kind
        self.lowercase = lowercase
        var counts: [String: Int] = [:]
        for line in lines {
            for token in TextTokens.split(line, kind: kind, lowercase: lowercase) { counts[token, default: 0] += 1 }
        }
        let kept = counts.filter { $0.value >= minCount }.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars)
        }
        tokens = ["<unk>"] + kept.map(\.key)
        ids = [:]
        for (k, token) in tokens.enumerated() where k > 0 { ids[token] = Int32(k) }
    }

    public var count: Int { tokens.count }

    /// The ids of `line`'s tokens, unknown ones as `unknown`.
    public func encode(_ line: String) -> [Int32] {
        TextTokens.split(line, kind: kind, lowercase: lowercase).map { ids[$0] ?? TextVocabulary.unknown }
    }
}
