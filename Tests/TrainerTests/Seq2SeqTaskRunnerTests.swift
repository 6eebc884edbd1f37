import Foundation
import Testing
import Trainer

/// Whole `recur train addition|translate` runs through `Seq2SeqRunner`: a run interrupted after a
/// checkpoint and resumed ends with the same model bytes; the Runtime's f32 scores equal the
/// trainer's; refusals.
@Suite(.serialized) struct Seq2SeqTaskRunnerTests {
    func directory() -> String {
        let dir = NSTemporaryDirectory() + "recur-s2s-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func smallAddition(out: String, checkpoint: String? = nil) -> Seq2SeqSettings {
        var s = Seq2SeqSettings(task: .addition)
        s.threads = 1  // OpenBLAS's thread count is process-wide: every parallel test asks for the same one
        s.digits = 1
        s.hidden = 16
        s.embedding = 8
        s.epochs = 3
        s.batchSize = 8
        s.beam = 2
        s.patience = 0
        s.out = out
        s.writeF32 = true
        s.checkpointDirectory = checkpoint
        return s
    }

    @Test("a run interrupted after epoch 1 and resumed writes the same model bytes as an uninterrupted run")
    func resumeIsExact() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let whole = try Seq2SeqRunner(settings: smallAddition(out: dir + "/whole.rnnz"), progress: Progress(quiet: true)).run()
        let part = smallAddition(out: dir + "/resumed.rnnz", checkpoint: dir + "/ckpt")
        _ = try Seq2SeqRunner(settings: part, progress: Progress(quiet: true), stopAfterEpochs: 1).run()
        #expect(FileManager.default.fileExists(atPath: Seq2SeqCheckpoint.path(in: dir + "/ckpt")))
        let resumed = try Seq2SeqRunner(settings: part, progress: Progress(quiet: true)).run(resume: true)
        #expect(resumed.resumedAt == 1 && resumed.epochsRun == 2)
        let a = FileManager.default.contents(atPath: dir + "/whole.rnnz")
        let b = FileManager.default.contents(atPath: dir + "/resumed.rnnz")
        #expect(a != nil && a == b)
        #expect(resumed.trainerGreedy == whole.trainerGreedy)
    }

    @Test("the Runtime's f32 decoding of the exported file scores like the trainer's")
    func runtimeAgreesWithTrainer() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try Seq2SeqRunner(settings: smallAddition(out: dir + "/a.rnnz"), progress: Progress(quiet: true)).run()
        let f32 = try #require(report.runtimeF32)
        #expect(f32.greedy.hypotheses == report.trainerGreedy.hypotheses)
        #expect(report.runtimeInt8.greedy.hypotheses.count == report.testCount)
        #expect(report.int8Bytes > 0 && report.int8Bytes < report.f32Bytes)
    }

    @Test("resume without a checkpoint, a missing output directory and bad options are refused by name")
    func refusals() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func message(_ settings: Seq2SeqSettings, resume: Bool = false) -> String {
            do { _ = try Seq2SeqRunner(settings: settings, progress: Progress(quiet: true)).run(resume: resume); return "ran" } catch {
                return "\(error)"
            }
        }
        #expect(message(smallAddition(out: dir + "/x.rnnz"), resume: true).contains("--resume needs --checkpoint"))
        #expect(message(smallAddition(out: dir + "/x.rnnz", checkpoint: dir + "/none"), resume: true).contains("cannot read checkpoint"))
        #expect(message(smallAddition(out: dir + "/missing/x.rnnz")).contains("does not exist"))
        var s = smallAddition(out: dir + "/x.rnnz")
        s.cell = "transformer"
        #expect(message(s).contains("--cell"))
        s = smallAddition(out: dir + "/x.rnnz")
        s.bridge = .copy
        s.layers = 2
        s.attention = .dot
        // copy with equal layer counts is valid: this trains.
        #expect(message(s) == "ran")
        var t = Seq2SeqSettings(task: .translate)
        t.threads = 1
        t.out = dir + "/t.rnnz"
        #expect(message(t).contains("--pairs"))
    }
}
