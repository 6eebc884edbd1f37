import Testing
@testable import RecurRuntime

/// `MemoryLine`: the line rules shared by `recur train babi` and the runtime (docs/MEMORY.md).
@Suite struct MemoryLineTests {
    func parse(_ text: String) -> (MemoryLine, String) {
        let bytes = Array(text.utf8)
        let line = bytes.withUnsafeBufferPointer { MemoryLine.parse($0) }
        return (line, String(decoding: bytes[line.text], as: UTF8.self))
    }

    @Test func babiNumberedLines() {
        let (sentence, text) = parse("1 Mary moved to the bathroom.")
        #expect(sentence.number == 1 && sentence.startsStory && !sentence.isQuestion)
        #expect(text == "Mary moved to the bathroom.")
        let (question, qtext) = parse("3 Where is Mary? \tbathroom\t1")
        #expect(question.number == 3 && !question.startsStory && question.isQuestion)
        #expect(qtext == "Where is Mary?")
    }

    @Test func plainLinesAndBlanks() {
        let (plain, text) = parse("  Daniel went to the garden.\r")
        #expect(plain.number == nil && !plain.startsStory && !plain.isQuestion)
        #expect(text == "Daniel went to the garden.")
        #expect(parse("Where is Daniel ?  ").0.isQuestion)
        #expect(parse("").0.isBlank && parse("   ").0.startsStory)
        // Digits not followed by a space are a word, not a number; 10 digits are not a line number.
        #expect(parse("42nd street is long.").0.number == nil)
        #expect(parse("1234567890 apples.").0.number == nil)
        #expect(parse("12").0.number == 12)
    }

    @Test func words() {
        #expect(MemoryLine.words("Where is Mary?") == ["where", "is", "mary"])
        #expect(MemoryLine.words("The Café, near-by.") == ["the", "café", "near", "by"])
        #expect(MemoryLine.words(" .,?! ").isEmpty)
    }
}
