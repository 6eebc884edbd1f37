import Foundation
import RecurRuntime
import Testing
import TestSupport
@testable import Trainer

/// Whole `recur train` runs: export → load → evaluate, resume after an interruption, real learning.
@Suite struct TaskRunnerTests {
    func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "recur-runner-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A small adding run: length 10, 200 training sequences, LSTM(8), 1 thread.
    func smallAdding(out: String, epochs: Int = 3, checkpoint: String? = nil) -> TrainSettings {
        var s = TrainSettings.defaults(for: .adding, out: out)
        s.length = 10
        s.trainCount = 200
        s.hidden = 8
        s.epochs = epochs
        s.batchSize = 20
        s.threads = 1
        s.writeF32 = true
        s.checkpointDirectory = checkpoint
        return s
    }

    @Test func exportLoadEvaluateRoundTrip() throws {
        let dir = temporaryDirectory()
        let settings = smallAdding(out: dir + "/adding.rnnz", epochs: 2)
        let report = try TaskRunner(settings: settings, progress: Progress(quiet: true)).run()
        // Both files exist, pass the Runtime's reader and reproduce their self-tests bit for bit.
        for path in [settings.out, settings.f32Path] {
            let model = try Model(file: try ModelFile.load(path))
            #expect(try model.verifySelfTests().cases == 3)
            // Computed on the best path at export; the portable scalar path reproduces them bit for bit.
            #expect(try model.verifySelfTests(kernels: .scalar).cases == 3)
        }
        // The Runtime scores the f32 file like the trainer (the same function to 1e-5), and the
        // int8 file within 0.01 MAE of it.
        #expect(abs(report.f32Metric - report.trainerMetric) <= 1e-5 * max(1, report.trainerMetric))
        #expect(abs(report.int8Metric - report.f32Metric) <= 0.01)
        // Re-evaluating the written file gives the reported figure.
        let int8 = try Model(file: try ModelFile.load(settings.out))
        #expect(try TaskRunner.evaluate(int8, settings: settings).score.value == report.int8Metric)
        // The run's settings travel in the file (for `recur eval`).
        let file = try ModelFile.load(settings.out)
        let stored = try JSONDecoder().decode(TrainSettings.self, from: Data(try file.string(TaskRunner.settingsKey).utf8))
        #expect(stored.length == 10 && stored.hidden == 8 && stored.task == .adding)
    }

    @Test func resumedRunEndsWithTheSameModelBytes() throws {
        let dir = temporaryDirectory()
        let whole = smallAdding(out: dir + "/whole.rnnz", epochs: 3)
        _ = try TaskRunner(settings: whole, progress: Progress(quiet: true)).run()

        // Interrupted right after epoch 1's checkpoint, then resumed from it.
        let checkpoint = dir + "/ckpt"
        let part = smallAdding(out: dir + "/resumed.rnnz", epochs: 3, checkpoint: checkpoint)
        _ = try TaskRunner(settings: part, progress: Progress(quiet: true), stopAfterEpochs: 1).run()
        #expect(try Checkpoint.load(from: checkpoint).state.nextEpoch == 1)
        let resumed = try TaskRunner(settings: part, progress: Progress(quiet: true)).run(resume: true)
        #expect(resumed.resumedAt == 1 && resumed.epochsRun == 2)
        #expect(try Checkpoint.load(from: checkpoint).state.nextEpoch == 3)

        let sameInt8 = try ModelFile.read(whole.out) == ModelFile.read(part.out)
        let sameF32 = try ModelFile.read(whole.f32Path) == ModelFile.read(part.f32Path)
        #expect(sameInt8, "int8 files differ")
        #expect(sameF32, "f32 files differ")
    }

    /// The same for a character lm trained as one stream with truncated BPTT (its hidden state is
    /// reset at every epoch, so an epoch boundary is a clean place to stop).
    @Test func resumedCharLMRunEndsWithTheSameModelBytes() throws {
        let dir = temporaryDirectory()
        var random = SeededGenerator(seed: 12)
        let words = ["the ", "cat ", "sat ", "on ", "a ", "mat. ", "and ", "then ", "ran.\n"]
        let text = (0..<1200).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/text.txt"))
        func settings(_ out: String, checkpoint: String?) -> TrainSettings {
            var s = TrainSettings.defaults(for: .charlm, out: dir + "/" + out)
            s.text = dir + "/text.txt"
            s.steps = 20
            s.hidden = 12
            s.embedding = 6
            s.epochs = 3
            s.batchSize = 8
            s.minCount = 1
            s.threads = 1
            s.checkpointDirectory = checkpoint
            return s
        }
        let whole = try TaskRunner(settings: settings("whole.rnnz", checkpoint: nil), progress: Progress(quiet: true)).run()
        let part = settings("resumed.rnnz", checkpoint: dir + "/ckpt")
        _ = try TaskRunner(settings: part, progress: Progress(quiet: true), stopAfterEpochs: 2).run()
        let resumed = try TaskRunner(settings: part, progress: Progress(quiet: true)).run(resume: true)
        #expect(resumed.resumedAt == 2 && resumed.int8Metric == whole.int8Metric)
        let same = try ModelFile.read(dir + "/whole.rnnz") == ModelFile.read(dir + "/resumed.rnnz")
        #expect(same, "int8 lm files differ")
        // Fewer bits per character than a uniform guess over its 15 symbols (3.9 bits).
        #expect(whole.int8Metric < 3.5, "bits/char \(whole.int8Metric)")
    }

    @Test func resumeWithoutACheckpointSaysWhatIsMissing() throws {
        let dir = temporaryDirectory()
        let settings = smallAdding(out: dir + "/x.rnnz", checkpoint: dir + "/none")
        #expect(throws: CheckpointError.unreadable(path: dir + "/none")) {
            try TaskRunner(settings: settings, progress: Progress(quiet: true)).run(resume: true)
        }
    }

    /// A broken backward pass fails this: an LSTM must learn to continue noisy sine waves. Always
    /// answering 0 scores an MSE of about 0.5 and repeating the last input about 0.08; 3 epochs on
    /// 300 short sequences (about a second of a debug build) reach about 0.015.
    @Test func lstmLearnsToContinueSineWaves() throws {
        let dir = temporaryDirectory()
        var s = TrainSettings.defaults(for: .sine, out: dir + "/learn.rnnz")
        s.steps = 10
        s.trainCount = 300
        s.hidden = 8
        s.epochs = 3
        s.batchSize = 10
        s.learningRate = 0.02
        s.threads = 1
        let report = try TaskRunner(settings: s, progress: Progress(quiet: true)).run()
        #expect(report.trainerMetric < 0.03, "test MSE \(report.trainerMetric)")
        #expect(report.int8Metric < 0.03, "int8 test MSE \(report.int8Metric)")
    }
}
