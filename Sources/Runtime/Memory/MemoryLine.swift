/// One line of a story as a memory-network model reads it (docs/MEMORY.md, "Input lines"), shared by the
/// trainer (`recur train babi`) and the runtime (`MemorySession`, recur-run), so both see the same words.
///
/// - Only the text before the first TAB counts: bAbI's answer and supporting-fact fields are ignored.
/// - A line starting with ASCII digits and a space is bAbI-numbered: the number is taken off (`number`);
///   number 1 starts a new story. A line that is empty or only spaces also starts a new story.
/// - A line whose text ends in `?` (trailing spaces ignored) is a question; any other line is a sentence.
/// - Words are runs of ASCII letters, ASCII digits and bytes ≥ 0x80 (UTF-8 letters pass through
///   whole); every other byte (spaces, `.`, `?`, `,`, quotes…) separates words. ASCII letters are
///   lowercased when a word is compared with the vocabulary.
public struct MemoryLine: Sendable, Equatable {
    /// bAbI's line number, when the line has one (at most 9 digits are read as a number).
    public var number: Int?
    /// The byte range of the text (after the number, before any TAB, trailing spaces and CR removed).
    public var text: Range<Int>
    /// The text ends in `?`.
    public var isQuestion: Bool
    /// The line is empty (or spaces only) before any TAB.
    public var isBlank: Bool

    /// Whether this line starts a new story: bAbI number 1, or a blank line.
    public var startsStory: Bool { isBlank || number == 1 }

    /// Parses `bytes` (one line without its newline).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> MemoryLine {
        var end = 0
        while end < bytes.count && bytes[end] != 0x09 { end += 1 }
        while end > 0 && isSpace(bytes[end - 1]) { end -= 1 }
        var start = 0
        while start < end && isSpace(bytes[start]) { start += 1 }
        if start == end {
            return MemoryLine(number: nil, text: start..<start, isQuestion: false, isBlank: true)
        }
        var number: Int? = nil
        var digits = start
        while digits < end && bytes[digits] >= 0x30 && bytes[digits] <= 0x39 { digits += 1 }
        if digits > start && digits - start <= 9 && (digits == end || bytes[digits] == 0x20) {
            var value = 0
            for i in start..<digits { value = value * 10 + Int(bytes[i] - 0x30) }
            number = value
            start = digits
            while start < end && isSpace(bytes[start]) { start += 1 }
        }
        let question = end > start && bytes[end - 1] == 0x3F
        return MemoryLine(number: number, text: start..<end, isQuestion: question, isBlank: false)
    }

    /// Calls `body` with the byte range of every word of `bytes[range]`, in order.
    public static func forEachWord(
        in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, _ body: (Range<Int>) -> Void
    ) {
        var i = range.lowerBound
        while i < range.upperBound {
            if !isWordByte(bytes[i]) {
                i += 1
                continue
            }
            let start = i
            while i < range.upperBound && isWordByte(bytes[i]) { i += 1 }
            body(start..<i)
        }
    }

    /// The words of `text`, lowercased (the trainer's view of a line's text).
    public static func words(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            forEachWord(in: buffer, range: 0..<buffer.count) { word in
                var lowered: [UInt8] = []
                lowered.reserveCapacity(word.count)
                for i in word { lowered.append(lowercased(buffer[i])) }
                result.append(String(decoding: lowered, as: UTF8.self))
            }
        }
        return result
    }

    /// ASCII letters, digits and every byte of a multi-byte UTF-8 sequence.
    @inline(__always)
    public static func isWordByte(_ byte: UInt8) -> Bool {
        let folded = byte | 0x20
        return (byte >= 0x30 && byte <= 0x39) || (folded >= 0x61 && folded <= 0x7A) || byte >= 0x80
    }

    /// ASCII A–Z to a–z; every other byte unchanged.
    @inline(__always)
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0D || byte == 0x09 }
}
