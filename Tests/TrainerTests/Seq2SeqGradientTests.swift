import Testing
import TestSupport
@testable import Trainer

/// Finite-difference checks of the seq2seq attention (element by element) and of whole small
/// encoder–decoder models (directional, over every parameter at once).
@Suite struct Seq2SeqGradientTests {
    /// An attention of `kind` for B = 2 with random memory (2, S, E) and queries (T, 2, H_d).
    func setUp(_ kind: Seq2SeqSpec.Attention, sourceSteps s: Int, steps t: Int, seed: UInt64)
        -> (Seq2SeqSpec, Seq2SeqAttention, memory: Tensor, queries: Tensor)
    {
        let spec = Seq2SeqTestSupport.spec(attention: kind)
        var random = SeededRandom(seed: seed)
        let attention = Seq2SeqAttention(spec: spec, random: &random)
        var rng = SeededGenerator(seed: seed + 100)
        let memory = Tensor(rng.uniforms(2 * s * spec.encoderOutput))
        let queries = Tensor(rng.uniforms(t * 2 * spec.decoderHidden))
        return (spec, attention, memory, queries)
    }

    /// Attention + combine for B = 2 sequences of lengths 3 and 2 (the second has a pad
    /// position), T = 2 decoder steps; loss = Σ r ⊙ h̃ in double. Checks every parameter, every
    /// memory element and every query element against central differences, and that the pad
    /// row of the memory gets exactly zero gradient.
    @Test("attention: central differences for every parameter, memory and query element", arguments: Seq2SeqSpec.Attention.allCases)
    func attention(kind: Seq2SeqSpec.Attention) {
        let (spec, attention, memory, queries) = setUp(kind, sourceSteps: 3, steps: 2, seed: 5)
        let (b, s, t, e, hd) = (2, 3, 2, spec.encoderOutput, spec.decoderHidden)
        let lengths = [3, 2]
        var rng = SeededGenerator(seed: 6)
        let r = rng.uniforms(t * b * spec.combine)
        func loss() -> Double {
            attention.start(memory: memory.data, lengths: lengths, batch: b, sourceSteps: s, steps: t)
            attention.forward(0, t, queries: queries.data)
            return projection(attention.outputs.data, r)
        }
        _ = loss()
        for p in attention.parameters { p.zeroGrad() }
        let dQueries = Tensor(count: t * b * hd)
        attention.startBackward()
        r.withUnsafeBufferPointer { attention.backward(0, t, dOutput: $0.baseAddress!, dQueries: dQueries.data) }
        attention.finishBackward()
        let dMemory = attention.dMemory.array
        let check = GradientCheck()
        #expect(check.check(attention.parameters, loss: loss) <= 1)
        #expect(check.worst("memory", values: memory.data, count: memory.count, analytic: dMemory, loss: loss) <= 1)
        #expect(check.worst("queries", values: queries.data, count: queries.count, analytic: dQueries.array, loss: loss) <= 1)
        // sequence 1, position 2 is a pad: masked out of the softmax, so no gradient at all
        let pad = (1 * s + 2) * e
        #expect(dMemory[pad..<(pad + e)].allSatisfy { $0 == 0 }, "pad memory row got gradient \(dMemory[pad..<(pad + e)])")
        #expect(dMemory.contains { abs($0) > 1e-3 }, "the memory must receive gradient")
    }

    /// Attention over all steps at once equals attention one step at a time (input feeding's path).
    @Test("attention: all steps at once == one step at a time", arguments: Seq2SeqSpec.Attention.allCases)
    func stepwiseEqualsBatched(kind: Seq2SeqSpec.Attention) {
        let (spec, attention, memory, queries) = setUp(kind, sourceSteps: 4, steps: 3, seed: 8)
        let (b, s, t, hd) = (2, 4, 3, spec.decoderHidden)
        attention.start(memory: memory.data, lengths: [2, 4], batch: b, sourceSteps: s, steps: t)
        attention.forward(0, t, queries: queries.data)
        let all = attention.outputs.array
        attention.start(memory: memory.data, lengths: [2, 4], batch: b, sourceSteps: s, steps: t)
        for k in 0..<t { attention.forward(k, k + 1, queries: queries.data + k * b * hd) }
        let stepped = attention.outputs.array
        for (x, y) in zip(all, stepped) { #expect(abs(x - y) <= 1e-6 * max(1, abs(x))) }
    }

    /// Whole models: encoder embedding and layers (both directions), decoder, attention, combine,
    /// output and the masked loss, with padded sources and targets of different lengths.
    @Test("whole seq2seq models: directional check over every parameter", arguments: [
        Seq2SeqTestSupport.spec(.lstm, attention: .general),
        Seq2SeqTestSupport.spec(.gru, attention: .dot, bidirectional: true),
        Seq2SeqTestSupport.spec(.lstm, attention: .additive, bidirectional: true, inputFeeding: true, bridge: .copy),
        Seq2SeqTestSupport.spec(.gru, attention: .general, inputFeeding: true, bridge: .copy, encoderLayers: 2, decoderLayers: 2),
        Seq2SeqTestSupport.spec(.lstm, attention: .dot, bidirectional: true, bridge: .copy, encoderLayers: 2, decoderLayers: 2, dropout: 0.3),
        Seq2SeqTestSupport.spec(.rnnTanh, attention: .additive, inputFeeding: true, encoderLayers: 2, decoderLayers: 1, dropout: 0.2),
    ])
    func wholeModel(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 21)
        let batch = Seq2SeqTestSupport.batch(spec, sourceLengths: [4, 2, 3], targetLengths: [2, 4, 3], seed: 22)
        let result = Seq2SeqTestSupport.directional(model, batch, seed: 23)
        #expect(Seq2SeqTestSupport.agree(result), "analytic \(result.analytic), numeric \(result.numeric)")
        #expect(abs(result.analytic) > 1e-2, "the direction must actually change the loss (\(result.analytic))")
        // every parameter gets some gradient (nothing is disconnected)
        model.trainStep(batch)
        for p in model.parameters { #expect(p.grad.contains { $0 != 0 }, "\(p.name) got no gradient") }
    }

    /// The check is not vacuous: one gradient element off by 0.05 is detected.
    @Test("the directional check catches a deliberately wrong gradient")
    func catchesWrongGradient() throws {
        let spec = Seq2SeqTestSupport.spec(.lstm, attention: .additive, bidirectional: true, inputFeeding: true, bridge: .copy)
        let model = try Seq2SeqModel(spec: spec, seed: 21)
        let batch = Seq2SeqTestSupport.batch(spec, sourceLengths: [4, 2, 3], targetLengths: [2, 4, 3], seed: 22)
        let wrong = Seq2SeqTestSupport.directional(model, batch, seed: 23) { m in
            m.parameter(named: "att.v")!.gradient[1] += 0.05
        }
        #expect(!Seq2SeqTestSupport.agree(wrong), "a wrong gradient passed: \(wrong)")
        let right = Seq2SeqTestSupport.directional(model, batch, seed: 23)
        #expect(Seq2SeqTestSupport.agree(right), "\(right)")
    }

    /// Padding is invisible: a pair's loss is the same alone and inside a padded batch.
    @Test("padding does not change a pair's loss", arguments: [false, true])
    func paddingIsMasked(bidirectional: Bool) throws {
        let spec = Seq2SeqTestSupport.spec(.gru, attention: .general, bidirectional: bidirectional, bridge: .copy)
        let model = try Seq2SeqModel(spec: spec, seed: 3)
        let padded = Seq2SeqTestSupport.batch(spec, sourceLengths: [2, 5], targetLengths: [2, 4], seed: 4)
        let paddedLoss = model.evaluate(padded)
        // pair 0 alone, without pads
        let alone = Seq2SeqBatch(count: 1, sourceSteps: 2, targetSteps: 2, source: Array(padded.source[0..<2]),
                                 sourceLengths: [2], targetInput: Array(padded.targetInput[0..<2]),
                                 targetOutput: Array(padded.targetOutput[0..<2]), targetLengths: [2])
        let pair1 = Seq2SeqBatch(count: 1, sourceSteps: 5, targetSteps: 4, source: Array(padded.source[5..<10]),
                                 sourceLengths: [5], targetInput: Array(padded.targetInput[4..<8]),
                                 targetOutput: Array(padded.targetOutput[4..<8]), targetLengths: [4])
        let l0 = model.evaluate(alone), l1 = model.evaluate(pair1)
        let combined = (l0.loss * l0.weight + l1.loss * l1.weight) / (l0.weight + l1.weight)
        #expect(abs(paddedLoss.loss - combined) <= 1e-5 * combined, "\(paddedLoss.loss) vs \(combined)")
    }
}
