import Foundation
import RecurRuntime
import Testing
import TestSupport
@testable import Trainer

/// `recur train textclass` end to end on a generated fixture: the data summary, training,
/// export, and the exported files scored by the Runtime against the trainer's own forward pass.
@Suite struct TextClassTaskTests {
    /// Three classes of "headlines": random characters from a shared pool, plus one or two marker
    /// words (two characters) of their class somewhere in the line (seeded; 40 lines per class).
    static func fixture(seed: UInt64 = 7, perClass: Int = 40) -> String {
        var rng = SeededGenerator(seed: seed)
        let pool = Array("的一是在不了有和人这中大")
        let markers = [["股市", "基金"], ["球赛", "冠军"], ["游戏", "玩家"]]
        var lines: [String] = []
        for k in 0..<(3 * perClass) {
            let c = k % 3
            var text = (0..<Int.random(in: 3...8, using: &rng)).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] }
            for _ in 0..<Int.random(in: 1...2, using: &rng) {
                text.insert(contentsOf: markers[c][Int.random(in: 0..<2, using: &rng)], at: Int.random(in: 0...text.count, using: &rng))
            }
            lines.append(String(text) + "\t\(c)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String, name: String) -> String {
        let dir = NSTemporaryDirectory() + "recur-textclass-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func settings(data: String, out: String, edit: (inout TextClassSettings) -> Void = { _ in }) -> TrainSettings {
        var text = TextClassSettings()
        text.data = data
        text.testFraction = 0.25
        text.validationFraction = 0.15
        edit(&text)
        var s = TrainSettings.defaults(for: .textclass, out: out)
        s.textclass = text
        s.hidden = 12
        s.embedding = 12
        s.minCount = 1
        s.epochs = 15
        s.batchSize = 8
        s.learningRate = 0.02
        s.patience = 0
        s.threads = 1
        s.writeF32 = true
        return s
    }

    @Test("data: stratified parts, vocabulary from the training part only, the summary says what went where")
    func data() throws {
        let path = Self.write(Self.fixture(), name: "lines.tsv")
        let settings = Self.settings(data: path, out: "unused.rnnz")
        let data = try TextClassTrainTask.makeData(settings)
        #expect(data.classNames == ["0", "1", "2"])
        #expect(data.test.classCounts(3) == [10, 10, 10])
        #expect(data.validation.classCounts(3) == [6, 6, 6])
        #expect(data.train.classCounts(3) == [24, 24, 24])
        let summary = TextClassTrainTask.summary(of: data, settings: settings)
        #expect(summary[0] == "data: \(path) 120 lines → train 72, validation 18, test 30 (stratified by label, seed 1)")
        #expect(summary.last == "classes (train/validation/test examples): 0 24/6/10, 1 24/6/10, 2 24/6/10")
        // No example is in two parts.
        let origins = data.train.origins + data.validation.origins + data.test.origins
        #expect(Set(origins).count == 120)
        // A separate test file: the whole of it is the test part, named in the summary.
        let testPath = Self.write(Self.fixture(seed: 8, perClass: 5), name: "test.tsv")
        let separate = try TextClassTrainTask.makeData(Self.settings(data: path, out: "unused.rnnz") { $0.dataTest = testPath })
        #expect(separate.test.count == 15 && separate.train.count + separate.validation.count == 120)
    }

    @Test("train → export → Runtime: f32 file = trainer within 1e-5, int8 close; learns the markers",
          arguments: [(false, ModelSpec.Pool.max, TextTokenKind.char), (true, .mean, .charBigram), (true, .last, .char)])
    func endToEnd(bidirectional: Bool, pool: ModelSpec.Pool, tokens: TextTokenKind) throws {
        let path = Self.write(Self.fixture(), name: "lines.tsv")
        let out = (path as NSString).deletingLastPathComponent + "/model.rnnz"
        let settings = Self.settings(data: path, out: out) {
            $0.bidirectional = bidirectional
            $0.pool = pool
            $0.tokens = tokens
        }
        let report = try TaskRunner(settings: settings, progress: Progress(quiet: true)).run()
        // Chance is 1/3; the markers are easy to learn.
        #expect(report.trainer.value >= 0.8, "accuracy \(report.trainer.value)")
        let data = try TextClassTrainTask.makeData(settings)
        let f32 = try Model(file: try ModelFile.load(settings.f32Path))
        let int8 = try Model(file: try ModelFile.load(out))
        // The trainer's network as it was exported, rebuilt from the f32 file's weights.
        let model = try SequenceModel(spec: TextClassTrainTask.makeSpec(settings, data: data), seed: 1)
        let file = try ModelFile.load(settings.f32Path)
        for p in model.parameters { p.value = try file.floats(of: try file.tensor(p.name)) }
        let trainer = TextClassTrainTask.trainerProbabilities(model, set: data.test)
        let runtime = try TextClassTrainTask.runtimeProbabilities(f32, set: data.test)
        let quantized = try TextClassTrainTask.runtimeProbabilities(int8, set: data.test)
        #expect(trainer.count == data.test.count * 3 && runtime.count == trainer.count && quantized.count == trainer.count)
        var worst: Float = 0, worstInt8: Float = 0
        for k in trainer.indices {
            worst = max(worst, abs(trainer[k] - runtime[k]) / max(1, abs(trainer[k])))
            worstInt8 = max(worstInt8, abs(trainer[k] - quantized[k]))
        }
        #expect(worst <= 1e-5, "trainer f32 vs Runtime f32: \(worst)")
        #expect(worstInt8 <= 0.05, "trainer f32 vs Runtime int8: \(worstInt8)")
        #expect(report.f32.value == report.trainer.value)
        #expect(abs(report.int8.value - report.f32.value) <= 0.07)
        // The file says what the contract asks.
        let int8File = try ModelFile.load(out)
        #expect(try int8File.string("recur.task") == "text_classifier")
        #expect(try int8File.string("recur.pool") == pool.rawValue)
        #expect(try int8File.string("recur.tokenizer") == tokens.fileName)
        #expect(try int8File.strings("recur.labels") == ["0", "1", "2"])
        #expect(try int8File.optionalBool("recur.enc.1.bidirectional") == (bidirectional ? true : nil))
        #expect(try int8.verifySelfTests().cases == 3)
    }

    @Test("a test label the training data lacks is named with its file:line")
    func unknownTestLabel() throws {
        let path = Self.write(Self.fixture(), name: "lines.tsv")
        let testPath = Self.write("股市\t0\n新的标签\t7\n", name: "test.tsv")
        #expect {
            try TextClassTrainTask.makeData(Self.settings(data: path, out: "unused.rnnz") { $0.dataTest = testPath })
        } throws: { error in
            (error as? TextDataError)?.description.contains("\(testPath):2: label \"7\"") ?? false
        }
    }
}
