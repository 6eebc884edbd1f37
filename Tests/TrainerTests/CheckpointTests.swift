import Foundation
import Testing
import TestSupport
@testable import Trainer

/// Checkpoint files keep every float and generator state bit for bit, are written atomically
/// and refuse bad input with an error naming the file.
@Suite struct CheckpointTests {
    func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "recur-checkpoint-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A real training state (one epoch of a tiny LSTM regressor) with awkward floats planted in it.
    func sampleState() throws -> (ModelSpec, TrainingState) {
        let spec = ModelSpec(input: .frames(size: 2), layers: [.init(cell: .lstm, hidden: 3)], output: .regressor(outputs: 1))
        let model = try SequenceModel(spec: spec, seed: 4)
        let data = AddingTask(length: 6, trainCount: 8, validationCount: 2, testCount: 2).makeData(seed: 1)
        var options = TrainOptions()
        options.epochs = 1
        options.batchSize = 4
        options.threads = 1
        var saved: TrainingState?
        try TrainingLoop(options: options).fit(model, train: data.train.batch, checkpoint: { saved = $0 })
        var state = try #require(saved)
        var random = SeededGenerator(seed: 3)
        // Subnormals, negative zero, extremes, a third, random values; and a generator state above 2^63.
        let awkward: [Float] = [0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1e-30, 1 / 3,
                                .leastNormalMagnitude, 16_777_215, Float(bitPattern: 0x3F80_0001)] + random.uniforms(8, -5, 5)
        state.parameters[0].replaceSubrange(0..<awkward.count, with: awkward)
        state.shuffleRandom = SeededRandom(seed: 0xFFFF_FFFF_FFFF_FFF1)
        state.bestLoss = .infinity
        return (spec, state)
    }

    @Test func saveAndLoadKeepEveryBit() throws {
        let (spec, state) = try sampleState()
        let checkpoint = Checkpoint(settings: TrainSettings.defaults(for: .adding, out: "a.rnnz"), spec: spec, state: state)
        let dir = temporaryDirectory()
        try checkpoint.save(in: dir)
        let loaded = try Checkpoint.load(from: dir)
        #expect(loaded.state.parameters.map { $0.map(\.bitPattern) } == state.parameters.map { $0.map(\.bitPattern) })
        #expect(loaded.state.optimizer.buffers.map { $0.map { $0.map(\.bitPattern) } }
            == state.optimizer.buffers.map { $0.map { $0.map(\.bitPattern) } })
        #expect(loaded.state.shuffleRandom == state.shuffleRandom)
        #expect(loaded.state.bestLoss == .infinity)
        #expect(loaded.spec == spec && loaded.settings == checkpoint.settings)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["checkpoint.json"])
    }

    @Test func corruptAndMissingFilesGiveTheirErrors() throws {
        let dir = temporaryDirectory()
        #expect(throws: CheckpointError.unreadable(path: dir + "/checkpoint.json")) { try Checkpoint.load(from: dir) }
        let file = dir + "/checkpoint.json"
        try Data("{\"version\": 1".utf8).write(to: URL(fileURLWithPath: file))
        #expect {
            try Checkpoint.load(from: file)
        } throws: { error in
            if case CheckpointError.corrupt(let path, _) = error { return path == file }
            return false
        }
    }
}
