import Foundation
import Testing

/// `recur train addition|translate` end to end: tiny runs that finish in seconds, the files they
/// write, the printed scores against the written outputs and against recur-run on the exported
/// file, and the refusals of bad options.
@Suite(.serialized) struct Seq2SeqTaskCLITests {
    static let pairsFile: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TrainerTests/Fixtures/seq2seq/pairs.tsv").path
    }()

    /// Runs `recur` with `arguments` to completion (RecurCommandTests' runner); stdout and stderr together.
    func recur(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try RecurCommandTests().recur(arguments)
        return (run.status, run.output)
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    /// The percentage after `label … exact match ` in the run's output.
    func printedExactMatch(_ output: String, _ label: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(label) }),
              let range = line.range(of: "exact match ") else { return nil }
        return Double(line[range.upperBound...].prefix { $0 != "%" })
    }

    @Test("recur train addition --digits 1 trains, exports int8 and f32, and prints scores that match its outputs")
    func additionOneDigit() throws {
        let dir = try TemporaryDirectory()
        let run = try recur(["train", "addition", "--digits", "1", "--epochs", "40", "--hidden", "32", "--embedding", "16",
                             "--batch", "8", "--lr", "0.01", "--beam", "3", "--quiet", "-o", dir.path("add.rnnz"), "--f32",
                             "--outputs", dir.path("out")])
        #expect(run.status == 0, "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: dir.path("add.rnnz")))
        #expect(FileManager.default.fileExists(atPath: dir.path("add.f32.rnnz")))
        let references = try lines(dir.path("out/test.reference.txt"))
        let greedy = try lines(dir.path("out/test.greedy.txt"))
        let beam = try lines(dir.path("out/test.beam.txt"))
        let sources = try lines(dir.path("out/test.source.txt"))
        #expect(references.count == 10 && greedy.count == 10 && beam.count == 10 && sources.count == 10)
        // Each reference is the sum of its question ("3 + 4" → "7").
        for (source, reference) in zip(sources, references) {
            let operands = source.replacingOccurrences(of: " ", with: "").split(separator: "+").compactMap { Int($0) }
            #expect(operands.count == 2 && reference == String(operands[0] + operands[1]), "\(source) → \(reference)")
        }
        // The printed exact match is the one the written hypotheses give.
        let correct = zip(greedy, references).filter { $0 == $1 }.count
        #expect(printedExactMatch(run.output, "greedy:") == Double(correct) * 10, "\(run.output)")
        let beamCorrect = zip(beam, references).filter { $0 == $1 }.count
        #expect(printedExactMatch(run.output, "beam 3:") == Double(beamCorrect) * 10, "\(run.output)")
        // The Runtime decoded the exported files (int8 and f32) and printed its own scores.
        #expect(printedExactMatch(run.output, "runtime int8, greedy:") != nil, "\(run.output)")
        #expect(printedExactMatch(run.output, "runtime f32, beam 3:") != nil, "\(run.output)")
        // recur-run on the int8 file answers the test questions as the Runtime did inside the run:
        // its printed exact match is the share of recur-run's answers that are right.
        let questions = sources.map { $0.replacingOccurrences(of: " ", with: "") }
        let board = try RecurRunProcess.run([dir.path("add.rnnz")], stdin: Array(questions.map { $0 + "\n" }.joined().utf8))
        #expect(board.status == 0, "\(board.err)")
        let answers = board.outLines
        #expect(answers.count == 10)
        let boardCorrect = zip(answers, references).filter { $0 == $1 }.count
        #expect(printedExactMatch(run.output, "runtime int8, greedy:") == Double(boardCorrect) * 10, "\(answers)")
        // recur bleu reads the same files.
        let bleu = try recur(["bleu", dir.path("out/test.greedy.txt"), dir.path("out/test.reference.txt")])
        #expect(bleu.status == 0 && bleu.output.hasPrefix("BLEU "))
    }

    @Test("recur train translate on the 192-pair fixture: word tokens, outputs one line per test pair")
    func translateFixture() throws {
        let dir = try TemporaryDirectory()
        let run = try recur(["train", "translate", "--pairs", Self.pairsFile, "--test-count", "30", "--validation-count", "20",
                             "--min-count", "1", "--epochs", "2", "--hidden", "16", "--embedding", "8", "--batch", "16",
                             "--beam", "2", "--quiet", "-o", dir.path("t.rnnz"), "--outputs", dir.path("out")])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("BLEU"))
        let references = try lines(dir.path("out/test.reference.txt"))
        let greedy = try lines(dir.path("out/test.greedy.txt"))
        #expect(references.count >= 30 && references.count == greedy.count)
        #expect(references.allSatisfy { $0 == $0.lowercased() && !$0.isEmpty })
    }

    @Test("help texts: train-seq2seq and bleu have examples; recur train points to addition and translate")
    func help() throws {
        for command in [["train-seq2seq"], ["bleu"]] {
            let run = try recur(command + ["--help"])
            #expect(run.status == 0 && run.output.contains("Examples:"), "\(command): \(run.output)")
        }
        // addition and translate are real subcommands of `recur train`, listed in its help.
        let train = try recur(["train", "--help"])
        let subcommands = try #require(train.output.range(of: "SUBCOMMANDS:"))
        for task in ["addition", "translate"] {
            #expect(train.output[subcommands.upperBound...].contains("  \(task) "), "\(train.output)")
            let help = try recur(["train", task, "--help"])
            #expect(help.status == 0 && help.output.contains("USAGE: recur train \(task)"), "\(help.output)")
        }
    }

    @Test("recur bleu refuses files of different lengths")
    func bleuMismatch() throws {
        let dir = try TemporaryDirectory()
        try "a b c d\ne f\n".write(toFile: dir.path("h.txt"), atomically: true, encoding: .utf8)
        try "a b c d\n".write(toFile: dir.path("r.txt"), atomically: true, encoding: .utf8)
        let run = try recur(["bleu", dir.path("h.txt"), dir.path("r.txt")])
        #expect(run.status != 0 && run.output.contains("has 2 lines but"), "\(run.output)")
        let same = try recur(["bleu", dir.path("r.txt"), dir.path("r.txt")])
        #expect(same.status == 0 && same.output.hasPrefix("BLEU 100.0000"), "\(same.output)")
    }

    @Test("bad seq2seq options are refused by name")
    func refusals() throws {
        let noPairs = try recur(["train", "translate"])
        #expect(noPairs.status != 0 && noPairs.output.contains("--pairs"), "\(noPairs.output)")
        let digits = try recur(["train", "addition", "--digits", "0"])
        #expect(digits.status != 0 && digits.output.contains("--digits"), "\(digits.output)")
        let attention = try recur(["train", "addition", "--attention", "psychic"])
        #expect(attention.status != 0 && attention.output.contains("--attention"), "\(attention.output)")
        let missing = try recur(["train", "translate", "--pairs", "/nonexistent/pairs.tsv", "--epochs", "1"])
        #expect(missing.status != 0 && missing.output.contains("/nonexistent/pairs.tsv"), "\(missing.output)")
        let tokens = try recur(["train", "translate", "--pairs", Self.pairsFile, "--tokens", "bytes"])
        #expect(tokens.status != 0 && tokens.output.contains("--tokens"), "\(tokens.output)")
    }
}
