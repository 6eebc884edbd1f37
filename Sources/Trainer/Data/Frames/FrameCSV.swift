import CSV
import Foundation

/// Reads `recur train frames`'s CSV files into a `FrameTable`.
///
/// Each file starts with a header line of column names. Fields are split by yaslab/CSV.swift
/// (RFC 4180: quoted fields with commas, doubled quotes and line breaks inside them; CRLF or LF).
/// Around it this reader frames the records so that memory stays bounded: a record (a line, or
/// several when a quoted field spans lines) longer than `maxRecordBytes` is refused as soon as
/// that many bytes are read, whatever the file's size. Blank lines and lines whose first
/// character is `#` (outside a quoted field) are skipped. What RFC 4180 does not allow — a quote
/// inside an unquoted field, text after a field's closing quote, a CR not followed by LF outside
/// a quoted field — is an error naming the line, since CSV.swift would read it silently its own
/// way (a lone CR ends its row and the rest of the record would be lost).
public enum FrameCSV {
    /// What to read from the files.
    public struct Options: Sendable {
        /// Classifier: the label column (the row's class; an empty cell leaves the row unlabelled).
        public var labelColumn: String?
        /// Regressor: the target columns.
        public var targetColumns: [String] = []
        /// The input columns; empty: every column of the first file whose first data row holds a
        /// number, except the label, target, sequence and group columns.
        public var columns: [String] = []
        /// A new sequence starts where this column's value changes (and at every file).
        public var sequenceColumn: String?
        /// The split unit (e.g. the subject): no group is in two parts.
        public var groupColumn: String?
        /// The longest record read.
        public var maxRecordBytes = 1 << 20

        public init() {}
    }

    /// Reads every file.
    ///
    /// - Throws: `FrameDataError` naming the file, line and column of the first problem: a file
    ///   that cannot be read or is empty, a missing column, a cell that is not a finite number, a
    ///   record that is too long or not UTF-8, an unterminated quote, a label column with one class.
    public static func load(_ files: [String], options: Options) throws(FrameDataError) -> FrameTable {
        try load(inputs: files.map { .file($0) }, options: options)
    }

    /// One CSV input: a file, read in 64 KiB chunks as the records need them, or bytes already in
    /// memory, handed to the same record reader in chunks of `chunk` bytes (the fuzz target
    /// `fuzz-csv` varies it; the table never depends on it).
    public enum Input: Sendable {
        case file(String)
        case bytes([UInt8], name: String, chunk: Int = 1 << 16)

        /// The name messages give (the path, or the bytes' name).
        public var name: String {
            switch self {
            case .file(let path): path
            case .bytes(_, let name, _): name
            }
        }
    }

    /// Reads every input (what `load(_:options:)` does with files).
    ///
    /// - Throws: `FrameDataError` as `load(_:options:)`.
    public static func load(inputs files: [Input], options: Options) throws(FrameDataError) -> FrameTable {
        guard !files.isEmpty else { throw FrameDataError("--csv: no file given") }
        if options.labelColumn == nil && options.targetColumns.isEmpty {
            throw FrameDataError("give --label-column NAME (classifier) or --target-columns A,B,… (regressor)")
        }
        if options.labelColumn != nil && !options.targetColumns.isEmpty {
            throw FrameDataError("--label-column and --target-columns exclude each other")
        }
        var inputs = options.columns
        var sequences: [FrameSequence] = []
        var labelNames: [String: Int] = [:]
        var rowLabels: [[String?]] = []  // per sequence, per row
        for file in files {
            try read(file, options: options, inputs: &inputs, into: &sequences, labels: &rowLabels)
        }
        // Class ids: the label values sorted (numerically when they all are numbers). The order is
        // total — equal values by their text, NaN ("nan") last — so the ids never depend on the
        // order the rows come in (NaN compares false with everything and would).
        var classNames: [String] = []
        if options.labelColumn != nil {
            let values = Set(rowLabels.joined().compactMap { $0 })
            let numbers = values.compactMap { text in Double(text).map { (text: text, value: $0) } }
            classNames = numbers.count == values.count
                ? numbers.sorted { a, b in
                    if a.value.isNaN || b.value.isNaN { return a.value.isNaN == b.value.isNaN ? a.text < b.text : b.value.isNaN }
                    return a.value < b.value || (a.value == b.value && a.text < b.text)
                }.map(\.text)
                : values.sorted()
            if classNames.count < 2 {
                throw FrameDataError("--label-column \(options.labelColumn!): "
                    + (classNames.isEmpty ? "no labelled row" : "one class only (\"\(classNames[0])\")")
                    + " in \(files.map(\.name).joined(separator: ", ")); a classifier needs at least two")
            }
            for (k, name) in classNames.enumerated() { labelNames[name] = k }
            for index in sequences.indices {
                sequences[index].runs = FrameSequence.runs(of: rowLabels[index].map { $0.flatMap { labelNames[$0] } })
            }
        }
        return FrameTable(channelNames: inputs, classNames: classNames, targetNames: options.targetColumns,
                          sequences: sequences)
    }

    /// Reads one file's rows into sequences.
    private static func read(_ input: Input, options: Options, inputs: inout [String], into sequences: inout [FrameSequence],
                             labels: inout [[String?]]) throws(FrameDataError) {
        var records = try RecordReader(input, maxBytes: options.maxRecordBytes)
        let file = input.name
        guard let (headerLine, header) = try records.next() else {
            throw FrameDataError("\(file): empty (no header line)")
        }
        func index(_ name: String, _ option: String) throws(FrameDataError) -> Int {
            guard let k = header.firstIndex(of: name) else {
                throw .at(file, line: headerLine, "\(option): no column \"\(name)\" (columns: \(header.joined(separator: ", ")))")
            }
            // Two columns of one name would make the second silently unread.
            if let again = header[(k + 1)...].firstIndex(of: name) {
                throw .at(file, line: headerLine, "\(option): the header names column \"\(name)\" twice (columns \(k + 1) and \(again + 1))")
            }
            return k
        }
        let label = try options.labelColumn.map { (name) throws(FrameDataError) in try index(name, "--label-column") }
        var targets: [Int] = []
        for name in options.targetColumns { targets.append(try index(name, "--target-columns")) }
        let sequence = try options.sequenceColumn.map { (name) throws(FrameDataError) in try index(name, "--sequence-column") }
        let group = try options.groupColumn.map { (name) throws(FrameDataError) in try index(name, "--group-column") }
        let reserved = Set([label, sequence, group].compactMap { $0 } + targets)

        var first = true
        var columns: [Int] = []
        var current: (key: String, group: String)? = nil
        let start = sequences.count
        while let (line, fields) = try records.next() {
            if fields.count != header.count {
                throw .at(file, line: line, "\(fields.count) fields, the header has \(header.count)")
            }
            if first {
                first = false
                if inputs.isEmpty {
                    // Every numeric column of the first data row that has no other role.
                    inputs = header.indices.filter { !reserved.contains($0) && number(fields[$0]) != nil }.map { header[$0] }
                    if inputs.isEmpty {
                        throw .at(file, line: line, "no numeric input column (give --columns A,B,…)")
                    }
                }
                for name in inputs { columns.append(try index(name, options.columns.isEmpty ? "input column" : "--columns")) }
                if let clash = columns.first(where: { reserved.contains($0) }) {
                    throw FrameDataError("--columns: \"\(header[clash])\" is also the label, target, sequence or group column")
                }
            }
            let key = sequence.map { fields[$0] } ?? ""
            let groupValue = group.map { fields[$0] } ?? ""
            if current == nil || current!.key != key || current!.group != groupValue {
                current = (key, groupValue)
                let name = "\((file as NSString).lastPathComponent):\(line)"
                sequences.append(FrameSequence(name: name, group: group == nil ? name : groupValue, values: [], runs: []))
                labels.append([])
            }
            let s = sequences.count - 1
            for (k, column) in columns.enumerated() {
                guard let value = number(fields[column]) else {
                    throw .at(file, line: line, column: inputs[k], "\"\(fields[column].prefix(40))\" is not a finite number")
                }
                sequences[s].values.append(value)
            }
            for column in targets {
                guard let value = number(fields[column]) else {
                    throw .at(file, line: line, column: header[column], "\"\(fields[column].prefix(40))\" is not a finite number")
                }
                sequences[s].targets.append(value)
            }
            if let label {
                let text = fields[label].trimmingCharacters(in: .whitespaces)
                labels[s].append(text.isEmpty ? nil : text)
            }
        }
        if sequences.count == start { throw FrameDataError("\(file): no data rows after the header (line \(headerLine))") }
        if label == nil {
            // A regressor's sequence is one run over every row.
            for s in start..<sequences.count {
                let rows = sequences[s].targets.count / max(targets.count, 1)
                sequences[s].runs = [FrameRun(label: 0, first: 0, last: rows - 1)]
            }
        }
    }

    /// A finite number, surrounding blanks allowed.
    static func number(_ field: String) -> Float? {
        guard let value = Float(field.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
        return value
    }

    /// Records of a file, framed by line breaks outside quoted fields, each split into fields by
    /// CSV.swift; bounded by `maxBytes` per record.
    struct RecordReader {
        let path: String
        let maxBytes: Int
        /// The file, or nil for bytes in memory.
        let handle: FileHandle?
        /// Bytes in memory and the chunk size they are handed out in.
        let memory: [UInt8]
        let chunk: Int
        var memoryPosition = 0
        var buffer: [UInt8] = []
        var position = 0
        var atEnd = false
        /// The physical line the next byte belongs to.
        var line = 1

        init(_ input: Input, maxBytes: Int) throws(FrameDataError) {
            self.path = input.name
            self.maxBytes = maxBytes
            switch input {
            case .file(let path):
                guard let handle = FileHandle(forReadingAtPath: path) else { throw FrameDataError("\(path): cannot read the file") }
                self.handle = handle
                self.memory = []
                self.chunk = 1 << 16
            case .bytes(let bytes, _, let chunk):
                self.handle = nil
                self.memory = bytes
                self.chunk = max(chunk, 1)
            }
        }

        /// The next chunk of input; empty at the end.
        mutating func nextChunk() throws(FrameDataError) -> [UInt8] {
            guard let handle else {
                let end = memoryPosition + min(chunk, memory.count - memoryPosition)
                defer { memoryPosition = end }
                return Array(memory[memoryPosition..<end])
            }
            do { return Array(try handle.read(upToCount: 1 << 16) ?? Data()) } catch {
                throw FrameDataError("\(path): cannot read the file (\(error.localizedDescription))")
            }
        }

        mutating func nextByte() throws(FrameDataError) -> UInt8? {
            if position == buffer.count {
                if atEnd { return nil }
                let chunk = try nextChunk()
                guard !chunk.isEmpty else {
                    atEnd = true
                    return nil
                }
                buffer = chunk
                position = 0
            }
            position += 1
            return buffer[position - 1]
        }

        /// Where a record's current field is in RFC 4180's grammar.
        enum FieldState { case start, unquoted, quoted, closed }

        /// The next record (its first line, its fields), or nil at the end of the file.
        mutating func next() throws(FrameDataError) -> (line: Int, fields: [String])? {
            let (lf, cr, quote, comma) = (UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""), UInt8(ascii: ","))
            while true {
                var bytes: [UInt8] = []
                var field = FieldState.start
                var carriageReturn = false  // the previous byte was a CR outside a quoted field
                var comment = false
                let first = line
                var ended = false
                while let byte = try nextByte() {
                    if byte == lf {
                        line += 1
                        if field != .quoted { ended = true; break }
                    }
                    if comment { continue }
                    if bytes.isEmpty && byte == UInt8(ascii: "#") { comment = true; continue }
                    // RFC 4180, checked here because CSV.swift reads these silently in its own way
                    // (a lone CR ends its row, the rest of the record would be lost).
                    if carriageReturn { throw .at(path, line: line, "a carriage return inside a record (records end in LF or CRLF)") }
                    switch field {
                    case .start:
                        field = byte == quote ? .quoted : byte == comma ? .start : .unquoted
                    case .unquoted:
                        if byte == quote {
                            throw .at(path, line: line, "a quote inside an unquoted field (quote the whole field and double the quote: \"a\"\"b\")")
                        }
                        if byte == comma { field = .start }
                    case .quoted:
                        if byte == quote { field = .closed }
                    case .closed:
                        if byte == quote {
                            field = .quoted
                        } else if byte == comma {
                            field = .start
                        } else if byte != cr {
                            throw .at(path, line: line, "text after a field's closing quote (a quote inside a quoted field is written twice)")
                        }
                    }
                    carriageReturn = byte == cr && field != .quoted
                    bytes.append(byte)
                    if bytes.count > maxBytes {
                        throw .at(path, line: first, "record longer than \(maxBytes) bytes (a missing line break or quote?)")
                    }
                }
                if !ended && bytes.isEmpty && !comment { return nil }
                if field == .quoted { throw .at(path, line: first, "a quoted field is not closed before the end of the file") }
                if bytes.last == cr { bytes.removeLast() }
                if comment || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    if !ended { return nil }
                    continue
                }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw .at(path, line: first, "not UTF-8 text")
                }
                let fields: [String]?
                do { fields = try CSVReader(string: text).next() } catch {
                    throw .at(path, line: first, "not CSV: \(error)")
                }
                guard let fields else { continue }
                return (first, fields)
            }
        }
    }
}
