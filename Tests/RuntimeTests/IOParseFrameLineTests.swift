import RecurRuntime
import Testing
import TestSupport

/// Parses `text` (as bytes) into a buffer of `expected` floats.
func parseFrame(_ text: [UInt8], expected: Int = 3, line: Int = 7, allowHeader: Bool = false) -> (FrameLine, [Float]) {
    var values = [Float](repeating: -99, count: max(expected, 1))
    let result = text.withUnsafeBytes { bytes in
        values.withUnsafeMutableBufferPointer { buffer in
            parseFrameLine(bytes, into: buffer, expected: expected, lineNumber: line, allowHeader: allowHeader)
        }
    }
    return (result, values)
}

func parseFrame(_ text: String, expected: Int = 3, line: Int = 7, allowHeader: Bool = false) -> (FrameLine, [Float]) {
    parseFrame(Array(text.utf8), expected: expected, line: line, allowHeader: allowHeader)
}

func problem(_ kind: FrameLineProblem.Kind, line: Int = 7) -> FrameLine {
    .bad(FrameLineProblem(lineNumber: line, kind: kind))
}

@Suite("IO: parseFrameLine implements the stdin frame protocol")
struct IOParseFrameLineTests {
    @Test("commas and/or blanks separate fields",
          arguments: ["1,2,3", "1 2 3", "1, 2 ,3", "\t1\t2\t3  ", "  1 ,\t2,3", "1  ,  2  3", "+1,2.,.3e1"])
    func separators(text: String) {
        let (result, values) = parseFrame(text)
        #expect(result == .frame(count: 3))
        #expect(values == [1, 2, 3])
    }

    @Test("blank lines and # comments are skipped", arguments: ["", "   ", "\t", "#", "# ax,ay", "  # 1,2,3"])
    func skipped(text: String) {
        #expect(parseFrame(text, allowHeader: true).0 == .skip)
        #expect(parseFrame(text, allowHeader: false).0 == .skip)
    }

    @Test("empty fields are problems with their field number")
    func emptyFields() {
        #expect(parseFrame("1,,2").0 == problem(.emptyField(field: 2)))
        #expect(parseFrame(",1,2").0 == problem(.emptyField(field: 1)))
        #expect(parseFrame("1,2,").0 == problem(.emptyField(field: 3)))
        #expect(parseFrame("1, ,2").0 == problem(.emptyField(field: 2)))
    }

    @Test("a wrong count reports expected and found")
    func wrongCount() {
        #expect(parseFrame("1,2").0 == problem(.wrongCount(expected: 3, found: 2)))
        #expect(parseFrame("1 2 3 4 5").0 == problem(.wrongCount(expected: 3, found: 5)))
        #expect(parseFrame("5", expected: 1).0 == .frame(count: 1))
    }

    @Test("non-numbers, NaN, infinity and overflow name the field and quote its text")
    func badFields() {
        #expect(parseFrame("1,x,3").0 == problem(.notANumber(field: 2, text: "x")))
        #expect(parseFrame("1,2,0x1p3").0 == problem(.notANumber(field: 3, text: "0x1p3")))
        #expect(parseFrame("1,2,3;").0 == problem(.notANumber(field: 3, text: "3;")))
        #expect(parseFrame("1,--2,3").0 == problem(.notANumber(field: 2, text: "--2")))
        #expect(parseFrame("1,1e,3").0 == problem(.notANumber(field: 2, text: "1e")))
        #expect(parseFrame("nan,2,3").0 == problem(.notFinite(field: 1, text: "nan")))
        #expect(parseFrame("1,-Infinity,3").0 == problem(.notFinite(field: 2, text: "-Infinity")))
        #expect(parseFrame("1,2,INF").0 == problem(.notFinite(field: 3, text: "INF")))
        #expect(parseFrame("1,1e39,3").0 == problem(.outOfRange(field: 2, text: "1e39")))
        // The first bad field wins over a wrong count.
        #expect(parseFrame("a 1").0 == problem(.notANumber(field: 1, text: "a")))
    }

    @Test("bytes that are not printable ASCII are escaped, and long text is truncated")
    func quoting() {
        #expect(parseFrame([0x31, 0x2C, 0x00, 0x07, 0x2C, 0x33]).0 == problem(.notANumber(field: 2, text: "\\x00\\x07")))
        #expect(parseFrame("1,\"q\\\",3").0 == problem(.notANumber(field: 2, text: "\\\"q\\\\\\\"")))
        #expect(parseFrame("1,é,3").0 == problem(.notANumber(field: 2, text: "\\xc3\\xa9")))
        let long = String(repeating: "z", count: 100)
        #expect(parseFrame("1,\(long),3").0 == problem(.notANumber(field: 2, text: String(repeating: "z", count: 32) + "...")))
    }

    @Test("invalid UTF-8 is its own problem, with the byte offset")
    func invalidUTF8() {
        #expect(parseFrame([0x31, 0x2C, 0xFF, 0x2C, 0x33]).0 == problem(.invalidUTF8(offset: 2)))
        #expect(parseFrame([0x31, 0x2C, 0x32, 0x2C, 0x33, 0x20, 0xC3]).0 == problem(.invalidUTF8(offset: 6)))
        // An overlong encoding of "/" and a surrogate are invalid too.
        #expect(parseFrame([0xC0, 0xAF]).0 == problem(.invalidUTF8(offset: 0)))
        #expect(parseFrame([0x61, 0xED, 0xA0, 0x80]).0 == problem(.invalidUTF8(offset: 1)))
        #expect(parseFrame([0x61, 0xED, 0xA0, 0x80], allowHeader: true).0 == problem(.invalidUTF8(offset: 1)))
    }

    @Test("a line of column names is a header only when allowed and only without numbers")
    func header() {
        #expect(parseFrame("ax,ay,az", allowHeader: true).0 == .header)
        #expect(parseFrame("time accel gyro extra", allowHeader: true).0 == .header)
        #expect(parseFrame("ax,ay,az", allowHeader: false).0 == problem(.notANumber(field: 1, text: "ax")))
        #expect(parseFrame("t,1,2", allowHeader: true).0 == problem(.notANumber(field: 1, text: "t")))
        #expect(parseFrame("nan,1,2", allowHeader: true).0 == problem(.notFinite(field: 1, text: "nan")))
    }

    @Test("messages name the line and what was wrong")
    func messages() {
        #expect(FrameLineProblem(lineNumber: 12, kind: .wrongCount(expected: 6, found: 5)).message == "line 12: expected 6 numbers, found 5")
        #expect(FrameLineProblem(lineNumber: 3, kind: .notANumber(field: 2, text: "x")).message == "line 3: field 2 is not a number: \"x\"")
        #expect(FrameLineProblem(lineNumber: 4, kind: .tooLong(limit: 1_048_576)).message == "line 4: line longer than 1048576 bytes, skipped")
        #expect(FrameLineProblem(lineNumber: 5, kind: .invalidUTF8(offset: 9)).message == "line 5: invalid UTF-8 at byte 9")
    }

    @Test("random well-formed lines round-trip their values, whatever the separators")
    func randomFrames() {
        var random = SeededGenerator(seed: 0xF4A3E)
        let separators = [",", " ", ", ", " ,", "\t", " \t, "]
        for _ in 0..<500 {
            let count = Int.random(in: 1...12, using: &random)
            let values = (0..<count).map { _ in Float(Int.random(in: -99_999...99_999, using: &random)) / 1000 }
            var text = ""
            for (index, value) in values.enumerated() {
                if index > 0 { text += separators.randomElement(using: &random)! }
                text += "\(value)"
            }
            let (result, parsed) = parseFrame(text, expected: count)
            #expect(result == .frame(count: count), "\(text)")
            #expect(parsed == values, "\(text)")
        }
    }
}
