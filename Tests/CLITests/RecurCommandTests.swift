import Foundation
import Testing

/// The `recur` executable end to end: help texts, refusals, and a run killed mid-training that
/// `--resume` finishes with the same model bytes as a run never interrupted.
@Suite(.serialized) struct RecurCommandTests {
    /// `recur` is built next to the test bundle (`swift build` / `swift test` build every product).
    static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var dir = bundle
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("recur").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return bundle.appendingPathComponent("recur").path
    }

    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs `recur` with `arguments` to completion; stdout and stderr together.
    func recur(_ arguments: [String]) throws -> Run {
        let process = try start(arguments)
        process.waitUntilExit()
        let data = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    func start(_ arguments: [String]) throws -> Process {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "recur not built at \(Self.binary)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return process
    }

    func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "recur-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func everySubcommandHasHelpWithExamples() throws {
        for command in [[], ["train"], ["eval"], ["inspect"], ["quantize"]] {
            let run = try recur(command + ["--help"])
            #expect(run.status == 0, "\(command)")
            #expect(run.output.contains("Examples:"), "\(command) --help has no examples")
        }
    }

    @Test func badArgumentsAreRefusedByName() throws {
        let task = try recur(["train", "juggling"])
        #expect(task.status != 0 && task.output.contains("Unexpected argument 'juggling'"))
        let hidden = try recur(["train", "sine", "--hidden", "0"])
        #expect(hidden.status != 0 && hidden.output.contains("--hidden must be at least 1"))
        let charlm = try recur(["train", "charlm"])
        #expect(charlm.status != 0 && charlm.output.contains("charlm needs --text"))
        let outDir = try recur(["train", "sine", "-o", "/nonexistent/dir/m.rnnz"])
        #expect(outDir.status != 0 && outDir.output.contains("the directory /nonexistent/dir does not exist"))
        let missing = try recur(["inspect", "/nonexistent/m.rnnz"])
        #expect(missing.status != 0 && missing.output.contains("cannot read /nonexistent/m.rnnz"))
    }

    /// Kills the process (SIGKILL) once the first checkpoint is on disk, resumes, and compares the
    /// int8 model with the one of an uninterrupted run.
    @Test func killedRunResumesToTheSameBytes() throws {
        let dir = temporaryDirectory()
        let common = ["train", "adding", "--length", "10", "--train-count", "200", "--hidden", "8", "--epochs", "4",
                      "--batch", "20", "--threads", "1", "--quiet"]
        let whole = try recur(common + ["-o", dir + "/whole.rnnz"])
        #expect(whole.status == 0, "\(whole.output)")

        let checkpoint = dir + "/ckpt"
        let killed = try start(common + ["-o", dir + "/resumed.rnnz", "--checkpoint", checkpoint])
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint + "/checkpoint.json") && Date() < deadline && killed.isRunning {
            usleep(20_000)
        }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal, "the run finished before it could be interrupted")
        #expect(!FileManager.default.fileExists(atPath: dir + "/resumed.rnnz"))

        let resumed = try recur(common + ["-o", dir + "/resumed.rnnz", "--checkpoint", checkpoint, "--resume"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("resumed after epoch"))
        let same = FileManager.default.contents(atPath: dir + "/whole.rnnz") == FileManager.default.contents(atPath: dir + "/resumed.rnnz")
        #expect(same, "the resumed model differs from the uninterrupted one")
    }

    /// train → eval → quantize → inspect on one small model: `eval` reproduces the int8 score that
    /// `train` printed, and quantizing the f32 twin gives the int8 file byte for byte.
    @Test func trainEvalQuantizeInspect() throws {
        let dir = temporaryDirectory()
        let model = dir + "/sine.rnnz"
        let train = try recur(["train", "sine", "--steps", "10", "--train-count", "100", "--hidden", "6", "--epochs", "1",
                               "--threads", "1", "--quiet", "--f32", "-o", model])
        #expect(train.status == 0, "\(train.output)")
        let int8Line = train.output.split(separator: "\n").first { $0.hasPrefix("test mse, runtime int8:") }
        let score = try #require(int8Line?.split(separator: " ").last.map(String.init))

        let eval = try recur(["eval", model])
        #expect(eval.status == 0, "\(eval.output)")
        #expect(eval.output.contains("self-tests   3 case(s)"))
        #expect(eval.output.contains("test mse  \(score)"), "eval: \(eval.output) train: \(score)")

        let requantized = dir + "/again.rnnz"
        let quantize = try recur(["quantize", dir + "/sine.f32.rnnz", "-o", requantized])
        #expect(quantize.status == 0 && quantize.output.contains("enc.0.weight_hh"), "\(quantize.output)")
        #expect(FileManager.default.contents(atPath: requantized) == FileManager.default.contents(atPath: model))

        let inspect = try recur(["inspect", model])
        #expect(inspect.status == 0)
        for needle in ["recur.task                  string    \"regressor\"", "0  lstm  1 → 6", "enc.0.weight_hh             I8   24×6"] {
            #expect(inspect.output.contains(needle), "inspect lacks \(needle)")
        }
    }
}
