import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whitespace-separated numeric text file read whole, parsed row by row with
/// errors that name the file and the line.
///
/// The layouts HAR data comes in (HAPT RawData, UCI HAR Inertial Signals, label
/// and subject lists) are all "one row per line, numbers separated by spaces",
/// sometimes with leading spaces (UCI HAR) or CRLF line ends. Trailing blank
/// lines are ignored; a blank line between data rows is an error, because in a
/// signal file it would shift every later sample.
struct HARTextTable {
    /// The path, as given (used in every error).
    let path: String
    /// The file's bytes followed by one NUL, so `strtof` always stops inside the buffer.
    private let bytes: [UInt8]

    /// Reads a file.
    ///
    /// - Parameter what: what the layout expects at this path (for the missing-file error).
    init(path: String, what: String) throws(HARDataError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .missingFile(path: path, what: what)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        var bytes = [UInt8](repeating: 0, count: data.count + 1)
        bytes.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        self.bytes = bytes
    }

    /// Parses rows of exactly `columns` finite numbers as f32.
    ///
    /// The signal files are large (HAPT: 133 MB of text), so rows are found with `memchr`
    /// and numbers read with `strtof` straight from the buffer; only a line that fails this
    /// fast path is re-scanned token by token to name the problem (`forEachRow`'s errors).
    ///
    /// - Returns: the values row-major, `[rows × columns]`.
    /// - Complexity: one pass; `strtof` per number.
    func floats(columns: Int) throws(HARDataError) -> [Float] {
        var values: [Float] = []
        // A row is at least `columns` numbers of ≥ 2 bytes each: reserve by size, not more.
        values.reserveCapacity(bytes.count / (2 * max(columns, 1)) + columns)
        let end = bytes.count - 1
        var failure: (start: Int, line: Int)? = nil
        bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var position = 0
            var line = 0
            var pendingBlank = false
            while position < end {
                line += 1
                let found = memchr(base + position, 0x0A, end - position)
                let lineEnd = found.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) - base } ?? end
                let rowStart = values.count
                var cursor = base + position
                var good = !pendingBlank
                for _ in 0..<columns where good {
                    var next: UnsafeMutablePointer<CChar>? = nil
                    let value = strtof(cursor, &next)
                    let stop = next.map { UnsafePointer($0) } ?? cursor
                    // strtof skips newlines too: a number must end inside this line, after a separator.
                    guard stop > cursor, stop - base <= lineEnd, value.isFinite,
                          HARTextTable.isSeparator(UInt8(bitPattern: stop.pointee)) else {
                        good = false
                        break
                    }
                    values.append(value)
                    cursor = stop
                }
                if good {
                    while cursor - base < lineEnd && HARTextTable.isSeparator(UInt8(bitPattern: cursor.pointee)) { cursor += 1 }
                    good = cursor - base == lineEnd
                }
                if !good {
                    values.removeSubrange(rowStart...)
                    if countTokens(from: position, to: lineEnd) == 0 {
                        pendingBlank = true
                    } else {
                        failure = (position, line)
                        return
                    }
                }
                position = lineEnd + 1
            }
        }
        if let failure {
            // Re-read from the start with the token-by-token scan: it throws the exact error
            // (blank line before this one, short or long row, or the bad token).
            try forEachRow(columns: columns) { (start, line) throws(HARDataError) in
                guard line >= failure.line else { return }
                var cursor = start
                for _ in 0..<columns {
                    cursor = skipBlanks(cursor)
                    _ = try parseFloat(at: &cursor, line: line)
                }
            }
            throw .unreadable(path: path, reason: "line \(failure.line) could not be parsed")
        }
        if values.isEmpty { throw .empty(path: path) }
        return values
    }

    /// Space, tab, CR, LF or the terminating NUL.
    @inline(__always) private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A || byte == 0
    }

    /// Parses rows of exactly `columns` integers (written as plain decimal integers).
    ///
    /// - Returns: one array per row, with the row's 1-based line number.
    func integerRows(columns: Int) throws(HARDataError) -> [(line: Int, values: [Int])] {
        var rows: [(line: Int, values: [Int])] = []
        try forEachRow(columns: columns) { (start, line) throws(HARDataError) in
            var cursor = start
            var row: [Int] = []
            row.reserveCapacity(columns)
            for _ in 0..<columns {
                cursor = skipBlanks(cursor)
                row.append(try parseInteger(at: &cursor, line: line))
            }
            rows.append((line, row))
        }
        if rows.isEmpty { throw .empty(path: path) }
        return rows
    }

    /// Parses lines of the form `<integer> <name>` (activity_labels.txt).
    func idNamePairs() throws(HARDataError) -> [(line: Int, id: Int, name: String)] {
        var pairs: [(line: Int, id: Int, name: String)] = []
        try forEachRow(columns: 2) { (start, line) throws(HARDataError) in
            var cursor = skipBlanks(start)
            let id = try parseInteger(at: &cursor, line: line)
            cursor = skipBlanks(cursor)
            let nameStart = cursor
            while !isBlank(bytes[cursor]) && !isLineEnd(bytes[cursor]) { cursor += 1 }
            pairs.append((line, id, String(decoding: bytes[nameStart..<cursor], as: UTF8.self)))
        }
        if pairs.isEmpty { throw .empty(path: path) }
        return pairs
    }

    // MARK: Rows and tokens

    /// Calls `body(lineStart, lineNumber)` for every data line after checking it holds
    /// exactly `columns` tokens.
    private func forEachRow(
        columns: Int, _ body: (Int, Int) throws(HARDataError) -> Void
    ) throws(HARDataError) {
        let end = bytes.count - 1
        var position = 0
        var line = 0
        var pendingBlank: Int? = nil
        while position < end {
            line += 1
            var lineEnd = position
            while lineEnd < end && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let tokens = countTokens(from: position, to: lineEnd)
            if tokens == 0 {
                if pendingBlank == nil { pendingBlank = line }
            } else {
                if let blank = pendingBlank { throw .blankLine(path: path, line: blank) }
                if tokens < columns { throw .shortRow(path: path, line: line, expected: columns, found: tokens) }
                if tokens > columns { throw .longRow(path: path, line: line, expected: columns, found: tokens) }
                try body(position, line)
            }
            position = lineEnd + 1
        }
    }

    private func countTokens(from start: Int, to end: Int) -> Int {
        var count = 0
        var inToken = false
        var index = start
        while index < end {
            let blank = isBlank(bytes[index]) || bytes[index] == 0x0D || bytes[index] == 0
            if !blank && !inToken { count += 1 }
            inToken = !blank
            index += 1
        }
        return count
    }

    @inline(__always) private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    @inline(__always) private func isLineEnd(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D || byte == 0 }

    private func skipBlanks(_ start: Int) -> Int {
        var index = start
        while isBlank(bytes[index]) { index += 1 }
        return index
    }

    /// The token starting at `start` (for error messages), at most 40 bytes.
    private func token(at start: Int) -> String {
        var end = start
        while end < bytes.count - 1 && end - start < 40 && !isBlank(bytes[end]) && !isLineEnd(bytes[end]) { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func parseFloat(at cursor: inout Int, line: Int) throws(HARDataError) -> Float {
        let start = cursor
        var consumed = 0
        let value: Float = bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let parsed = strtof(base + start, &endPointer)
            consumed = endPointer.map { UnsafePointer($0) - (base + start) } ?? 0
            return parsed
        }
        let next = start + consumed
        guard consumed > 0, value.isFinite, isBlank(bytes[next]) || isLineEnd(bytes[next]) else {
            throw .notANumber(path: path, line: line, token: token(at: start))
        }
        cursor = next
        return value
    }

    private func parseInteger(at cursor: inout Int, line: Int) throws(HARDataError) -> Int {
        let start = cursor
        var index = start
        var value = 0
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let digitsStart = index
        while bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") && index - digitsStart < 15 {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > digitsStart, isBlank(bytes[index]) || isLineEnd(bytes[index]) else {
            throw .notANumber(path: path, line: line, token: token(at: start))
        }
        cursor = index
        return negative ? -value : value
    }
}
