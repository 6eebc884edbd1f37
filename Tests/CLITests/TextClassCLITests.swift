import Foundation
import Testing

/// `recur train textclass` end to end on a generated fixture (seconds): the run's printed scores
/// against `recur-run` on the exported file, `recur eval` on it, and the refusal of bad data.
@Suite(.serialized) struct TextClassCLITests {
    /// Lines of three classes: filler characters plus a two-character class marker; `text<TAB>class-id`.
    static func lines(seed: UInt64, perClass: Int) -> [(text: String, label: Int)] {
        var state = seed
        func next(_ n: Int) -> Int {
            // SplitMix64: a seeded stream without the test-support target.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        let filler = Array("的一是在不了有和人这中大")
        let markers = [["股市", "基金"], ["球赛", "冠军"], ["游戏", "玩家"]]
        return (0..<(3 * perClass)).map { k in
            var text = (0..<(3 + next(6))).map { _ in filler[next(filler.count)] }
            text.insert(contentsOf: markers[k % 3][next(2)], at: next(text.count + 1))
            return (String(text), k % 3)
        }
    }

    static func write(_ lines: [(text: String, label: Int)], to path: String) throws {
        try Data(lines.map { "\($0.text)\t\($0.label)\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("train → export → recur-run: recur-run's answers on the test file score what the run printed for int8")
    func trainAndRun() throws {
        let dir = try TemporaryDirectory()
        let test = Self.lines(seed: 2, perClass: 10)
        try Self.write(Self.lines(seed: 1, perClass: 40), to: dir.path("train.tsv"))
        try Self.write(test, to: dir.path("test.tsv"))
        try Data("finance\nsports\ngame\n".utf8).write(to: URL(fileURLWithPath: dir.path("class.txt")))
        let run = try RecurCommandTests().recur([
            "train", "textclass", "--data", dir.path("train.tsv"), "--data-test", dir.path("test.tsv"),
            "--label-names", dir.path("class.txt"), "--tokens", "char", "--min-count", "1", "--bidirectional",
            "--pool", "max", "--hidden", "12", "--embedding", "12", "--epochs", "12", "--batch", "8", "--lr", "0.02",
            "--threads", "1", "--quiet", "--report", dir.path("report"), "-o", dir.path("news.rnnz")])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("data: \(dir.path("train.tsv")) 120 lines → train 108, validation 12"), "\(run.output)")
        // "test, runtime int8: accuracy 96.67% (29/30), macro F1 …"
        guard let line = run.output.split(separator: "\n").first(where: { $0.hasPrefix("test, runtime int8: accuracy") }),
              let open = line.firstIndex(of: "("), let slash = line.firstIndex(of: "/"),
              let printed = Int(line[line.index(after: open)..<slash]) else {
            Issue.record("no int8 accuracy line in \(run.output)")
            return
        }
        let outcome = try RecurRunProcess.run([dir.path("news.rnnz")], stdin: Array(test.map { $0.text + "\n" }.joined().utf8))
        #expect(outcome.status == 0, "\(outcome.err)")
        let answers = outcome.outLines
        #expect(answers.count == test.count)
        let names = ["finance", "sports", "game"]
        var correct = 0
        for (answer, example) in zip(answers, test) {
            let fields = answer.split(separator: " ")
            #expect(fields.count == 2 && names.contains(String(fields[0])) && Double(fields[1]) != nil, "\(answer)")
            if fields.first.map(String.init) == names[example.label] { correct += 1 }
        }
        #expect(correct == printed, "recur-run \(correct)/30, the run printed \(printed)/30")
        #expect(printed >= 24, "the markers are easy: \(line)")
        // metrics.json carries the confusion matrix and macro F1.
        let metrics = try String(contentsOfFile: dir.path("report/metrics.json"), encoding: .utf8)
        #expect(metrics.contains("\"confusion\"") && metrics.contains("macro F1"))
        // recur eval rebuilds the test part and prints the same int8 figure.
        let eval = try RecurCommandTests().recur(["eval", dir.path("news.rnnz")])
        #expect(eval.status == 0, "\(eval.output)")
        #expect(eval.output.contains("accuracy \(line.split(separator: "accuracy ")[1].prefix { $0 != "%" })%"), "\(eval.output)")
    }

    @Test("bad data: every malformed line named with file:line, exit status not 0, no model written")
    func malformedData() throws {
        let dir = try TemporaryDirectory()
        try Data("好的标题\t0\n没有标签\n\t1\n另一个\t1\n".utf8).write(to: URL(fileURLWithPath: dir.path("bad.tsv")))
        let run = try RecurCommandTests().recur(["train", "textclass", "--data", dir.path("bad.tsv"), "--quiet",
                                                "-o", dir.path("m.rnnz")])
        #expect(run.status != 0)
        #expect(run.output.contains("\(dir.path("bad.tsv")):2: 1 field(s)"), "\(run.output)")
        #expect(run.output.contains("\(dir.path("bad.tsv")):3: empty text"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("m.rnnz")))
        let pool = try RecurCommandTests().recur(["train", "textclass", "--data", dir.path("bad.tsv"), "--pool", "median"])
        #expect(pool.status != 0 && pool.output.contains("--pool must be last, mean or max"), "\(pool.output)")
    }
}
