import Foundation
import Testing

/// `recur train … --report DIR` for each kind of task (regressor, HAR classifier, seq2seq) and
/// `recur eval` of seq2seq files, end to end through the binary: the files are written, their
/// figures are the ones the run printed, and `recur eval` prints what `recur train` printed.
@Suite(.serialized) struct ReportCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TrainerTests/Fixtures")
    static let hapt = fixtures.appendingPathComponent("har/hapt/HAPT Data Set").path
    static let pairs = fixtures.appendingPathComponent("seq2seq/pairs.tsv").path

    func recur(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try RecurCommandTests().recur(arguments)
        return (run.status, run.output)
    }

    func json(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path), "\(path) missing")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The line of `output` that starts with `prefix`, without it and trimmed.
    func line(_ output: String, _ prefix: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(prefix) }
            .map { String($0.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) }
    }

    @Test("recur train sine --report: history.csv has a row per epoch; metrics.json holds the printed test MSEs; the page has both curves")
    func regressor() throws {
        let dir = try TemporaryDirectory()
        let run = try recur(["train", "sine", "--epochs", "3", "--train-count", "200", "--quiet", "-o", dir.path("sine.rnnz"),
                             "--report", dir.path("report")])
        #expect(run.status == 0, "\(run.output)")
        let csv = try String(contentsOfFile: dir.path("report/history.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.count == 4 && rows[0].hasPrefix("epoch,train_loss,validation_loss"), "\(csv)")
        #expect(rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).first } == ["1", "2", "3"])
        let metrics = try json(dir.path("report/metrics.json"))
        #expect(metrics["task"] as? String == "sine" && metrics["kind"] as? String == "regressor")
        let figure = try #require((metrics["figures"] as? [[String: Any]])?.first)
        #expect(figure["name"] as? String == "mse")
        // Printed with four decimals: the stored figures round to the printed ones.
        for (key, label) in [("trainer_f32", "test mse, trainer f32:"), ("runtime_f32", "test mse, runtime f32:"),
                             ("runtime_int8", "test mse, runtime int8:")] {
            let value = try #require(figure[key] as? Double, "\(key)")
            #expect(String(format: "%.4f", value) == line(run.output, label), "\(key) \(value) vs \(run.output)")
        }
        #expect((metrics["quantization"] as? [[String: Any]])?.isEmpty == false)
        let html = try String(contentsOfFile: dir.path("report/report.html"), encoding: .utf8)
        #expect(html.contains("stroke=\"#1f77b4\"") && html.contains("stroke=\"#ff7f0e\"") && html.contains("<polyline"))
    }

    @Test("recur train har --report: the int8 file's confusion matrix over the test windows, with the class names")
    func harClassifier() throws {
        let dir = try TemporaryDirectory()
        let run = try recur(["train", "har", "--data", Self.hapt, "--epochs", "2", "--hidden", "8", "--batch", "4", "--quiet",
                             "-o", dir.path("har.rnnz"), "--report", dir.path("report")])
        #expect(run.status == 0, "\(run.output)")
        let metrics = try json(dir.path("report/metrics.json"))
        #expect(metrics["kind"] as? String == "classifier")
        let confusion = try #require(metrics["confusion"] as? [String: Any])
        let labels = try #require(confusion["labels"] as? [String])
        let counts = try #require(confusion["counts"] as? [[Int]])
        #expect(labels.count == 6 && labels.contains("WALKING") && counts.count == 6 && counts.allSatisfy { $0.count == 6 })
        // The fixture has three test windows; the printed int8 accuracy is the matrix's diagonal.
        #expect(counts.joined().reduce(0, +) == 3)
        let correct = (0..<6).reduce(0) { $0 + counts[$1][$1] }
        #expect(run.output.contains("test, runtime int8: accuracy \(String(format: "%.2f", Double(correct) / 3 * 100))% (\(correct)/3)"),
                "\(run.output)")
        let figures = try #require(metrics["figures"] as? [[String: Any]])
        #expect(figures.map { $0["name"] as? String } == ["accuracy", "macro F1"])
        #expect(figures[0]["runtime_int8"] as? Double == Double(correct) / 3)
        let html = try String(contentsOfFile: dir.path("report/report.html"), encoding: .utf8)
        #expect(html.contains("class=\"heatmap\"") && html.contains(">WALKING</text>"))
        #expect((try json(dir.path("report/metrics.json"))["history"] as? [Any])?.count == 2)
    }

    @Test("recur eval of an addition file prints the runtime scores recur train printed (greedy and --beam); the report agrees")
    func additionEval() throws {
        let dir = try TemporaryDirectory()
        let train = try recur(["train", "addition", "--digits", "1", "--epochs", "15", "--hidden", "24", "--embedding", "8",
                               "--batch", "8", "--lr", "0.01", "--beam", "3", "--quiet", "-o", dir.path("add.rnnz"), "--f32",
                               "--report", dir.path("report")])
        #expect(train.status == 0, "\(train.output)")
        func score(_ output: String, _ label: String) -> String? {
            line(output, label).map { String($0.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces) }
        }
        let eval = try recur(["eval", dir.path("add.rnnz"), "--beam", "3"])
        #expect(eval.status == 0, "\(eval.output)")
        #expect(eval.output.contains("self-tests   3 case(s)"))
        for label in ["test, runtime int8, greedy:", "test, runtime int8, beam 3:"] {
            #expect(score(eval.output, label) != nil && score(eval.output, label) == score(train.output, label),
                    "\(label)\n\(train.output)\n\(eval.output)")
        }
        let f32 = try recur(["eval", dir.path("add.f32.rnnz")])
        #expect(score(f32.output, "test, runtime f32, greedy:") == score(train.output, "test, runtime f32, greedy:"), "\(f32.output)")
        #expect(line(f32.output, "test, runtime f32, beam") == nil, "greedy only without --beam")
        // metrics.json: exact match greedy and beam 3, as fractions, equal to the printed percentages.
        let figures = try #require(try json(dir.path("report/metrics.json"))["figures"] as? [[String: Any]])
        #expect(figures.map { $0["name"] as? String } == ["exact match, greedy", "exact match, beam 3"])
        let int8 = try #require(figures[0]["runtime_int8"] as? Double)
        #expect(score(train.output, "test, runtime int8, greedy:") == "exact match " + String(format: "%.2f%%", 100 * int8))
        // Options that do not apply are refused by name.
        let pairs = try recur(["eval", dir.path("add.rnnz"), "--pairs", Self.pairs])
        #expect(pairs.status != 0 && pairs.output.contains("--pairs applies to translate models"), "\(pairs.output)")
    }

    @Test("recur eval of a translate file needs --pairs; the training file reproduces the BLEU; another file is refused")
    func translateEval() throws {
        let dir = try TemporaryDirectory()
        let train = try recur(["train", "translate", "--pairs", Self.pairs, "--test-count", "10", "--validation-count", "10",
                               "--min-count", "1", "--epochs", "3", "--hidden", "16", "--embedding", "8", "--batch", "8",
                               "--beam", "1", "--quiet", "-o", dir.path("tr.rnnz"), "--report", dir.path("report")])
        #expect(train.status == 0, "\(train.output)")
        let label = "test, runtime int8, greedy:"
        let printed = try #require(line(train.output, label)?.components(separatedBy: "  (").first, "\(train.output)")
        #expect(printed.contains("BLEU"))
        let eval = try recur(["eval", dir.path("tr.rnnz"), "--pairs", Self.pairs])
        #expect(eval.status == 0 && line(eval.output, label)?.components(separatedBy: "  (").first == printed, "\(eval.output)")

        let missing = try recur(["eval", dir.path("tr.rnnz")])
        #expect(missing.status != 0 && missing.output.contains("needs --pairs FILE") && missing.output.contains("pairs.tsv"),
                "\(missing.output)")
        // The same pairs with a new word on every Spanish side: the same split, another target vocabulary.
        let other = try String(contentsOfFile: Self.pairs, encoding: .utf8).replacingOccurrences(of: "\t", with: "\tzzzunseen ")
        try other.write(toFile: dir.path("other.tsv"), atomically: true, encoding: .utf8)
        let refused = try recur(["eval", dir.path("tr.rnnz"), "--pairs", dir.path("other.tsv")])
        #expect(refused.status != 0 && refused.output.contains("gives a different target vocabulary from the model's recur.target.vocab"),
                "\(refused.output)")
    }

    @Test("--report under a regular file fails before training and writes no model")
    func badReportDirectory() throws {
        let dir = try TemporaryDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.path("file")))
        let run = try recur(["train", "sine", "--epochs", "1", "--quiet", "-o", dir.path("sine.rnnz"),
                             "--report", dir.path("file/report")])
        #expect(run.status != 0 && run.output.contains("--report \(dir.path("file/report"))"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("sine.rnnz")))
    }
}
