import Foundation
import Testing

/// `recur train babi` and `recur eval` on a memory network, end to end on the committed bAbI
/// fixture: eval's per-task figures are the ones training printed for the same files, and eval
/// refuses what it cannot score by name.
@Suite(.serialized) struct BabiCLITests {
    static let fixtures: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TrainerTests/Fixtures/babi").path

    func recur(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try RecurCommandTests().recur(arguments)
        return (run.status, run.output)
    }

    /// The figures of training's `  task 1: trainer f32 | runtime int8 | runtime f32` line.
    func trainedFigures(_ output: String) -> [String] {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("  task 1: ") }) else { return [] }
        return line.dropFirst("  task 1: ".count).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The percentage of eval's `task 1 …` line.
    func evaluatedFigure(_ output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("task 1 ") }) else { return nil }
        return line.split(separator: " ").first { $0.hasSuffix("%") }.map(String.init)
    }

    @Test("recur eval of a memory network gives the runtime figures training printed, int8 and f32")
    func evalMatchesTraining() throws {
        let dir = try TemporaryDirectory()
        let model = dir.path("qa1.rnnz")
        let train = try recur(["train", "babi", "--data", Self.fixtures, "--task", "1", "--dim", "8", "--epochs", "4",
                               "-o", model, "--f32"])
        #expect(train.status == 0, "\(train.output)")
        let figures = trainedFigures(train.output)
        try #require(figures.count == 3, "no task 1 line with three figures in:\n\(train.output)")

        let int8 = try recur(["eval", model, "--data", Self.fixtures])
        #expect(int8.status == 0, "\(int8.output)")
        #expect(int8.output.contains("self-tests"))
        #expect(int8.output.contains("int8, through the Runtime"))
        #expect(evaluatedFigure(int8.output) == figures[1], "\(int8.output)")
        let questions = try String(contentsOfFile: Self.fixtures + "/qa1_tiny_test.txt", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("?") }.count
        #expect(questions > 0)
        #expect(int8.output.contains("/\(questions))"), "\(int8.output)")

        let f32 = try recur(["eval", dir.path("qa1.f32.rnnz"), "--data", Self.fixtures])
        #expect(f32.status == 0, "\(f32.output)")
        #expect(f32.output.contains("f32, through the Runtime"))
        #expect(evaluatedFigure(f32.output) == figures[2], "\(f32.output)")
    }

    @Test("recur eval of a memory network: no --data, a folder without the task's files, or seq2seq options are refused by name")
    func evalRefusals() throws {
        let dir = try TemporaryDirectory()
        let model = dir.path("qa1.rnnz")
        let train = try recur(["train", "babi", "--data", Self.fixtures, "--task", "1", "--dim", "4", "--epochs", "1", "-o", model])
        #expect(train.status == 0, "\(train.output)")

        let noData = try recur(["eval", model])
        #expect(noData.status != 0)
        #expect(noData.output.contains("memory network") && noData.output.contains("--data"), "\(noData.output)")

        let empty = dir.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let missing = try recur(["eval", model, "--data", empty])
        #expect(missing.status != 0)
        #expect(missing.output.contains("qa1_") && missing.output.contains(empty), "\(missing.output)")

        let beam = try recur(["eval", model, "--data", Self.fixtures, "--beam", "3"])
        #expect(beam.status != 0)
        #expect(beam.output.contains("--data <bAbI en folder>"), "\(beam.output)")
    }
}
