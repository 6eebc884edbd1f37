import RecurRuntime
import Testing

/// `Tokenizer` owns both directions: `encode` (text → ids) and `decode` / `piece` (ids → text),
/// for the lm's whitespace words, seq2seq's punctuation words, and characters.
@Suite("Tokenizer")
struct TokenizerTests {
    @Test("char: decode concatenates the entries; encode then decode gives the text back")
    func charRoundTrip() {
        let tokenizer = Tokenizer(kind: .char, vocabulary: ["<unk>", "a", "b", " ", "é"], unknown: 0)
        var ids: [Int32] = []
        #expect(tokenizer.encode("ab é", into: &ids) == 0)
        #expect(ids == [1, 2, 3, 4])
        #expect(tokenizer.decode(ids) == "ab é")
        #expect(tokenizer.piece(4) == "é")
        #expect(tokenizer.decode([1, 9, -1]) == "a\u{FFFD}\u{FFFD}")
    }

    @Test("char with lowercase: the text is lowercased before it is split")
    func charLowercase() {
        let tokenizer = Tokenizer(kind: .char, vocabulary: ["<unk>", "a", "b"], unknown: 0, lowercase: true)
        var ids: [Int32] = []
        #expect(tokenizer.encode("AbC", into: &ids) == 1)
        #expect(ids == [1, 2, 0])
    }

    @Test("whitespace words: split at blanks, decoded with single spaces, streamed with a space before each word")
    func whitespaceWords() {
        let tokenizer = Tokenizer(kind: .word, vocabulary: ["<unk>", "the", "cat", "sat."], unknown: 0)
        var ids: [Int32] = []
        #expect(tokenizer.encode(" the\tcat  sat. dog\n", into: &ids) == 1)
        #expect(ids == [1, 2, 3, 0])
        #expect(tokenizer.decode([1, 2, 3]) == "the cat sat.")
        #expect(tokenizer.piece(2) == " cat")
        #expect([1, 2, 3].map { tokenizer.piece($0) }.joined() == " the cat sat.")
    }

    @Test("punctuation words: WordSplitting's rules both ways, so written text comes back as it was")
    func punctuationWords() {
        let vocabulary = ["<unk>", "hola", ",", "¿", "qué", "tal", "?", "don't"]
        let tokenizer = Tokenizer(kind: .word, vocabulary: vocabulary, unknown: 0, lowercase: true, wordRules: .punctuation)
        var ids: [Int32] = []
        #expect(tokenizer.encode("Hola, ¿qué tal? Don't", into: &ids) == 0)
        #expect(ids == [1, 2, 3, 4, 5, 6, 7])
        #expect(tokenizer.decode(ids) == "hola, ¿qué tal? don't")
        // The same words split at blanks only would keep "hola," whole (not in the vocabulary).
        let blanks = Tokenizer(kind: .word, vocabulary: vocabulary, unknown: 0, lowercase: true)
        var plain: [Int32] = []
        #expect(blanks.encode("Hola, tal", into: &plain) == 1)
        #expect(plain == [0, 5])
    }
}
