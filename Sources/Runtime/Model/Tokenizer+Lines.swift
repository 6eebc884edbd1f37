/// One line of text → token ids by the text classifier's rule (docs/FORMAT.md, "Text classifier
/// models", "Tokenizing"). The trainer builds its vocabulary from `lineTokens` and the runtime
/// tokenizes with `encodeLine`: both walk the line the same way, so a model sees at run time
/// exactly the tokens it was trained on.
///
/// - `char`: one Unicode scalar per token; whitespace inside the line is a token too.
/// - `char_bigram`: the m scalars s_0 … s_{m−1} give the m − 1 overlapping pairs s_i s_{i+1};
///   m = 1 gives the one token s_0.
/// - `word`: `WordSplitting.words` (the seq2seq rule; whitespace only separates).
///
/// Before that the line loses its leading and trailing whitespace (`WordSplitting.isSeparator`:
/// Unicode White_Space and U+200B) and, when asked, is lowercased scalar by scalar
/// (`WordSplitting.lowercased`).
extension Tokenizer {
    /// Appends the ids of `line`'s tokens to `tokens`, at most `limit` of them.
    ///
    /// For `char` and `char_bigram` this allocates nothing beyond what `tokens` needs to grow
    /// (reserve `limit` and it never does); `word` splits the line into an array of words first.
    ///
    /// - Returns: `count`, the line's tokens (all of them, also those past `limit`; tokens the
    ///   vocabulary lacks count when they became the unknown token), and `unknown`, how many
    ///   tokens the vocabulary lacks (the unknown token, or dropped without one).
    @discardableResult
    public func encodeLine(
        _ line: String, lowercase: Bool, into tokens: inout [Int32], limit: Int = Int.max
    ) -> (count: Int, unknown: Int) {
        var count = 0
        var missing = 0
        func add(_ id: Int32?) {
            var token = id
            if token == nil {
                missing += 1
                token = unknown.map { Int32($0) }
            }
            guard let token else { return }
            if count < limit { tokens.append(token) }
            count += 1
        }
        switch kind {
        case .word:
            for word in WordSplitting.words(line, lowercase: lowercase) { add(wordID(word)) }
        case .char:
            Self.forEachLineToken(line, bigrams: false, lowercase: lowercase) { scalar, _ in
                add(scalarID(scalar))
            }
        case .charBigram:
            Self.forEachLineToken(line, bigrams: true, lowercase: lowercase) { first, second in
                if let second { add(pairID(first, second)) } else { add(scalarID(first)) }
            }
        }
        return (count, missing)
    }

    /// The texts of `line`'s tokens under `kind` (what `encodeLine` looks up in the vocabulary):
    /// the trainer counts these to build a vocabulary.
    public static func lineTokens(_ line: String, kind: Kind, lowercase: Bool) -> [String] {
        if kind == .word { return WordSplitting.words(line, lowercase: lowercase) }
        var texts: [String] = []
        forEachLineToken(line, bigrams: kind == .charBigram, lowercase: lowercase) { first, second in
            var text = String.UnicodeScalarView()
            text.append(first)
            if let second { text.append(second) }
            texts.append(String(text))
        }
        return texts
    }

    /// Calls `body` once per token of `line` in order: `(s, nil)` for a one-scalar token,
    /// `(s_i, s_{i+1})` for a pair (bigrams), over the line's scalars without leading and
    /// trailing whitespace, lowercased when asked. Allocates nothing.
    static func forEachLineToken(
        _ line: String, bigrams: Bool, lowercase: Bool, _ body: (Unicode.Scalar, Unicode.Scalar?) -> Void
    ) {
        var previous: Unicode.Scalar? = nil
        var paired = false
        for raw in trimmedScalars(line) {
            let scalar = lowercase ? WordSplitting.lowercased(raw) : raw
            if !bigrams {
                body(scalar, nil)
                continue
            }
            if let before = previous {
                body(before, scalar)
                paired = true
            }
            previous = scalar
        }
        // A line of one scalar is that scalar.
        if bigrams, !paired, let only = previous { body(only, nil) }
    }

    /// `line`'s scalars from the first to the last that is not whitespace (a view, no copy).
    static func trimmedScalars(_ line: String) -> Substring.UnicodeScalarView {
        let scalars = line.unicodeScalars
        var start = scalars.startIndex
        while start < scalars.endIndex && WordSplitting.isSeparator(scalars[start]) {
            start = scalars.index(after: start)
        }
        var end = scalars.endIndex
        while end > start {
            let before = scalars.index(before: end)
            if !WordSplitting.isSeparator(scalars[before]) { break }
            end = before
        }
        return scalars[start..<end]
    }
}
