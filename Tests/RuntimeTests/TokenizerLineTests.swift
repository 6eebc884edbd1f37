import RecurRuntime
import Testing

/// The text classifier's line tokenizing (`Tokenizer.lineTokens`, `Tokenizer.encodeLine`;
/// docs/FORMAT.md, "Text classifier models", "Tokenizing"): what the trainer builds its
/// vocabulary from and what the runtime looks up are the same tokens.
@Suite("Tokenizer lines")
struct TokenizerLineTests {
    @Test("char_bigram: overlapping scalar pairs of unsegmented Chinese; one scalar is itself; none is none")
    func bigramChinese() {
        #expect(Tokenizer.lineTokens("中国足球", kind: .charBigram, lowercase: false) == ["中国", "国足", "足球"])
        #expect(Tokenizer.lineTokens("球", kind: .charBigram, lowercase: false) == ["球"])
        #expect(Tokenizer.lineTokens("", kind: .charBigram, lowercase: false) == [])
        // Two scalars are one pair, not the pair and the scalars.
        #expect(Tokenizer.lineTokens("足球", kind: .charBigram, lowercase: false) == ["足球"])
        // A combining accent is a scalar of its own: e + U+0301 is one pair.
        #expect(Tokenizer.lineTokens("e\u{301}", kind: .charBigram, lowercase: false) == ["e\u{301}"])
        // Outside the BMP (four UTF-8 bytes) works the same.
        #expect(Tokenizer.lineTokens("𠀀中", kind: .charBigram, lowercase: false) == ["𠀀中"])
    }

    @Test("leading and trailing whitespace is dropped (tabs, CR, NBSP, U+3000, U+200B); inner whitespace is a token")
    func whitespace() {
        #expect(Tokenizer.lineTokens("  中 国\t", kind: .charBigram, lowercase: false) == ["中 ", " 国"])
        #expect(Tokenizer.lineTokens("\u{3000}中\u{3000}", kind: .charBigram, lowercase: false) == ["中"])
        #expect(Tokenizer.lineTokens(" \t\r\u{A0}\u{200B} ", kind: .charBigram, lowercase: false) == [])
        #expect(Tokenizer.lineTokens(" a b\r", kind: .char, lowercase: false) == ["a", " ", "b"])
        #expect(Tokenizer.lineTokens("\u{3000}", kind: .char, lowercase: false) == [])
        #expect(Tokenizer.lineTokens("x", kind: .char, lowercase: false) == ["x"])
        // word: exactly WordSplitting's rule (whitespace only separates).
        let line = "  Don't stop, Tom! "
        #expect(Tokenizer.lineTokens(line, kind: .word, lowercase: true) == WordSplitting.words(line, lowercase: true))
    }

    @Test("lowercasing applies to every scalar before pairing (WordSplitting's letter ranges)")
    func lowercase() {
        #expect(Tokenizer.lineTokens("AbÉ", kind: .charBigram, lowercase: true) == ["ab", "bé"])
        #expect(Tokenizer.lineTokens("AbÉ", kind: .charBigram, lowercase: false) == ["Ab", "bÉ"])
        #expect(Tokenizer.lineTokens("Q", kind: .char, lowercase: true) == ["q"])
    }

    @Test("encodeLine looks up exactly lineTokens' texts: unknown → unk, counts, the first entry wins, limit")
    func encodeLine() {
        // Entries: singles, pairs, a duplicate pair (the first wins), a three-scalar entry (unreachable).
        let vocabulary = ["<unk>", "中", "中国", "国足", "足球", "国足", "中国足", "a"]
        let tokenizer = Tokenizer(kind: .charBigram, vocabulary: vocabulary, unknown: 0)
        var ids: [Int32] = []
        let (count, unknown) = tokenizer.encodeLine(" 中国足球队 ", lowercase: false, into: &ids)
        // 中国 国足 足球 球队: the last is unknown.
        #expect(ids == [2, 3, 4, 0])
        #expect(count == 4 && unknown == 1)
        for line in ["中", "中国足", "a", "b", "A"] {
            var found: [Int32] = []
            tokenizer.encodeLine(line, lowercase: true, into: &found)
            let expected = Tokenizer.lineTokens(line, kind: .charBigram, lowercase: true).map { text in
                Int32(vocabulary.firstIndex(of: text).flatMap { text.unicodeScalars.count <= 2 ? $0 : nil } ?? 0)
            }
            #expect(found == expected, "\(line)")
        }
        // limit: at most 2 appended after what was there; count is every token of the line.
        var limited: [Int32] = [7]
        let result = tokenizer.encodeLine("中国足球队", lowercase: false, into: &limited, limit: 2)
        #expect(limited == [7, 2, 3])
        #expect(result.count == 4 && result.unknown == 1)
        // Without an unknown id, unknown text is dropped (and counted).
        var dropped: [Int32] = []
        let none = Tokenizer(kind: .charBigram, vocabulary: vocabulary, unknown: nil)
            .encodeLine("中国足球队", lowercase: false, into: &dropped)
        #expect(dropped == [2, 3, 4] && none.count == 3 && none.unknown == 1)
        // encode(_:into:) of a bigram tokenizer is encodeLine without lowercasing.
        var plain: [Int32] = []
        #expect(tokenizer.encode(" 中国足球队", into: &plain) == 1)
        #expect(plain == [2, 3, 4, 0])
    }

    @Test("char and word lines: the same trimming and lookups; char_bigram leaves char and word tokenizers alone")
    func charAndWord() {
        let chars = Tokenizer(kind: .char, vocabulary: ["<unk>", "a", " ", "b"], unknown: 0)
        var ids: [Int32] = []
        let (count, unknown) = chars.encodeLine("\ta  bc ", lowercase: false, into: &ids)
        #expect(ids == [1, 2, 2, 3, 0])
        #expect(count == 5 && unknown == 1)
        // The seq2seq/lm char rule keeps every scalar, whitespace at the ends included.
        var untrimmed: [Int32] = []
        chars.encode(" a ", into: &untrimmed)
        #expect(untrimmed == [2, 1, 2])
        let words = Tokenizer(kind: .word, vocabulary: ["<unk>", "tom", "!", "runs"], unknown: 0)
        var wordIDs: [Int32] = []
        let counted = words.encodeLine(" Tom runs fast! ", lowercase: true, into: &wordIDs)
        #expect(wordIDs == [1, 3, 0, 2])
        #expect(counted.count == 4 && counted.unknown == 1)
    }
}
