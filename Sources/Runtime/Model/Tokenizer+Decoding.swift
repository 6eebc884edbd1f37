extension Tokenizer {
    /// Token ids back into text: the entries concatenated (char); the words joined by single
    /// spaces (`wordRules` `.whitespace`) or by `WordSplitting.join` (`.punctuation`: no space
    /// before `.`, `,`, `?`…); overlapping pairs (char_bigram) the first entry and then each
    /// later entry's last scalar. An id outside the vocabulary becomes U+FFFD.
    ///
    /// On text a `.punctuation` tokenizer split, `decode(encode(text))` gives the text back
    /// when every word is in the vocabulary and the text was written by the join rules.
    public func decode(_ tokens: [Int32]) -> String {
        var text = ""
        switch kind {
        case .char:
            for token in tokens { text += self.text(of: Int(token)) }
        case .charBigram:
            for (i, token) in tokens.enumerated() {
                let entry = self.text(of: Int(token))
                if i == 0 {
                    text += entry
                } else if let last = entry.unicodeScalars.last {
                    text.unicodeScalars.append(last)
                }
            }
        case .word where wordRules == .punctuation:
            var words: [String] = []
            for token in tokens { words.append(self.text(of: Int(token))) }
            text = WordSplitting.join(words)
        case .word:
            for (i, token) in tokens.enumerated() {
                if i > 0 { text += " " }
                text += self.text(of: Int(token))
            }
        }
        return text
    }

    /// What a stream of generated text appends for `token`: its entry (char), or a space and
    /// the word (word), so that the pieces of a generation concatenate to readable text.
    public func piece(_ token: Int) -> String {
        kind == .word ? " " + text(of: token) : text(of: token)
    }

    /// The vocabulary entry of `token`, or U+FFFD for an id outside the vocabulary.
    public func text(of token: Int) -> String {
        token >= 0 && token < vocabulary.count ? vocabulary[token] : "\u{FFFD}"
    }
}
