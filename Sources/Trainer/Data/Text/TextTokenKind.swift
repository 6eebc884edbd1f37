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
    public var fileName: String { runtimeKind.rawValue }

    /// The Runtime tokenizer's kind (the trainer tokenizes with the Runtime's code).
    public var runtimeKind: Tokenizer.Kind {
        switch self {
        case .char: .char
        case .word: .word
        case .charBigram: .charBigram
        }
    }
}
