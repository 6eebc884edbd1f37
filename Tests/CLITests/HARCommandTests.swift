import Foundation
import Testing

/// `recur har score` end to end through stdin, and the issue's spellings `recur train har …` and
/// `recur eval MODEL --data …` reaching the `recur har` commands.
@Suite struct HARCommandTests {
    static let modelPath: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/har.rnnz").path

    @Test("har score echoes every stdin line, then scores: 127 WALKING right, 255 SITTING wrong, 320 past the labels → 50.00%")
    func scoreThroughStdin() throws {
        let scratch = try TemporaryDirectory()
        let recording = scratch.path("r.txt"), labels = scratch.path("l.txt")
        try (0..<400).map { _ in "0 0 1 0 0 0" }.joined(separator: "\n").write(toFile: recording, atomically: true, encoding: .utf8)
        try "1 300 1\n".write(toFile: labels, atomically: true, encoding: .utf8)   // samples 0…299 WALKING
        let input = "127 WALKING 0.9000\n255 SITTING 0.8000\n320 WALKING 0.7000\n"
        let (status, output) = try run(["har", "score", "--recording", recording, "--labels", labels], stdin: input)
        #expect(status == 0)
        #expect(output == input + "accuracy 50.00% (1 of 2 windows inside a labelled 6-class segment; 3 windows in all)\n")

        let (badStatus, badOutput) = try run(["har", "score", "--recording", recording, "--labels", labels], stdin: "127 JOGGING 0.9\n")
        #expect(badStatus != 0)
        #expect(badOutput.contains("<stdin>:1: \"127 JOGGING 0.9\": JOGGING is not a HAPT activity name"))
    }

    @Test("`recur train har` and `recur har train` are one command; `recur eval MODEL --data DIR` is `recur har eval`")
    func issueSpellings() throws {
        let (status, help) = try run(["train", "har", "--help"])
        #expect(status == 0)
        #expect(help.contains("USAGE: recur train har") && help.contains("--transitions"))
        let (aliasStatus, alias) = try run(["har", "train", "--help"])
        #expect(aliasStatus == 0 && alias.contains("USAGE: recur har train") && alias.contains("--transitions"))
        let (evalStatus, eval) = try run(["eval", Self.modelPath, "--data", "/nonexistent-hapt"])
        #expect(evalStatus != 0)
        #expect(eval.contains("/nonexistent-hapt: neither HAPT (RawData/labels.txt) nor UCI HAR"))
        // Without --data, eval stays the built-in tasks' command.
        let (plainStatus, plain) = try run(["eval", "--help"])
        #expect(plainStatus == 0 && plain.contains("USAGE: recur eval <models> ..."))
    }

    @Test("`recur har train --cell` takes the names `recur train` takes (rnn = rnn_tanh) and lists them when refusing one")
    func cellNames() throws {
        for cell in ["lstm", "gru", "rnn", "rnn_tanh", "rnn_relu"] {
            let (status, output) = try run(["har", "train", "--data", "/nonexistent-hapt", "--cell", cell])
            #expect(status != 0)
            #expect(output.contains("/nonexistent-hapt") && !output.contains("--cell"), "--cell \(cell): \(output)")
        }
        let (status, output) = try run(["har", "train", "--data", "/nonexistent-hapt", "--cell", "elman"])
        #expect(status != 0)
        #expect(output.contains("--cell must be lstm, gru, rnn (= rnn_tanh), rnn_tanh or rnn_relu, got elman"), "\(output)")
        let (dropoutStatus, dropout) = try run(["har", "train", "--data", "/nonexistent-hapt", "--dropout", "1"])
        #expect(dropoutStatus != 0 && dropout.contains("--dropout must be in [0, 1), got 1.0"), "\(dropout)")
        let (scheduleStatus, schedule) = try run(["har", "train", "--data", "/nonexistent-hapt", "--schedule", "step"])
        #expect(scheduleStatus != 0 && schedule.contains("--schedule must be constant or cosine, got step"), "\(schedule)")
        let (acceptedStatus, accepted) = try run(["har", "train", "--data", "/nonexistent-hapt", "--dropout", "0.3", "--schedule", "cosine"])
        #expect(acceptedStatus != 0 && accepted.contains("/nonexistent-hapt") && !accepted.contains("--dropout") && !accepted.contains("--schedule"), "\(accepted)")
    }

    /// Runs `recur` with `arguments` and `stdin`; stdout and stderr together.
    func run(_ arguments: [String], stdin: String = "") throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RecurCommandTests.binary)
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
