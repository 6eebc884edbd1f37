import Foundation
import RecurRuntime
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

    @Test("Seq2SeqEvaluation of the written files decodes exactly what the run's Runtime decoded, greedy and beam; the report has every epoch")
    func evaluationRepeatsTheRun() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let settings = smallAddition(out: dir + "/a.rnnz")
        let report = try Seq2SeqRunner(settings: settings, progress: Progress(quiet: true)).run()
        for (path, expected) in [(settings.out, report.runtimeInt8), (settings.f32Path, try #require(report.runtimeF32))] {
            let file = try ModelFile.load(path)
            let json = try #require(try file.optionalString(TaskRunner.settingsKey))
            let stored = try #require(Seq2SeqEvaluation.settings(json: json))
            #expect(stored.task == .addition && stored.digits == 1 && stored.out == "")
            let result = try Seq2SeqEvaluation.evaluate(file: file, model: try Model(file: file), stored: stored, pairs: nil,
                                                        beam: settings.beam)
            #expect(result.testCount == report.testCount)
            #expect(result.scores.greedy == expected.greedy, "\(path)")
            #expect(result.scores.beam == expected.beam, "\(path)")
            let greedyOnly = try Seq2SeqEvaluation.evaluate(file: file, model: try Model(file: file), stored: stored, pairs: nil, beam: nil)
            #expect(greedyOnly.scores.greedy == expected.greedy && greedyOnly.scores.beam == nil)
        }
        // Another task's settings are not a seq2seq run's.
        #expect(Seq2SeqEvaluation.settings(json: #"{"task":"sine"}"#) == nil)

        let page = TrainingReport(report)
        #expect(page.history.count == report.epochsRun && page.history.map(\.epoch) == Array(1...report.epochsRun))
        #expect(page.figures.map(\.name) == ["exact match, greedy", "exact match, beam 2"])
        #expect(page.figures[0].runtimeInt8 == report.runtimeInt8.greedy.exactMatch)
        #expect(!page.quantization.isEmpty && page.kind == "seq2seq" && page.f32Bytes == report.f32Bytes)
    }
}
