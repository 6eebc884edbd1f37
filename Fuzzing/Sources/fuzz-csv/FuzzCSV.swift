import FuzzSupport
import RecurRuntime
import Trainer

/// `recur train frames`'s CSV path up to the first batch: `FrameCSV.load` (record framing, quoted
/// fields by CSV.swift, comments, CRLF, UTF-8, the column roles, numbers, label classes, sequences
/// and groups), then the split into windows or segments by group (with the gravity-split
/// preprocessor on request), the normalisation statistics and the training batches.
///
/// Input: byte 0 the options (`FuzzCSVOptions`), byte 1 the read chunk size (1…256), byte 2 the
/// window (1…16, low nibble) and hop (1…16, high nibble, at most the window); the rest is up to
/// four files, separated by 0xFF bytes (never part of UTF-8 text).
///
/// Checks: the table does not depend on the chunk size (nor does the error); a file read is RFC 4180
/// and each of its data records is one row (an independent reader of the grammar); every sequence holds
/// whole rows of finite values, its runs lie inside it, in order, with valid class ids; class names
/// are distinct, at least two, and sorted by a total order (numerically when they are all numbers);
/// every example is a window (or a whole run) of finite frames with a valid class; the statistics
/// are finite with a positive spread, and every normalised value is finite (or `normalisation()`
/// refuses the data).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 3 else { return 0 }
    let flags = FuzzCSVOptions(rawValue: data[0])
    let chunk = 1 + Int(data[1])
    let window = 1 + Int(data[2] & 15)
    let hop = min(1 + Int(data[2] >> 4), window)
    let files = UnsafeBufferPointer(start: data + 3, count: size - 3)
        .split(separator: 0xFF, maxSplits: 3, omittingEmptySubsequences: false).map(Array.init)
    let options = flags.loadOptions
    let inputs = files.enumerated().map { FrameCSV.Input.bytes($1, name: "file\($0).csv", chunk: chunk) }
    let whole = files.enumerated().map { FrameCSV.Input.bytes($1, name: "file\($0).csv", chunk: Int.max) }

    let table: FrameTable
    switch (Result { () throws(FrameDataError) in try FrameCSV.load(inputs: inputs, options: options) },
            Result { () throws(FrameDataError) in try FrameCSV.load(inputs: whole, options: options) }) {
    case (.success(let a), .success(let b)):
        check(same(a, b), "the table depends on the read chunk size (\(chunk))")
        table = a
    case (.failure(let a), .failure(let b)):
        check(a == b, "the error depends on the read chunk size (\(chunk)): \(a) / \(b)")
        Exercise.consume(a.description)
        return 0
    case (.success, .failure(let error)), (.failure(let error), .success):
        check(false, "one chunk size (\(chunk) or all) fails, the other not: \(error)")
        return 0
    }
    checkTable(table, options: options)
    // Every data record of every file is one row of the table: the files are RFC 4180 and no
    // record lost part of itself (see `rfc4180DataRecords`).
    var records = 0
    for (k, file) in files.enumerated() {
        guard let count = rfc4180DataRecords(file) else {
            check(false, "file \(k) was read, but it is not RFC 4180 CSV (a quote in an unquoted field, text after a closing quote, a lone CR)")
            return 0
        }
        records += count
    }
    let rows = table.sequences.reduce(0) { $0 + $1.rows(channels: table.channels) }
    check(rows == records, "the table holds \(rows) rows, the files \(records) data records")

    var cut = FrameCutOptions()
    cut.window = window
    cut.hop = hop
    cut.segments = flags.contains(.segments)
    if flags.contains(.namedGroups) {
        cut.testGroups = ["a"]
        cut.validationGroups = ["b"]
    }
    if flags.contains(.gravitySplit) {
        do {
            cut.preprocessor = try StreamPreprocessor(
                kind: .gravitySplitIIR2, coefficients: GravityFilterDesign.butterworthLowPass(cutoffHz: 0.3, sampleRateHz: 50))
        } catch {
            check(false, "the gravity split's own coefficients were refused: \(error)")
        }
    }
    let split: FrameSplit
    do throws(FrameDataError) {
        split = try table.split(cut)
    } catch {
        Exercise.consume(error.description)
        return 0
    }
    checkSplit(split, table: table, cut: cut)
    return 0
}

/// Byte 0 of the input: which columns have which role (the seeds' names), and how to cut.
struct FuzzCSVOptions: OptionSet {
    let rawValue: UInt8
    /// A regressor over `y` (else a classifier over `label`).
    static let regressor = FuzzCSVOptions(rawValue: 1 << 0)
    /// Sequences by `take`.
    static let sequence = FuzzCSVOptions(rawValue: 1 << 1)
    /// Groups by `subject`.
    static let group = FuzzCSVOptions(rawValue: 1 << 2)
    /// Inputs `x` and `z` named (else every numeric column of the first row).
    static let columns = FuzzCSVOptions(rawValue: 1 << 3)
    /// Whole runs instead of windows.
    static let segments = FuzzCSVOptions(rawValue: 1 << 4)
    /// The gravity split (six input columns).
    static let gravitySplit = FuzzCSVOptions(rawValue: 1 << 5)
    /// A record limit of 64 bytes (else 1 MiB).
    static let shortRecords = FuzzCSVOptions(rawValue: 1 << 6)
    /// Test group `a`, validation group `b` (else fractions).
    static let namedGroups = FuzzCSVOptions(rawValue: 1 << 7)

    var loadOptions: FrameCSV.Options {
        var options = FrameCSV.Options()
        if contains(.regressor) { options.targetColumns = ["y"] } else { options.labelColumn = "label" }
        if contains(.sequence) { options.sequenceColumn = "take" }
        if contains(.group) { options.groupColumn = "subject" }
        if contains(.columns) { options.columns = ["x", "z"] }
        if contains(.shortRecords) { options.maxRecordBytes = 64 }
        return options
    }
}

/// Two tables hold the same names and the same bits.
func same(_ a: FrameTable, _ b: FrameTable) -> Bool {
    guard a.channelNames == b.channelNames, a.classNames == b.classNames, a.targetNames == b.targetNames,
          a.sequences.count == b.sequences.count else { return false }
    for (s, t) in zip(a.sequences, b.sequences) {
        guard s.name == t.name, s.group == t.group, s.runs == t.runs, s.part == t.part,
              s.values.map(\.bitPattern) == t.values.map(\.bitPattern),
              s.targets.map(\.bitPattern) == t.targets.map(\.bitPattern) else { return false }
    }
    return true
}

func checkTable(_ table: FrameTable, options: FrameCSV.Options) {
    check(table.channels > 0, "a table without input channels")
    check(Set(table.channelNames).count == table.channels, "an input channel named twice: \(table.channelNames)")
    if !options.columns.isEmpty { check(table.channelNames == options.columns, "the channels are not the --columns given") }
    check(table.targetNames == options.targetColumns, "the targets are not the --target-columns given")
    if options.labelColumn != nil {
        let names = table.classNames
        check(names.count >= 2, "a classifier with \(names.count) class(es)")
        check(Set(names).count == names.count, "a class named twice: \(names)")
        check(!names.contains(""), "an empty class name")
        // A strict total order, so that the class ids cannot depend on the order of the rows:
        // when every name is a number, by value (equal values by their text, NaN last), else by text.
        let numbers = names.compactMap { Double($0) }
        for k in 1..<names.count {
            let (a, b) = (names[k - 1], names[k])
            if numbers.count == names.count {
                let (x, y) = (numbers[k - 1], numbers[k])
                let before = x.isNaN || y.isNaN ? !x.isNaN || (y.isNaN && a < b) : x < y || (x == y && a < b)
                check(before, "class names out of numeric order: \(names)")
            } else {
                check(a < b, "class names out of order: \(names)")
            }
        }
    } else {
        check(table.classNames.isEmpty, "a regressor with classes")
    }
    check(!table.sequences.isEmpty, "a table without sequences")
    for sequence in table.sequences {
        let rows = sequence.rows(channels: table.channels)
        check(rows > 0 && sequence.values.count == rows * table.channels, "\(sequence.name): not whole rows")
        check(sequence.values.allSatisfy(\.isFinite), "\(sequence.name): a non-finite input")
        check(sequence.targets.count == rows * table.targetNames.count, "\(sequence.name): targets for other rows")
        check(sequence.targets.allSatisfy(\.isFinite), "\(sequence.name): a non-finite target")
        var next = 0
        for run in sequence.runs {
            check(run.first >= next && run.first <= run.last && run.last < rows, "\(sequence.name): run \(run) out of place")
            check(table.isClassifier ? run.label >= 0 && run.label < table.classNames.count : run.label == 0,
                  "\(sequence.name): run label \(run.label)")
            next = run.last + 1
        }
        if !table.isClassifier { check(sequence.runs == [FrameRun(label: 0, first: 0, last: rows - 1)], "a regressor's run") }
        if options.groupColumn == nil { check(sequence.group == sequence.name, "\(sequence.name): a group without --group-column") }
    }
}

func checkSplit(_ split: FrameSplit, table: FrameTable, cut: FrameCutOptions) {
    let channels = cut.preprocessor?.outputSize ?? table.channels
    check(split.channelNames.count == channels, "split channel names")
    let groups = Set(table.sequences.map(\.group))
    var parts: [String: String] = [:]
    for (part, set) in [("train", split.train), ("validation", split.validation), ("test", split.test)] {
        check(set.count > 0, "an empty \(part) part was returned")
        check(set.channels == channels, "\(part): \(set.channels) channels for \(channels)")
        for k in 0..<set.count {
            let length = set.lengths[k]
            if !cut.segments { check(length == cut.window, "\(part) example \(k): \(length) frames for a window of \(cut.window)") }
            check(length > 0 && set.frames(of: k).count == length * channels, "\(part) example \(k): frames")
            check(set.frames(of: k).allSatisfy(\.isFinite), "\(part) example \(k): a non-finite frame value")
            if table.isClassifier {
                check(set.labels[k] >= 0 && set.labels[k] < table.classNames.count, "\(part) example \(k): class \(set.labels[k])")
            }
            check(groups.contains(set.groups[k]), "\(part) example \(k): unknown group")
            // No group is in two parts.
            let previous = parts.updateValue(part, forKey: set.groups[k])
            check(previous == nil || previous == part, "group \(set.groups[k]) in \(previous!) and \(part)")
        }
        check(set.targets.count == set.count * table.targetNames.count, "\(part): targets")
    }
    let mean: [Float], std: [Float]
    do throws(FrameDataError) {
        (mean, std) = try split.normalisation()
    } catch {
        Exercise.consume(error.description)
        return
    }
    check(mean.count == channels && std.count == channels, "statistics per channel")
    check(mean.allSatisfy(\.isFinite) && std.allSatisfy({ $0.isFinite && $0 > 0 }), "statistics \(mean) \(std)")
    // The batches the trainer builds (one per length), normalised as the Runtime does.
    let outputs = table.targetNames.count
    for set in [split.train, split.validation, split.test] {
        for indices in set.lengthBuckets {
            let batch = set.batch(indices, mean: mean, std: std, outputs: outputs)
            guard case .frames(let values, let features) = batch.inputs else {
                check(false, "a frame batch without frames")
                return
            }
            check(features == channels, "batch features")
            check(values.allSatisfy(\.isFinite), "a normalised value is not finite (mean \(mean), std \(std))")
        }
    }
}

/// The data records (after the header) of a file by RFC 4180's grammar with the reader's
/// conventions — records end at LF or CRLF outside quoted fields, a record whose first byte is `#`
/// is a comment up to the next LF, a record of only blanks is skipped — or nil when the grammar
/// refuses the file: a quote inside an unquoted field, anything but a quote, comma or the record's
/// end after a closing quote, a CR that is not part of a CRLF outside quotes, an unclosed quote.
func rfc4180DataRecords(_ bytes: [UInt8]) -> Int? {
    enum State { case fieldStart, unquoted, quoted, quoteSeen }
    let (lf, cr, quote, comma) = (UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""), UInt8(ascii: ","))
    var records = 0
    var i = 0
    while i < bytes.count {
        if bytes[i] == UInt8(ascii: "#") {
            while i < bytes.count && bytes[i] != lf { i += 1 }
            i += 1
            continue
        }
        // One record: up to an LF outside a quoted field, or the end.
        let start = i
        var state = State.fieldStart
        while i < bytes.count && !(bytes[i] == lf && state != .quoted) {
            let byte = bytes[i]
            switch state {
            case .fieldStart, .unquoted:
                if byte == quote && state == .fieldStart { state = .quoted } else if byte == comma { state = .fieldStart } else if byte == quote { return nil } else { state = .unquoted }
            case .quoted:
                if byte == quote { state = .quoteSeen }
            case .quoteSeen:
                if byte == quote { state = .quoted } else if byte == comma { state = .fieldStart } else if byte != cr { return nil } else { state = .unquoted }
            }
            i += 1
        }
        if state == .quoted { return nil }
        var record = Array(bytes[start..<i])
        i += 1
        if record.last == cr { record.removeLast() }
        // A CR left inside the record, outside a quoted field, is a lone CR.
        var inQuotes = false
        for byte in record {
            if byte == quote { inQuotes.toggle() } else if byte == cr && !inQuotes { return nil }
        }
        if record.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
        records += 1
    }
    return max(records - 1, 0)
}
