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
        /// The signal that ended the process, or nil when it exited.
        var signal: Int32?
    }

    /// Runs `recur` with `arguments` (and `environment` added to this process's) to completion;
    /// stdout and stderr together. The output is read before waiting, so a chatty run cannot
    /// block on a full pipe.
    func recur(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "recur not built at \(Self.binary)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let signalled = process.terminationReason == .uncaughtSignal
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self),
                   signal: signalled ? process.terminationStatus : nil)
    }

    func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "recur-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func everySubcommandHasHelpWithExamples() throws {
        for command in [[], ["train"], ["eval"], ["inspect"], ["quantize"], ["import"]] {
            let run = try recur(command + ["--help"])
            #expect(run.status == 0, "\(command)")
            #expect(run.output.contains("Examples:"), "\(command) --help has no examples")
        }
    }

    /// `recur train --help` lists under "no download needed" only the tasks that generate their data.
    @Test func trainHelpSeparatesTasksThatNeedData() throws {
        let help = try recur(["train", "--help"]).output
        let generated = try #require(help.range(of: "Tasks that generate their data (no download needed):"))
        let provided = try #require(help.range(of: "Tasks that read data you provide:"))
        let noDownload = help[generated.upperBound..<provided.lowerBound]
        for task in ["sine", "adding", "addition"] { #expect(noDownload.contains(task), "\(task)") }
        for task in ["charlm", "har", "translate"] { #expect(!noDownload.contains(task), "\(task) is listed as needing no data") }
        let needsData = help[provided.upperBound...]
        for option in ["--text FILE", "--data DIR", "--pairs FILE"] { #expect(needsData.contains(option), "\(option)") }
    }

    @Test func badArgumentsAreRefusedByName() throws {
        let task = try recur(["train", "juggling"])
        #expect(task.status != 0 && task.output.contains("Unexpected argument 'juggling'"))
        let hidden = try recur(["train", "sine", "--hidden", "0"])
        #expect(hidden.status != 0 && hidden.output.contains("--hidden must be at least 1"))
        let batch = try recur(["train", "sine", "--batch", "0"])
        #expect(batch.status != 0 && batch.output.contains("--batch must be at least 1, got 0"), "\(batch.output)")
        let charlm = try recur(["train", "charlm"])
        #expect(charlm.status != 0 && charlm.output.contains("charlm needs --text"))
        let outDir = try recur(["train", "sine", "-o", "/nonexistent/dir/m.rnnz"])
        #expect(outDir.status != 0 && outDir.output.contains("the directory /nonexistent/dir does not exist"))
        let missing = try recur(["inspect", "/nonexistent/m.rnnz"])
        #expect(missing.status != 0 && missing.output.contains("cannot read /nonexistent/m.rnnz"))
    }

    /// Kills the process (SIGKILL) right after its second checkpoint (of four epochs) is on disk,
    /// resumes, and compares the int8 model with the one of an uninterrupted run. The kill comes
    /// from the run itself (`RECUR_TEST_KILL_AFTER_CHECKPOINT`), so it lands after the same epoch
    /// on any machine, however fast.
    @Test func killedRunResumesToTheSameBytes() throws {
        let dir = temporaryDirectory()
        let common = ["train", "adding", "--length", "10", "--train-count", "200", "--hidden", "8", "--epochs", "4",
                      "--batch", "20", "--threads", "1", "--quiet"]
        let whole = try recur(common + ["-o", dir + "/whole.rnnz"])
        #expect(whole.status == 0, "\(whole.output)")

        let checkpoint = dir + "/ckpt"
        let killed = try recur(common + ["-o", dir + "/resumed.rnnz", "--checkpoint", checkpoint],
                               environment: ["RECUR_TEST_KILL_AFTER_CHECKPOINT": "2"])
        #expect(killed.signal == SIGKILL, "the run was not killed after its second checkpoint: \(killed.output)")
        #expect(FileManager.default.fileExists(atPath: checkpoint + "/checkpoint.gguf"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/resumed.rnnz"))

        let resumed = try recur(common + ["-o", dir + "/resumed.rnnz", "--checkpoint", checkpoint, "--resume"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("resumed after epoch 2"), "\(resumed.output)")
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

    /// `recur train frames` on the trainer's CSV fixture: the split and scores printed, `recur eval`
    /// reproduces the int8 figure; a missing column is refused naming file and line, nothing written.
    @Test func framesTrainEvalAndRefusal() throws {
        let dir = temporaryDirectory()
        let csv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TrainerTests/Fixtures/frames/imu.csv").path
        let common = ["train", "frames", "--csv", csv, "--label-column", "label", "--sequence-column", "take",
                      "--group-column", "subject", "--window", "10", "--hop", "5", "--test-groups", "c",
                      "--validation-groups", "e", "--hidden", "8", "--epochs", "3", "--threads", "1", "--quiet"]
        let train = try recur(common + ["-o", dir + "/frames.rnnz"])
        #expect(train.status == 0, "\(train.output)")
        for needle in ["train: 36 windows from 3 groups (a b d)", "test: 12 windows from 1 group (c)",
                       "classes (training examples): shake 18, still 18", "test, runtime int8: accuracy",
                       "confusion matrix"] {
            #expect(train.output.contains(needle), "train output lacks \(needle)")
        }
        let int8Line = train.output.split(separator: "\n").first { $0.hasPrefix("test accuracy, runtime int8:") }
        let score = try #require(int8Line?.split(separator: " ").last.map(String.init))
        let eval = try recur(["eval", dir + "/frames.rnnz"])
        #expect(eval.status == 0 && eval.output.contains("test accuracy  \(score)"), "\(eval.output)")

        let missing = try recur(common.map { $0 == "label" ? "activity" : $0 } + ["-o", dir + "/never.rnnz"])
        #expect(missing.status != 0 && missing.output.contains("imu.csv:2: --label-column: no column \"activity\""), "\(missing.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/never.rnnz"))
    }
}
