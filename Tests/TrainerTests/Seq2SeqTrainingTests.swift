import Testing
import TestSupport
@testable import Trainer

/// `TrainingLoop.fitSeq2Seq` learns a real task and follows the loop's contract.
@Suite struct Seq2SeqTrainingTests {
    /// Reversal pairs: a source of 2…5 ids in 3…8, the target the same ids reversed; BOS 1, EOS 2.
    static func reversalPairs(_ count: Int, seed: UInt64) -> [[Int32]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<Int.random(in: 2...5, using: &rng)).map { _ in Int32.random(in: 3...8, using: &rng) } }
    }

    /// Bucketed batches (pairs sorted by length, cut into batches of `size`).
    static func batches(_ sources: [[Int32]], size: Int) -> [Seq2SeqBatch] {
        let sorted = sources.sorted { $0.count < $1.count }
        return stride(from: 0, to: sorted.count, by: size).map { start in
            let chunk = Array(sorted[start..<min(start + size, sorted.count)])
            let s = chunk.map(\.count).max()!, t = s + 1
            var source = [Int32](repeating: 0, count: chunk.count * s)
            var input = [Int32](repeating: 0, count: chunk.count * t), output = input
            for (i, x) in chunk.enumerated() {
                let y = Array(x.reversed())
                for (j, id) in x.enumerated() { source[i * s + j] = id }
                for (j, id) in ([Int32(1)] + y).enumerated() { input[i * t + j] = id }
                for (j, id) in (y + [Int32(2)]).enumerated() { output[i * t + j] = id }
            }
            return Seq2SeqBatch(count: chunk.count, sourceSteps: s, targetSteps: t, source: source,
                                sourceLengths: chunk.map(\.count), targetInput: input, targetOutput: output,
                                targetLengths: chunk.map { $0.count + 1 })
        }
    }

    static let spec = Seq2SeqSpec(sourceVocabulary: 9, targetVocabulary: 9, sourceEmbedding: 16, targetEmbedding: 16,
                                  cell: .lstm, hidden: 16, bidirectional: true, attention: .general, combine: 32)

    @Test("reversing sequences: > 95% exact match on held-out sources, greedy and beam")
    func learnsReversal() throws {
        let model = try Seq2SeqModel(spec: Self.spec, seed: 51)
        var options = TrainOptions()
        options.epochs = 8
        options.learningRate = 0.01
        options.seed = 52
        options.threads = 1
        let train = Self.batches(Self.reversalPairs(1500, seed: 53), size: 32)
        let heldOut = Self.reversalPairs(200, seed: 54)
        var events = 0
        let result = try TrainingLoop(options: options).fitSeq2Seq(
            model, train: train, validation: Self.batches(heldOut, size: 50), observer: { _ in events += 1 })
        #expect(result.history.count == 8 && events > 8)
        let greedyHits = heldOut.filter { model.greedy($0, bos: 1, eos: 2, maxLength: 8) == Array($0.reversed()) }.count
        let beamHits = heldOut.filter {
            model.beam($0, bos: 1, eos: 2, maxLength: 8, width: 3, alpha: 1) == Array($0.reversed())
        }.count
        #expect(greedyHits > 190, "greedy exact match \(greedyHits)/200")
        #expect(beamHits > 190, "beam exact match \(beamHits)/200")
    }

    /// An interrupted run resumed from its checkpoint ends with the same parameters, bit for bit.
    @Test("resume from a checkpoint reproduces an uninterrupted run")
    func resumes() throws {
        var spec = Self.spec
        spec.dropout = 0.2
        var options = TrainOptions()
        options.threads = 1  // OpenBLAS's thread count is process-wide: every parallel test asks for the same one
        options.epochs = 3
        options.seed = 55
        let train = Self.batches(Self.reversalPairs(120, seed: 56), size: 30)
        let whole = try Seq2SeqModel(spec: spec, seed: 57)
        var states: [TrainingState] = []
        try TrainingLoop(options: options).fitSeq2Seq(whole, train: train, checkpoint: { states.append($0) })
        let resumed = try Seq2SeqModel(spec: spec, seed: 57)
        try TrainingLoop(options: options).fitSeq2Seq(resumed, train: train, resume: states[0])
        #expect(resumed.snapshot() == whole.snapshot())
    }

    @Test("a batch that does not fit the model is refused with its index")
    func refusesBadBatch() throws {
        let model = try Seq2SeqModel(spec: Self.spec, seed: 58)
        var bad = Self.batches(Self.reversalPairs(10, seed: 59), size: 5)
        bad[1].source[0] = 40
        var options = TrainOptions()
        options.threads = 1
        #expect(throws: TrainerError.self) { try TrainingLoop(options: options).fitSeq2Seq(model, train: bad) }
        do {
            try TrainingLoop(options: options).fitSeq2Seq(model, train: bad)
        } catch {
            #expect("\(error)".contains("training batch 1") && "\(error)".contains("id 40"), "\(error)")
        }
    }
}
