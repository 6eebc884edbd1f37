import Testing
import TestSupport
@testable import Trainer

/// The training loop end to end: reproducible bytes, resume, and real learning.
@Suite struct TrainingTests {
    /// The adding problem at `length` as one `Batch` (B = count) for a regressor.
    static func adding(length: Int, count: Int, seed: UInt64) -> Batch {
        let d = AddingTask(length: length, trainCount: count, validationCount: 1, testCount: 1).makeSplit(count: count, seed: seed)
        return Batch(count: d.count, steps: d.steps, inputs: .frames(d.frames, features: 2),
                     targets: .values(d.targetValues, outputs: 1))
    }

    /// The bytes of every parameter, in order.
    static func bytes(_ model: SequenceModel) -> [UInt32] {
        model.parameters.flatMap { $0.value.map(\.bitPattern) }
    }

    static let smallSpec = ModelSpec(input: .frames(size: 2),
                                     layers: [.init(cell: .lstm, hidden: 8), .init(cell: .gru, hidden: 6)],
                                     dropout: 0.2, output: .regressor(outputs: 1))

    static func smallOptions(epochs: Int) -> TrainOptions {
        var o = TrainOptions()
        o.threads = 1  // OpenBLAS's thread count is process-wide: every parallel test asks for the same one
        o.epochs = epochs
        o.batchSize = 16
        o.learningRate = 3e-3
        o.optimizer = .adamw
        o.weightDecay = 0.01
        o.clipNorm = 0.5
        o.schedule = .cosine(warmup: 2, minimumFraction: 0.1)
        o.seed = 7
        return o
    }

    @Test("same seeds → identical parameter bytes after training (dropout, shuffling, AdamW, clipping on)")
    func sameSeedSameBytes() throws {
        let data = TrainingTests.adding(length: 10, count: 48, seed: 1)
        func train(modelSeed: UInt64) throws -> [UInt32] {
            let model = try SequenceModel(spec: TrainingTests.smallSpec, seed: modelSeed)
            try TrainingLoop(options: TrainingTests.smallOptions(epochs: 2)).fit(model, train: data)
            return TrainingTests.bytes(model)
        }
        let first = try train(modelSeed: 3)
        let initial = TrainingTests.bytes(try SequenceModel(spec: TrainingTests.smallSpec, seed: 3))
        #expect(first != initial, "training must change the parameters")
        #expect(try train(modelSeed: 3) == first)
        #expect(try train(modelSeed: 4) != first)
    }

    /// Layers and products large enough to be split into parts (steps by rows, products by rows,
    /// columns and k): the parts depend on the shapes, not on `--threads`, so one thread and two
    /// give the same bytes — also while other suites change the process-wide thread count.
    @Test("1 and 2 threads → identical parameter bytes on a model whose steps and products are split")
    func threadCountDoesNotChangeTheBytes() throws {
        let spec = ModelSpec(input: .frames(size: 2), layers: [.init(cell: .lstm, hidden: 64), .init(cell: .gru, hidden: 48)],
                             output: .regressor(outputs: 1))
        let data = TrainingTests.adding(length: 24, count: 64, seed: 2)
        #expect(StepTeam.parts(rows: 32, work: 32 * 4 * 64 * 64, threads: 2) > 1)
        func train(threads: Int) throws -> [UInt32] {
            let model = try SequenceModel(spec: spec, seed: 5)
            var options = TrainingTests.smallOptions(epochs: 1)
            options.batchSize = 32
            options.threads = threads
            try TrainingLoop(options: options).fit(model, train: data)
            return TrainingTests.bytes(model)
        }
        #expect(try train(threads: 1) == train(threads: 2))
    }

    @Test("a run resumed from the epoch-1 state ends with the same bytes as an uninterrupted one")
    func resumedRunEqualsUninterrupted() throws {
        let data = TrainingTests.adding(length: 8, count: 40, seed: 2)
        let validation = TrainingTests.adding(length: 8, count: 8, seed: 3)
        let options = TrainingTests.smallOptions(epochs: 3)
        let whole = try SequenceModel(spec: TrainingTests.smallSpec, seed: 5)
        var states: [TrainingState] = []
        let wholeResult = try TrainingLoop(options: options).fit(whole, train: data, validation: validation,
                                                                 checkpoint: { states.append($0) })
        #expect(states.count == 3)
        // A fresh process: a new model from the same seed, continuing from the state after epoch 1.
        let resumed = try SequenceModel(spec: TrainingTests.smallSpec, seed: 5)
        let resumedResult = try TrainingLoop(options: options).fit(resumed, train: data, validation: validation,
                                                                   resume: states[0])
        #expect(TrainingTests.bytes(resumed) == TrainingTests.bytes(whole))
        #expect(resumedResult.history.map(\.trainLoss) == wholeResult.history.map(\.trainLoss))
    }

    @Test("adding problem, length 10: an LSTM(24) reaches test MAE < 0.08 in 12 epochs (always-1 baseline ≈ 0.33)")
    func lstmLearnsAdding() throws {
        // Two marked values, one in each half, summed at the last step: the gradient has to reach
        // back through the recurrence to both. Measured: MAE ≈ 0.05 after 10 epochs for model seeds
        // 13, 17 and 19; a broken backward pass stays on the ≈ 0.33 plateau. (Length 50 needs
        // ~1,000+ updates to leave that plateau, too slow and seed-dependent for the suite; the
        // CLI's `recur train adding` covers long sequences.)
        let train = TrainingTests.adding(length: 10, count: 1024, seed: 11)
        let test = TrainingTests.adding(length: 10, count: 256, seed: 12)
        let spec = ModelSpec(input: .frames(size: 2), layers: [.init(cell: .lstm, hidden: 24)],
                             output: .regressor(outputs: 1))
        let model = try SequenceModel(spec: spec, seed: 13)
        var options = TrainOptions()
        options.threads = 1
        options.epochs = 12
        options.batchSize = 32
        options.learningRate = 1e-2
        options.clipNorm = 1
        options.seed = 14
        try TrainingLoop(options: options).fit(model, train: train)
        let result = TrainingLoop.evaluate(model, on: test, batchSize: 256)
        let mae = result.metricSum / result.weight
        #expect(mae < 0.08, "test MAE \(mae)")
    }

    @Test("character stream with truncated BPTT: an LSTM lm learns a periodic text to > 90% token accuracy (uniform guessing: 20%)")
    func lmLearnsPeriodicStreamWithTBPTT() throws {
        // "abcdeabcde…" with a random letter every so often: the next token is predictable from the
        // current one except after a random letter. Chunks of 12 steps, state carried between them.
        var rng = SeededGenerator(seed: 21)
        var stream: [Int32] = []
        for k in 0..<6000 { stream.append(k % 23 == 22 ? Int32.random(in: 0..<5, using: &rng) : Int32(k % 5)) }
        let spec = ModelSpec(input: .tokens(vocabulary: 5, embedding: 4), layers: [.init(cell: .lstm, hidden: 16)],
                             output: .lm(vocabulary: 5))
        let model = try SequenceModel(spec: spec, seed: 22)
        var options = TrainOptions()
        options.threads = 1
        options.epochs = 3
        options.batchSize = 8
        options.bpttSteps = 12
        options.learningRate = 2e-2
        options.seed = 23
        let result = try TrainingLoop(options: options).fitStream(model, stream: Array(stream[..<5000]),
                                                                  validation: Array(stream[5000...]))
        let accuracy = result.history.last!.validationMetric!
        #expect(accuracy > 0.9, "validation token accuracy \(accuracy)")
    }
}
