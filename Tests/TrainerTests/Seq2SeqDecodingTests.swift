import Testing
import TestSupport
@testable import Trainer

/// The trainer's f32 decoding: the step function equals the teacher-forced training forward,
/// beam width 1 is greedy, and a wide beam finds the brute-force best sequence.
@Suite struct Seq2SeqDecodingTests {
    static let configurations = [
        Seq2SeqTestSupport.spec(.lstm, attention: .general, bidirectional: true, bridge: .copy),
        Seq2SeqTestSupport.spec(.gru, attention: .additive, inputFeeding: true, encoderLayers: 2, decoderLayers: 2),
        Seq2SeqTestSupport.spec(.lstm, attention: .dot, inputFeeding: true, bridge: .copy),
    ]

    /// Decoding one step at a time from BOS gives exactly the probabilities the (batched,
    /// teacher-forced) training forward scores: −mean ln p(y_t) equals `evaluate`'s loss.
    @Test("step-by-step probabilities == the teacher-forced forward", arguments: configurations)
    func stepsMatchForward(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 41)
        let batch = Seq2SeqTestSupport.batch(spec, sourceLengths: [4], targetLengths: [5], seed: 42)
        let loss = model.evaluate(batch).loss
        let steps = model.stepProbabilities(batch.source, prefix: batch.targetInput)
        #expect(steps.count == 5)
        for p in steps { #expect(abs(p.reduce(0, +) - 1) < 1e-5) }
        let mean = zip(steps, batch.targetOutput).reduce(0.0) { $0 - Math.log(Double($1.0[Int($1.1)])) } / 5
        #expect(abs(mean - loss) <= 1e-5 * loss, "step-wise \(mean), forward \(loss)")
    }

    @Test("beam width 1 == greedy (tokens and log-probability)", arguments: configurations)
    func beamOneIsGreedy(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 43)
        var rng = SeededGenerator(seed: 44)
        for _ in 0..<5 {
            let source = (0..<Int.random(in: 1...5, using: &rng)).map { _ in Int32.random(in: 1..<7, using: &rng) }
            let greedy = model.greedyHypothesis(source, bos: 1, eos: 2, maxLength: 6)
            let beam = model.beamHypotheses(source, bos: 1, eos: 2, maxLength: 6, width: 1, alpha: 1)[0]
            #expect(beam.tokens == greedy.tokens)
            #expect(beam.finished == greedy.finished)
            #expect(abs(beam.logProbability - greedy.logProbability) <= 1e-6 * max(1, abs(greedy.logProbability)))
        }
    }

    /// A beam wide enough never to prune (width ≥ every finished and live hypothesis: 1 + 3 + 9 + 27) must return
    /// the best of every sequence the brute force scores from the teacher-forced probabilities:
    /// all y of up to maxLength − 1 non-EOS tokens followed by EOS, by ln P / (|y| + 1)^alpha.
    @Test("a non-pruning beam finds the brute-force best sequence", arguments: [Float(0), 1])
    func beamMatchesBruteForce(alpha: Float) throws {
        var spec = Seq2SeqTestSupport.spec(.gru, attention: .general, inputFeeding: true)
        spec.targetVocabulary = 4
        let model = try Seq2SeqModel(spec: spec, seed: 45)
        let (bos, eos, maxLength) = (Int32(1), Int32(2), 3)
        let source: [Int32] = [3, 5, 1]
        let nonEOS: [Int32] = [0, 1, 3]
        var best: (tokens: [Int32], score: Double) = ([], -.infinity)
        var frontier: [[Int32]] = [[]]
        for _ in 0..<maxLength {
            var next: [[Int32]] = []
            for y in frontier {
                let p = model.stepProbabilities(source, prefix: [bos] + y)
                var logP = 0.0
                for (t, id) in y.enumerated() { logP += Math.log(Double(p[t][Int(id)])) }
                logP += Math.log(Double(p[y.count][Int(eos)]))
                let score = logP / Math.exp(Double(alpha) * Math.log(Double(y.count + 1)))
                if score > best.score { best = (y, score) }
                next += nonEOS.map { y + [$0] }
            }
            frontier = next.filter { $0.count < maxLength }
        }
        let beam = model.beamHypotheses(source, bos: bos, eos: eos, maxLength: maxLength, width: 40, alpha: alpha)
        #expect(beam[0].finished)
        #expect(beam[0].tokens == best.tokens, "beam \(beam[0].tokens), brute force \(best.tokens)")
        #expect(abs(Double(beam[0].score) - best.score) <= 1e-4 * abs(best.score))
        #expect(model.beam(source, bos: bos, eos: eos, maxLength: maxLength, width: 40, alpha: alpha) == best.tokens)
    }
}
