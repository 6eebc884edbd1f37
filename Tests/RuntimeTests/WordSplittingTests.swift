import RecurRuntime
import Testing

/// `WordSplitting`: the word tokenizing and detokenizing rules that the trainer and the runtime share.
@Suite struct WordSplittingTests {
    @Test("punctuation becomes its own token; an inner apostrophe stays in the word")
    func englishPunctuation() {
        #expect(WordSplitting.words("Don't go!", lowercase: true) == ["don't", "go", "!"])
        #expect(WordSplitting.words("Don't go!", lowercase: false) == ["Don't", "go", "!"])
        #expect(WordSplitting.words("Tom, wait.", lowercase: true) == ["tom", ",", "wait", "."])
        #expect(WordSplitting.words("Really?!", lowercase: false) == ["Really", "?", "!"])
        #expect(WordSplitting.words("Tom’s here.", lowercase: false) == ["Tom’s", "here", "."])
    }

    @Test("Spanish: inverted marks split off, accented capitals lowercase")
    func spanish() {
        #expect(WordSplitting.words("¿Dónde está?", lowercase: true) == ["¿", "dónde", "está", "?"])
        #expect(WordSplitting.words("¡Él es ÑOÑO!", lowercase: true) == ["¡", "él", "es", "ñoño", "!"])
        #expect(WordSplitting.words("«Sí», dijo.", lowercase: false) == ["«", "Sí", "»", ",", "dijo", "."])
    }

    @Test("apostrophes at a word edge are tokens of their own")
    func edgeApostrophes() {
        #expect(WordSplitting.words("'Tis the students' book", lowercase: true)
            == ["'", "tis", "the", "students", "'", "book"])
        #expect(WordSplitting.words("rock'n'roll", lowercase: false) == ["rock'n'roll"])
        #expect(WordSplitting.words("' '", lowercase: false) == ["'", "'"])
    }

    @Test("quotes, numbers, abbreviations and hyphens")
    func quotesNumbersAbbreviations() {
        #expect(WordSplitting.words("He said \"no\".", lowercase: true) == ["he", "said", "\"", "no", "\"", "."])
        #expect(WordSplitting.words("It costs $3.50, or 20%.", lowercase: false)
            == ["It", "costs", "$", "3", ".", "50", ",", "or", "20", "%", "."])
        #expect(WordSplitting.words("I live in the U.S.", lowercase: true)
            == ["i", "live", "in", "the", "u", ".", "s", "."])
        #expect(WordSplitting.words("twenty-one 1990s", lowercase: false) == ["twenty", "-", "one", "1990s"])
    }

    @Test("any run of spaces, tabs, newlines or no-break spaces separates; empty lines give no tokens")
    func whitespace() {
        #expect(WordSplitting.words("  I   am\tTom \r\n", lowercase: false) == ["I", "am", "Tom"])
        #expect(WordSplitting.words("a\u{00A0}b\u{200B}c", lowercase: false) == ["a", "b", "c"])
        #expect(WordSplitting.words("", lowercase: true) == [])
        #expect(WordSplitting.words(" \t ", lowercase: true) == [])
    }

    @Test("letters outside Latin-1 stay in words; symbol blocks split")
    func otherScripts() {
        #expect(WordSplitting.words("Привет, мир…", lowercase: false) == ["Привет", ",", "мир", "…"])
        // A decomposed é (e + U+0301 combining acute) is one word.
        #expect(WordSplitting.words("cafe\u{0301} ok", lowercase: false) == ["cafe\u{0301}", "ok"])
    }

    @Test("lowercasing covers exactly the documented ranges")
    func lowercasing() {
        #expect(WordSplitting.lowercased("ABC xyz ÀÉÎÕÜÑ ×") == "abc xyz àéîõüñ ×")
        #expect(WordSplitting.lowercased("ĀĂĄĆČĎĘĚĞĽŁŃŇŒŘŠŤŮŸŹŻŽ") == "āăąćčďęěğľłńňœřšťůÿźżž")
        // İ has no single-scalar lowercase; Greek and Cyrillic are outside the documented ranges.
        #expect(WordSplitting.lowercased("İΣД") == "İΣД")
        // Already-lowercase letters and ß, ĸ, ŉ, ſ are unchanged.
        #expect(WordSplitting.lowercased("ßĸŉſāž") == "ßĸŉſāž")
    }

    @Test("join restores normally written sentences from their tokens")
    func joinIsTheInverse() {
        let sentences = [
            "Don't go!", "¿Dónde está?", "¡Qué bien!", "He said \"no\".", "Tom, wait.",
            "I bought twenty-one eggs.", "(Maybe.)", "«Sí», dijo.", "Is it 100%?",
            "Yes: two; three.", "Tom's cat isn't here.", "",
        ]
        for sentence in sentences {
            let tokens = WordSplitting.words(sentence, lowercase: false)
            #expect(WordSplitting.join(tokens) == sentence, "round trip of \(sentence)")
        }
        #expect(WordSplitting.join(["hola", ",", "¿", "qué", "tal", "?"]) == "hola, ¿qué tal?")
        #expect(WordSplitting.join(["a", "b"]) == "a b")
        #expect(WordSplitting.join([]) == "")
    }
}
