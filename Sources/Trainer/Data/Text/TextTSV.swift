import CSV
import Foundation

/// Reads `recur train textclass`'s tab-separated files: one example per line, the text and the
/// label in the fields the options name (THUCNews: `text<TAB>label-id`).
///
/// A line is one record (CRLF or LF). Its fields are split at tabs by yaslab/CSV.swift with a tab
/// delimiter, so a field may be quoted RFC 4180-style (`"a<TAB>b"`, doubled quotes inside) to hold
/// a tab; a quote inside an unquoted field is an ordinary character. Blank lines are skipped.
/// Memory stays bounded: a line longer than `maxLineBytes` is refused as soon as that many bytes
/// are read. Every malformed line is named with `file:line` (the first `maxReported` of them, and
/// how many there were), and nothing is read past a file that has one.
public enum TextTSV {
    /// What to read from each line.
    public struct Options: Sendable {
        /// 1-based field number of the text.
        public var textField = 1
        /// 1-based field number of the label.
        public var labelField = 2
        /// Class names in id order (`--label-names FILE`); a label field may then hold a name or
        /// its 0-based id. nil: the distinct label values become the classes.
        public var labelNames: [String]?
        public var maxLineBytes = 1 << 20
        /// How many malformed lines one error lists.
        public var maxReported = 20

        public init() {}
    }

    /// One labelled line.
    public struct Line: Sendable, Equatable {
        public var text: String
        /// The label field, trimmed.
        public var label: String
        /// `file:line`.
        public var origin: String
    }

    /// Reads every line of `path`.
    ///
    /// - Throws: `TextDataError` when the file cannot be read, has no example, or has malformed
    ///   lines (too few fields, an empty text or label, not UTF-8, too long, a label that is
    ///   neither a name nor an id of `labelNames`), each named with `file:line`.
    public static func read(_ path: String, options: Options) throws(TextDataError) -> [Line] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TextDataError("\(path): cannot read the file") }
        defer { try? handle.close() }
        let needed = max(options.textField, options.labelField)
        var lines: [Line] = []
        var problems: [String] = []
        var problemCount = 0
        func problem(_ line: Int, _ text: String) {
            problemCount += 1
            if problems.count < options.maxReported { problems.append("\(path):\(line): \(text)") }
        }
        var reader = ChunkedLines(handle: handle, path: path, maxBytes: options.maxLineBytes)
        while let (number, bytes) = try reader.next() {
            guard let bytes else {
                problem(number, "line longer than \(options.maxLineBytes) bytes")
                continue
            }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                problem(number, "not UTF-8 text")
                continue
            }
            let fields: [String]
            do {
                fields = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: "\t").next() ?? []
            } catch {
                problem(number, "not tab-separated fields: \(error)")
                continue
            }
            if fields.count < needed {
                problem(number, "\(fields.count) field(s); the text is field \(options.textField) and the label field \(options.labelField)")
                continue
            }
            let label = fields[options.labelField - 1].trimmingCharacters(in: .whitespaces)
            let body = fields[options.textField - 1]
            if label.isEmpty {
                problem(number, "empty label (field \(options.labelField))")
                continue
            }
            if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problem(number, "empty text (field \(options.textField))")
                continue
            }
            if let names = options.labelNames, TextTSV.classID(label, names: names) == nil {
                problem(number, "label \"\(label.prefix(40))\" is neither a name of --label-names nor an id in 0…\(names.count - 1)")
                continue
            }
            lines.append(Line(text: body, label: label, origin: "\(path):\(number)"))
        }
        if problemCount > 0 {
            let more = problemCount > problems.count ? "\n(\(problemCount - problems.count) more malformed line(s) not listed)" : ""
            throw TextDataError("\(problemCount) malformed line(s):\n" + problems.joined(separator: "\n") + more)
        }
        if lines.isEmpty { throw TextDataError("\(path): no example (every line is blank)") }
        return lines
    }

    /// The class id of a label value: its position in `names`, or the value as a 0-based id.
    public static func classID(_ label: String, names: [String]) -> Int? {
        if let k = names.firstIndex(of: label) { return k }
        if let k = Int(label), k >= 0, k < names.count { return k }
        return nil
    }

    /// The class names of `--label-names FILE`: one per non-blank line, trimmed, unique, at least two.
    public static func labelNames(_ path: String) throws(TextDataError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw TextDataError("\(path): cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw TextDataError("\(path): not UTF-8 text") }
        var names: [String] = []
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { continue }
            if names.contains(name) { throw TextDataError("\(path):\(k + 1): the class name \"\(name)\" appears twice") }
            names.append(name)
        }
        if names.count < 2 { throw TextDataError("\(path): \(names.count) class name(s); a classifier needs at least two") }
        return names
    }

    /// Lines of a file read in chunks: (1-based line number, its bytes without the line break),
    /// or nil bytes for a line longer than `maxBytes` (skipped to its end without keeping it).
    struct ChunkedLines {
        let handle: FileHandle
        let path: String
        let maxBytes: Int
        var buffer: [UInt8] = []
        var position = 0
        var atEnd = false
        var line = 0

        init(handle: FileHandle, path: String, maxBytes: Int) {
            self.handle = handle
            self.path = path
            self.maxBytes = maxBytes
        }

        mutating func refill() throws(TextDataError) -> Bool {
            if atEnd { return false }
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 16) } catch {
                throw TextDataError("\(path): cannot read the file (\(error.localizedDescription))")
            }
            guard let chunk, !chunk.isEmpty else {
                atEnd = true
                return false
            }
            buffer = Array(chunk)
            position = 0
            return true
        }

        mutating func next() throws(TextDataError) -> (Int, [UInt8]?)? {
            var bytes: [UInt8] = []
            var tooLong = false
            var sawAny = false
            while true {
                if position == buffer.count, !(try refill()) {
                    if !sawAny { return nil }
                    break
                }
                sawAny = true
                let byte = buffer[position]
                position += 1
                if byte == UInt8(ascii: "\n") { break }
                if tooLong { continue }
                bytes.append(byte)
                if bytes.count > maxBytes {
                    tooLong = true
                    bytes = []
                }
            }
            line += 1
            if tooLong { return (line, nil) }
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            return (line, bytes)
        }
    }
}

/// A problem with a text classifier's data, naming the file and line.
public struct TextDataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
