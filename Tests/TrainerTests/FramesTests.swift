import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// `recur train frames` on the committed CSV fixture (Fixtures/frames/imu.csv): five subjects
/// (groups a–e), two takes each (sequences), and a label change inside every take ("still" for
/// rows 0–19, "shake" for rows 20–39); a quoted header field with a comma, CRLF line ends, a
/// comment line.
@Suite struct FramesTests {
    static let fixture: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/frames/imu.csv").path

    func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "recur-frames-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func options(label: String? = "label") -> FrameCSV.Options {
        var o = FrameCSV.Options()
        o.labelColumn = label
        o.sequenceColumn = "take"
        o.groupColumn = "subject"
        return o
    }

    func settings(out: String, csv: [String] = [FramesTests.fixture], edit: (inout FramesSettings) -> Void = { _ in }) -> TrainSettings {
        var frames = FramesSettings(source: .csv)
        frames.csv = csv
        frames.labelColumn = "label"
        frames.sequenceColumn = "take"
        frames.groupColumn = "subject"
        frames.window = 10
        frames.hop = 5
        frames.testGroups = ["c"]
        frames.validationGroups = ["e"]
        edit(&frames)
        var s = TrainSettings.defaults(for: .frames, out: out)
        s.frames = frames
        s.hidden = 8
        s.epochs = 25
        s.batchSize = 8
        s.learningRate = 0.02
        s.threads = 1
        s.patience = 0
        s.writeF32 = true
        return s
    }

    @Test("the reader: header with a quoted comma, comment, CRLF; sequences by take and subject; sorted label names; runs at the label change")
    func table() throws {
        let table = try FrameCSV.load([Self.fixture], options: options())
        #expect(table.channelNames == ["x, raw", "y"])
        #expect(table.classNames == ["shake", "still"])
        #expect(table.sequences.count == 10)
        #expect(table.sequences.map(\.group) == ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"])
        // The first data row is line 3 (a comment and the header before it).
        #expect(table.sequences[0].name == "imu.csv:3" && table.sequences[1].name == "imu.csv:43")
        for sequence in table.sequences {
            #expect(sequence.rows(channels: 2) == 40)
            #expect(sequence.runs == [FrameRun(label: 1, first: 0, last: 19), FrameRun(label: 0, first: 20, last: 39)])
        }
        // Row 3 of the file: a,1,-0.0128,0.1256,still
        #expect(table.sequences[0].values[0] == -0.0128 && table.sequences[0].values[1] == 0.1256)
    }

    @Test("bytes in memory read as the file does, in any chunk size (the entry point fuzz-csv uses)")
    func bytesReadAsTheFile() throws {
        let file = try FrameCSV.load([Self.fixture], options: options())
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        for chunk in [1, 2, 7, 4096, 1 << 20] {
            let table = try FrameCSV.load(inputs: [.bytes(bytes, name: Self.fixture, chunk: chunk)], options: options())
            #expect(table.channelNames == file.channelNames && table.classNames == file.classNames, "chunk \(chunk)")
            #expect(table.sequences.map(\.name) == file.sequences.map(\.name), "chunk \(chunk)")
            #expect(table.sequences.map(\.values) == file.sequences.map(\.values), "chunk \(chunk)")
            #expect(table.sequences.map(\.runs) == file.sequences.map(\.runs), "chunk \(chunk)")
        }
        // Errors name the bytes' name, line and column as they name a file's.
        var damaged = bytes
        damaged.append(contentsOf: Array("e,2,0.1,oops,still\r\n".utf8))
        #expect(throws: FrameDataError("memory.csv:403: column \"y\": \"oops\" is not a finite number")) {
            _ = try FrameCSV.load(inputs: [.bytes(damaged, name: "memory.csv", chunk: 3)], options: options())
        }
    }

    /// The table of CSV text in memory (groups by subject).
    func table(_ text: String, chunk: Int = 5) throws(FrameDataError) -> FrameTable {
        var o = FrameCSV.Options()
        o.labelColumn = "label"
        o.groupColumn = "subject"
        return try FrameCSV.load(inputs: [.bytes(Array(text.utf8), name: "t.csv", chunk: chunk)], options: o)
    }

    @Test("what RFC 4180 does not allow is refused with its line, not read silently another way (fuzz-csv's finding)")
    func nonRFC4180Refused() throws {
        // Found by fuzz-csv (Fuzzing/regressions/csv/text-after-closing-quote): `""9` was read as a
        // label `"9`, and a lone CR ended CSV.swift's row, losing the rest of the record.
        #expect(throws: FrameDataError("t.csv:3: text after a field's closing quote (a quote inside a quoted field is written twice)")) {
            _ = try table("subject,x,label\na,0,p\nb,8,\"\"9")
        }
        #expect(throws: FrameDataError("t.csv:2: a carriage return inside a record (records end in LF or CRLF)")) {
            _ = try table("subject,x,label\na,1,p\rb,2,q\nc,3,q\n")
        }
        #expect(throws: FrameDataError("t.csv:3: a quote inside an unquoted field (quote the whole field and double the quote: \"a\"\"b\")")) {
            _ = try table("subject,x,label\na,1,p\nb,2,q\"\nc,3,q\"\n")
        }
        // What RFC 4180 allows still reads: quotes around a field, doubled quotes, a line break
        // inside quotes, CRLF, a quoted field before CRLF.
        let good = try table("subject,\"x\",label\r\na,1,\"p \"\"1\"\"\"\r\nb,2,\"q\r\nr\"\r\nc,3,\"q\r\nr\"\r\n", chunk: 1)
        #expect(good.classNames == ["p \"1\"", "q\r\nr"])
        #expect(good.sequences.map(\.values) == [[1], [2], [3]])
    }

    @Test("a column the header names twice is refused when it is used (fuzz-csv's finding)")
    func duplicateColumnRefused() throws {
        // Found by fuzz-csv (Fuzzing/regressions/csv/duplicate-column): two numeric columns of
        // one name became two inputs that both read the first column.
        #expect(throws: FrameDataError("t.csv:1: input column: the header names column \"x\" twice (columns 2 and 3)")) {
            _ = try table("subject,x,x,label\na,1,2,p\nb,3,4,q\n")
        }
        #expect(throws: FrameDataError("t.csv:1: --label-column: the header names column \"label\" twice (columns 3 and 4)")) {
            _ = try table("subject,x,label,label\na,1,p,p\nb,3,q,q\n")
        }
        // An unused repeated column is no error.
        #expect(try table("subject,x,note,note,label\na,1,n,n,p\nb,3,n,n,q\nc,4,,,q\n").channelNames == ["x"])
    }

    @Test("numeric class names sort by value, ties by text, NaN last, whatever the row order")
    func numericClassOrder() throws {
        let labels = ["10", "nan", "2", "-0", "0", "NaN", "2.0", "-1.5"]
        for rotation in 0..<labels.count {
            let rows = (labels[rotation...] + labels[..<rotation]).enumerated().map { "s\($0),\($0),\($1)" }
            let table = try table((["subject,x,label"] + rows).joined(separator: "\n"))
            #expect(table.classNames == ["-1.5", "-0", "0", "2", "2.0", "10", "NaN", "nan"], "rotation \(rotation)")
        }
    }

    @Test("a value the training statistics cannot normalise in Float is refused, naming channel and part (fuzz-csv's finding)")
    func normalisationOverflowRefused() throws {
        // Found by fuzz-csv (Fuzzing/regressions/csv/normalisation-overflow): 1e38 in a test
        // group against a training spread of 0.19 normalised to infinity; here 3e38 against 0.5.
        var rows = ["subject,x,label"]
        for (k, subject) in ["a", "b", "c", "d"].enumerated() {
            for r in 0..<4 { rows.append("\(subject),\(k == 3 && r == 0 ? "3e38" : String(r % 2)),\(r < 2 ? "p" : "q")") }
        }
        let split = try table(rows.joined(separator: "\n")).split({
            var cut = FrameCutOptions()
            cut.window = 2
            cut.hop = 2
            cut.testGroups = ["d"]
            cut.validationGroups = ["c"]
            return cut
        }())
        #expect(throws: FrameDataError("channel \"x\": the test value 3e+38 is too far from the training mean 0.5 (standard deviation 0.5) "
            + "to normalise in 32-bit floats; rescale the column or check the value")) {
            _ = try split.normalisation()
        }
    }

    @Test("the split by named groups and the windows: none crosses the label change, each holds its rows")
    func splitAndWindows() throws {
        let table = try FrameCSV.load([Self.fixture], options: options())
        var cut = FrameCutOptions()
        cut.window = 10
        cut.hop = 5
        cut.testGroups = ["c"]
        cut.validationGroups = ["e"]
        let split = try table.split(cut)
        // A run of 20 rows gives windows at 0, 5, 10: 3 per run, 2 runs per take, 2 takes per subject.
        #expect(split.train.count == 36 && split.validation.count == 12 && split.test.count == 12)
        #expect(Set(split.train.groups) == ["a", "b", "d"] && Set(split.validation.groups) == ["e"] && Set(split.test.groups) == ["c"])
        #expect(split.summary.contains("train: 36 windows from 3 groups (a b d)"))
        #expect(split.summary.contains("test: 12 windows from 1 group (c)"))
        // Test windows in order: subject c, take 1, run "still" rows 0, 5, 10, then run "shake" rows 20, 25, 30.
        let c1 = table.sequences[4]
        for (k, (start, label)) in [(0, 1), (5, 1), (10, 1), (20, 0), (25, 0), (30, 0)].enumerated() {
            #expect(split.test.labels[k] == label)
            #expect(Array(split.test.frames(of: k)) == Array(c1.values[(start * 2)..<((start + 10) * 2)]))
        }
        // Segments: one example per labelled run.
        cut.segments = true
        let segments = try table.split(cut)
        #expect(segments.train.count == 12 && segments.train.lengths.allSatisfy { $0 == 20 })
        // Fractions pick whole groups with the seed; the same seed picks the same ones.
        var drawn = FrameCutOptions()
        drawn.window = 10
        drawn.hop = 10
        drawn.testFraction = 0.2
        drawn.validationFraction = 0.2
        let one = try table.split(drawn), two = try table.split(drawn)
        #expect(Set(one.test.groups).count == 1 && Set(one.validation.groups).count == 1)
        #expect(one.test.groups == two.test.groups && Set(one.test.groups).isDisjoint(with: Set(one.train.groups)))
    }

    @Test("train → export → Runtime: windows and segments learn the fixture; the files carry labels, windows or recur.segments")
    func trainWindowsAndSegments() throws {
        let dir = temporaryDirectory()
        let windows = settings(out: dir + "/w.rnnz")
        let report = try TaskRunner(settings: windows, progress: Progress(quiet: true)).run()
        #expect(report.metricName == "accuracy")
        #expect(report.int8.value >= 0.9, "int8 accuracy \(report.int8.value)")
        #expect(report.int8.classification?.total == 12)
        let file = try ModelFile.load(windows.out)
        #expect(try file.strings("recur.labels") == ["shake", "still"])
        #expect(try file.uint32("recur.window") == 10 && file.uint32("recur.hop") == 5)
        #expect(try file.strings("recur.input.names") == ["x, raw", "y"])

        let segments = settings(out: dir + "/s.rnnz") { $0.segments = true }
        let segmentReport = try TaskRunner(settings: segments, progress: Progress(quiet: true)).run()
        #expect(segmentReport.int8.value >= 0.75, "int8 accuracy \(segmentReport.int8.value)")
        let model = try Model(file: try ModelFile.load(segments.out))
        #expect(model.frames?.segments == true && model.frames?.window == 0)
        #expect(try model.verifySelfTests().cases == 2)
        // `recur eval` rebuilds the split from the stored settings and gets the same figure.
        #expect(try TaskRunner.evaluate(model, settings: segments).score.value == segmentReport.int8.value)
    }

    @Test("segments of different lengths train in buckets; a session gives one result per segment")
    func variableLengthSegments() throws {
        let dir = temporaryDirectory()
        // Cut the fixture's takes to different lengths: drop rows of the "shake" run per take.
        let lines = try String(contentsOfFile: Self.fixture, encoding: .utf8).components(separatedBy: "\r\n")
        var kept: [String] = Array(lines.prefix(2))
        var row = 0
        for line in lines.dropFirst(2) where !line.isEmpty {
            let t = row % 40, take = row / 40
            if t < 20 + 20 - (take % 4) * 3 { kept.append(line) }
            row += 1
        }
        let csv = dir + "/varied.csv"
        try kept.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let s = settings(out: dir + "/v.rnnz", csv: [csv]) { $0.segments = true }
        let data = try FramesTrainTask.makeData(s)
        #expect(Set(data.split.train.lengths).count > 1)
        let report = try TaskRunner(settings: s, progress: Progress(quiet: true)).run()
        #expect(report.int8.classification?.total == data.split.test.count)
        // Stepping a whole segment then ending it equals the exporter's evaluation.
        let model = try Model(file: try ModelFile.load(s.out))
        let session = try model.makeFrameSession()
        var streamed: [Float] = []
        for k in 0..<data.split.test.count {
            let frames = data.split.test.frames(of: k)
            for t in 0..<data.split.test.lengths[k] {
                let start = frames.startIndex + t * 2
                #expect(try session.step(Array(frames[start..<(start + 2)])) == nil)
            }
            streamed.append(contentsOf: try #require(try session.endSegment()).outputs)
        }
        #expect(try session.endSegment() == nil)
        #expect(streamed == (try FramesTrainTask.runtimeOutputs(model, set: data.split.test)))
    }

    @Test("a regressor: targets at each window's last row, MSE and MAE")
    func regressor() throws {
        let dir = temporaryDirectory()
        let s = settings(out: dir + "/r.rnnz") {
            $0.labelColumn = nil
            $0.targetColumns = ["y"]
            $0.columns = ["x, raw"]
        }
        let report = try TaskRunner(settings: s, progress: Progress(quiet: true)).run()
        #expect(report.metricName == "mse" && report.int8.detail?.hasPrefix("mae ") == true)
        let data = try FramesTrainTask.makeData(s)
        // Windows of a regressor cover whole sequences (no label runs): starts 0, 5, …, 30 per take.
        #expect(data.split.test.count == 2 * 7)
        var o = options(label: nil)
        o.targetColumns = ["y"]
        o.columns = ["x, raw"]
        let c1 = try FrameCSV.load([Self.fixture], options: o).sequences[4]
        // The first test window (subject c, take 1) ends at row 9: its target is y there, its input x.
        #expect(data.split.test.targets[0] == c1.targets[9] && data.split.test.targets[1] == c1.targets[14])
        #expect(Array(data.split.test.frames(of: 0)) == Array(c1.values[0..<10]))
        let file = try ModelFile.load(s.out)
        #expect(try file.uint32("recur.output.size") == 1 && file.strings("recur.output.names") == ["y"])
    }

    @Test("--class-weights and --augment-*: the weights reach the training loss; wrong uses are refused by name, nothing written")
    func classWeightsAndAugmentation() throws {
        let dir = temporaryDirectory()
        let weighted = settings(out: dir + "/cw.rnnz") { $0.classWeights = "still=3" }
        let data = try FramesTrainTask.makeData(weighted)
        #expect(data.classNames == ["shake", "still"] && data.classWeights == [1, 3])
        #expect(FramesTrainTask.summary(of: data, settings: weighted).contains("class weights (training loss): shake 1.000, still 3.000"))
        let plain = try TaskRunner(settings: settings(out: dir + "/p.rnnz"), progress: Progress(quiet: true)).run()
        let report = try TaskRunner(settings: weighted, progress: Progress(quiet: true)).run()
        #expect(report.history.map(\.trainLoss) != plain.history.map(\.trainLoss))
        refuses(settings(out: dir + "/a.rnnz") { $0.augmentRotation = 10 }, ["need xyz channels", "x, raw, y"])
        refuses(settings(out: dir + "/b.rnnz") { $0.classWeights = "walk=2" }, ["no class \"walk\"", "shake, still"])
        refuses(settings(out: dir + "/c.rnnz") { $0.augmentScale = 1.5 }, ["--augment-scale must be in [0, 1)"])
    }

    /// Runs `settings` expecting a failure whose message contains every needle, and no file.
    func refuses(_ s: TrainSettings, _ needles: [String]) {
        do {
            _ = try TaskRunner(settings: s, progress: Progress(quiet: true)).run()
            Issue.record("no error; expected \(needles)")
        } catch {
            let message = "\(error)"
            for needle in needles { #expect(message.contains(needle), "\(message) lacks \(needle)") }
        }
        #expect(!FileManager.default.fileExists(atPath: s.out), "\(s.out) was written")
        #expect(!FileManager.default.fileExists(atPath: s.f32Path), "\(s.f32Path) was written")
    }

    func damaged(_ dir: String, _ name: String, _ edit: (inout [String]) -> Void) throws -> String {
        var lines = try String(contentsOfFile: Self.fixture, encoding: .utf8).components(separatedBy: "\r\n")
        edit(&lines)
        let path = dir + "/" + name
        try lines.joined(separator: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("bad input: file, line and column named, nothing written")
    func refusals() throws {
        let dir = temporaryDirectory()
        let out = dir + "/never.rnnz"
        refuses(settings(out: out) { $0.labelColumn = "activity" },
                ["imu.csv:2:", "--label-column: no column \"activity\"", "columns: subject, take, x, raw, y, label"])
        let text = try damaged(dir, "text.csv") { $0[9] = "a,1,0.01,abc,still" }
        refuses(settings(out: out, csv: [text]), ["text.csv:10: column \"y\": \"abc\" is not a finite number"])
        let nan = try damaged(dir, "nan.csv") { $0[4] = "a,1,nan,0.1,still" }
        refuses(settings(out: out, csv: [nan]), ["nan.csv:5: column \"x, raw\": \"nan\" is not a finite number"])
        let short = try damaged(dir, "short.csv") { $0[6] = "a,1,0.01,still" }
        refuses(settings(out: out, csv: [short]), ["short.csv:7: 4 fields, the header has 5"])
        let oneClass = try damaged(dir, "one.csv") { lines in lines = lines.map { $0.replacingOccurrences(of: "shake", with: "still") } }
        refuses(settings(out: out, csv: [oneClass]), ["--label-column label: one class only (\"still\")"])
        refuses(settings(out: out) { $0.window = 21; $0.hop = 5 }, ["--window 21 is longer than every labelled run (the longest has 20 rows)"])
        refuses(settings(out: out) { $0.testGroups = ["z"] }, ["--test-groups: no group \"z\" in the data (groups: a, b, c, d, e)"])
        let empty = dir + "/empty.csv"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        refuses(settings(out: out, csv: [empty]), ["empty.csv: empty (no header line)"])
        let header = dir + "/header.csv"
        try "subject,take,x,y,label\n# nothing else\n".write(toFile: header, atomically: true, encoding: .utf8)
        refuses(settings(out: out, csv: [header]), ["header.csv: no data rows after the header (line 1)"])
        let quote = try damaged(dir, "quote.csv") { $0[20] = "a,1,\"0.01,0.2,still" }
        refuses(settings(out: out, csv: [quote]), ["quote.csv:21: a quoted field is not closed before the end of the file"])
        refuses(settings(out: out, csv: [dir + "/missing.csv"]), ["missing.csv: cannot read the file"])
    }

    @Test("a line without end (/dev/zero, endless) is refused after the record limit: bounded memory")
    func endlessLine() throws {
        var o = options()
        o.maxRecordBytes = 4096
        #expect(throws: FrameDataError("/dev/zero:1: record longer than 4096 bytes (a missing line break or quote?)")) {
            _ = try FrameCSV.load(["/dev/zero"], options: o)
        }
        // The default limit (1 MiB) holds for the same endless input.
        #expect(throws: FrameDataError("/dev/zero:1: record longer than 1048576 bytes (a missing line break or quote?)")) {
            _ = try FrameCSV.load(["/dev/zero"], options: options())
        }
    }
}
