/// Parses one line of a frame stream (the board binary's stdin protocol, docs/BOARD.md).
///
/// A frame line holds `expected` decimal numbers (`DecimalFloat` grammar) separated by
/// a comma and/or spaces and tabs: `1,2,3`, `1 2 3`, `1, 2 ,3` and `1\t2` are all three
/// fields, while `1,,2` and a leading or trailing comma make an empty field. Leading and
/// trailing spaces and tabs are ignored. Lines that are blank or whose first non-blank
/// character is `#` are `.skip`. With `allowHeader`, a line none of whose fields is a
/// number is a line of column names (`.header`), whatever its field count.
///
/// Problems are reported in this order: invalid UTF-8; then the first field that is
/// empty, not a number, NaN/infinity or out of the float range; then a wrong count.
///
/// The caller passes `allowHeader: true` until the first line that parses to anything
/// other than `.skip` (so a header is accepted only as the first non-comment line).
///
/// - Parameters:
///   - bytes: the line without its terminator (from `LineReader`).
///   - values: receives the numbers; must hold at least `expected` floats. On `.bad`,
///     its contents are unspecified.
///   - expected: how many numbers a frame has.
///   - lineNumber: the line's number, carried into problems.
///   - allowHeader: whether a line of column names is acceptable here.
/// - Complexity: O(line length), no allocation unless the line is bad.
public func parseFrameLine(_ bytes: UnsafeRawBufferPointer, into values: UnsafeMutableBufferPointer<Float>,
                           expected: Int, lineNumber: Int, allowHeader: Bool) -> FrameLine {
    precondition(values.count >= expected, "parseFrameLine: the values buffer is smaller than expected")
    let count = bytes.count
    guard count > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .skip }
    var i = skipBlanks(base, from: 0, count: count)
    if i == count || base[i] == 0x23 { return .skip }  // #

    var field = 0
    var numbers = 0
    var firstProblem: FrameLineProblem.Kind? = nil
    var sawHighByte = false
    while true {
        // One field: bytes up to the next comma, space or tab.
        let fieldStart = i
        while i < count {
            let byte = base[i]
            if byte == 0x2C || byte == 0x20 || byte == 0x09 { break }
            if byte >= 0x80 { sawHighByte = true }
            i += 1
        }
        field += 1
        if i == fieldStart {
            if firstProblem == nil { firstProblem = .emptyField(field: field) }
        } else {
            switch DecimalFloat.parse(base + fieldStart, count: i - fieldStart) {
            case .value(let value):
                numbers += 1
                if field <= expected { values[field - 1] = value }
            case .invalid:
                if firstProblem == nil {
                    let text = UnsafeRawBufferPointer(start: base + fieldStart, count: i - fieldStart)
                    let quoted = FrameLineProblem.quote(text)
                    firstProblem = DecimalFloat.spellsNonFinite(text)
                        ? .notFinite(field: field, text: quoted) : .notANumber(field: field, text: quoted)
                }
            case .overflow:
                if firstProblem == nil {
                    let text = UnsafeRawBufferPointer(start: base + fieldStart, count: i - fieldStart)
                    firstProblem = .outOfRange(field: field, text: FrameLineProblem.quote(text))
                }
            }
        }
        // Separator: blanks, at most one comma, blanks.
        i = skipBlanks(base, from: i, count: count)
        if i == count { break }
        if base[i] == 0x2C {
            i = skipBlanks(base, from: i + 1, count: count)
            if i == count {
                // A trailing comma leaves an empty last field.
                field += 1
                if firstProblem == nil { firstProblem = .emptyField(field: field) }
                break
            }
        }
    }

    if sawHighByte, let offset = UTF8Validation.firstInvalidOffset(bytes) {
        return .bad(FrameLineProblem(lineNumber: lineNumber, kind: .invalidUTF8(offset: offset)))
    }
    if allowHeader && numbers == 0 {
        return .header
    }
    if let problem = firstProblem {
        return .bad(FrameLineProblem(lineNumber: lineNumber, kind: problem))
    }
    if field != expected {
        return .bad(FrameLineProblem(lineNumber: lineNumber, kind: .wrongCount(expected: expected, found: field)))
    }
    return .frame(count: field)
}

/// The first index at or after `from` that is not a space or tab.
@inline(__always)
private func skipBlanks(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
    var i = from
    while i < count && (base[i] == 0x20 || base[i] == 0x09) { i += 1 }
    return i
}
