import Foundation
import Testing
import TestSupport
@testable import Trainer

/// Checkpoint files keep every float bit for bit, are written atomically and refuse bad input.
@Suite struct CheckpointTests {
    func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "recur-checkpoint-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func saveAndLoadKeepEveryBit() throws {
        var random = SeededGenerator(seed: 3)
        // Awkward floats on purpose: subnormals, negative zero, extremes, and random values.
        let values: [Float] = [0, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1e-30, 1 / 3]
            + random.uniforms(100, -5, 5)
        let checkpoint = Checkpoint(
            settings: TrainSettings.defaults(for: .adding, out: "a.rnnz"), spec: Data("{}".utf8), epoch: 4,
            parameters: [.init(name: "enc.0.weight_ih", values: values)],
            optimizer: [.init(name: "m.0", values: values.reversed())], optimizerStep: 77,
            randomState: 0xDEAD_BEEF_1234_5678, bestMetric: 0.125, bestEpoch: 3,
            bestParameters: [.init(name: "enc.0.weight_ih", values: values)], epochsWithoutImprovement: 1,
            lossHistory: [0.5, 0.25])
        let dir = temporaryDirectory()
        try checkpoint.save(in: dir)
        let loaded = try Checkpoint.load(from: dir)
        #expect(loaded == checkpoint)
        #expect(loaded.parameters[0].values.map(\.bitPattern) == values.map(\.bitPattern))
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
