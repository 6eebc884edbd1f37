import Foundation
import RecurRuntime
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

    static let fixtures: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checkpoint-v1").path

    func bits(_ arrays: [[Float]]) -> [[UInt32]] { arrays.map { $0.map(\.bitPattern) } }

    @Test func saveAndLoadKeepEveryBit() throws {
        var (spec, state) = try sampleState()
        state.bestParameters = state.parameters.map { $0.map { -$0 } }
        state.bestParameters[0][0] = .nan
        let checkpoint = Checkpoint(settings: TrainSettings.defaults(for: .adding, out: "a.rnnz"), spec: spec, state: state)
        let dir = temporaryDirectory()
        try checkpoint.save(in: dir)
        let loaded = try Checkpoint.load(from: dir)
        #expect(loaded.version == 2)
        #expect(bits(loaded.state.parameters) == bits(state.parameters))
        #expect(bits(loaded.state.bestParameters) == bits(state.bestParameters))
        #expect(loaded.state.optimizer.buffers.count == 2)
        #expect(loaded.state.optimizer.buffers.map(bits) == state.optimizer.buffers.map(bits))
        #expect(loaded.state.optimizer.steps == state.optimizer.steps && loaded.state.optimizer.kind == state.optimizer.kind)
        #expect(loaded.state.shuffleRandom == state.shuffleRandom)
        #expect(loaded.state.bestLoss == .infinity)
        #expect(loaded.state.history == state.history && loaded.state.parameterNames == state.parameterNames)
        #expect(loaded.spec == spec && loaded.settings == checkpoint.settings)
        // One binary file and no temporary file beside it; the same file read by path.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["checkpoint.gguf"])
        #expect(bits(try Checkpoint.load(from: dir + "/checkpoint.gguf").state.parameters) == bits(state.parameters))
    }

    /// A checkpoint is an ordinary GGUF file: the model files' reader finds its tensors and keys.
    @Test func theFileIsPlainGGUF() throws {
        let (spec, state) = try sampleState()
        let dir = temporaryDirectory()
        try Checkpoint(settings: TrainSettings.defaults(for: .adding, out: "a.rnnz"), spec: spec, state: state).save(in: dir)
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/checkpoint.gguf"))
        let file = try bytes.withUnsafeBytes { try GGUFFile(parsing: ByteStorage(copying: $0)) }
        #expect(try file.string("general.type") == "recur.checkpoint")
        let name = state.parameterNames[1]
        #expect(try file.floats(ofTensor: "param.\(name)").map(\.bitPattern) == state.parameters[1].map(\.bitPattern))
        #expect(try file.floats(ofTensor: "opt.1.\(name)").map(\.bitPattern) == state.optimizer.buffers[1][1].map(\.bitPattern))
        // The JSON part carries no parameter arrays.
        #expect(!(try file.string(CheckpointFile.jsonKey)).contains("\"parameters\":[["))
    }

    /// Version-1 checkpoints (all JSON, written by recur before binary checkpoints) still load,
    /// convert to version 2 bit for bit, and a run resumes from them; the binary checkpoint then
    /// replaces the JSON one.
    @Test func version1CheckpointsStillLoadAndResume() throws {
        let v1 = try Checkpoint.load(from: Self.fixtures + "/adding")
        #expect(v1.version == 1 && v1.state.nextEpoch == 2 && v1.settings.task == .adding)
        let dir = temporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.fixtures + "/adding/checkpoint.json", toPath: dir + "/checkpoint.json")
        try v1.save(in: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["checkpoint.gguf"])
        var v2 = try Checkpoint.load(from: dir)
        v2.version = 1
        #expect(v2 == v1)
        #expect(bits(v2.state.parameters) == bits(v1.state.parameters))

        try FileManager.default.removeItem(atPath: dir + "/checkpoint.gguf")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/adding/checkpoint.json", toPath: dir + "/checkpoint.json")
        var settings = TrainSettings.defaults(for: .adding, out: dir + "/adding.rnnz")
        settings.checkpointDirectory = dir
        settings.threads = 1
        settings.epochs = 4   // the command line's, as for `recur train --resume`
        let resumed = try TaskRunner(settings: settings, progress: Progress(quiet: true)).run(resume: true)
        #expect(resumed.resumedAt == 2 && resumed.epochsRun == 2)
        #expect(try Checkpoint.load(from: dir).state.nextEpoch == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["adding.rnnz", "checkpoint.gguf"])

        let seq2seq = try Seq2SeqCheckpoint.load(from: Self.fixtures + "/addition")
        #expect(seq2seq.version == 1 && seq2seq.state.nextEpoch == 1 && seq2seq.settings.task == .addition)
        let seqDir = temporaryDirectory()
        try seq2seq.save(in: seqDir)
        var again = try Seq2SeqCheckpoint.load(from: seqDir)
        again.version = 1
        #expect(again == seq2seq)
    }

    func expectCorrupt(_ file: String, _ needle: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            try Checkpoint.load(from: file)
        } throws: { error in
            guard case CheckpointError.corrupt(let path, let reason) = error else { return false }
            return path == file && needle.map(reason.contains) ?? true
        }
    }

    @Test func corruptAndMissingFilesGiveTheirErrors() throws {
        let dir = temporaryDirectory()
        #expect(throws: CheckpointError.unreadable(path: dir + "/checkpoint.gguf")) { try Checkpoint.load(from: dir) }
        let json = dir + "/checkpoint.json"
        try Data("{\"version\": 1".utf8).write(to: URL(fileURLWithPath: json))
        expectCorrupt(json)
        // A JSON file claiming the binary layout's version.
        let v1 = try String(contentsOfFile: Self.fixtures + "/adding/checkpoint.json", encoding: .utf8)
        try Data(v1.replacingOccurrences(of: "\"version\":1", with: "\"version\":2").utf8).write(to: URL(fileURLWithPath: json))
        expectCorrupt(json, "layout version 2 in a JSON checkpoint")

        let (spec, state) = try sampleState()
        let checkpoint = Checkpoint(settings: TrainSettings.defaults(for: .adding, out: "a.rnnz"), spec: spec, state: state)
        let good = try CheckpointFile.encode(checkpoint)
        let file = dir + "/checkpoint.gguf"
        // Cut short anywhere before the last tensor's padding: an error naming the file, never a crash.
        for cut in stride(from: 4, to: good.count - 64, by: max(1, good.count / 97)) {
            try Data(good[..<cut]).write(to: URL(fileURLWithPath: file))
            expectCorrupt(file)
        }
        // A tensor missing: the state's names ask for it.
        var fewer = state
        fewer.parameterNames[2] = "enc.0.renamed"
        try Data(try CheckpointFile.encode(Checkpoint(settings: checkpoint.settings, spec: spec, state: fewer)))
            .write(to: URL(fileURLWithPath: file))
        // Rename the tensor on disk (same length) so that the JSON's name no longer has one.
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: file)))
        let from = Array("param.enc.0.renamed".utf8), to = Array("param.enc.0.renamex".utf8)
        let at = try #require((0...(bytes.count - from.count)).first { Array(bytes[$0..<($0 + from.count)]) == from })
        var edited = bytes
        edited.replaceSubrange(at..<(at + to.count), with: to)
        try Data(edited).write(to: URL(fileURLWithPath: file))
        expectCorrupt(file, "enc.0.renamed")
    }
}
