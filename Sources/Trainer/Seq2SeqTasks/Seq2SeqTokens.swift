import RecurRuntime

/// How a seq2seq side splits text into tokens (`recur.tokenizer` / `recur.target.tokenizer`).
public enum Seq2SeqTokens: String, Codable, Sendable, CaseIterable {
    /// WordSplitting's words: punctuation split off, whitespace dropped.
    case word
    /// One Unicode scalar per token, whitespace included.
    case char

    /// The tokens of `line`, lowercased first (documented letter ranges only) when asked.
    public func split(_ line: String, lowercase: Bool) -> [String] {
        switch self {
        case .word:
            return WordSplitting.words(line, lowercase: lowercase)
        case .char:
            let text = lowercase ? WordSplitting.lowercased(line) : line
            return text.unicodeScalars.map { String($0) }
        }
    }

    /// Tokens back to text: WordSplitting's join for words, concatenation for characters.
    public func join(_ tokens: [String]) -> String {
        switch self {
        case .word: WordSplitting.join(tokens)
        case .char: tokens.joined()
        }
    }
}
