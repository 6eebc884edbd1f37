import Testing
import TestSupport
@testable import Trainer

/// Shared helpers of the seq2seq tests: small specs, random padded batches, the directional check.
enum Seq2SeqTestSupport {
    /// A tiny spec; every size differs so a transposed shape cannot pass.
    static func spec(_ cell: ModelSpec.Cell = .lstm, attention: Seq2SeqSpec.Attention = .general,
                     bidirectional: Bool = false, inputFeeding: Bool = false, bridge: Seq2SeqSpec.Bridge = .zero,
                     encoderLayers: Int = 1, decoderLayers: Int = 1, dropout: Float = 0) -> Seq2SeqSpec {
        Seq2SeqSpec(sourceVocabulary: 7, targetVocabulary: 6, sourceEmbedding: 4, targetEmbedding: 3, cell: cell,
                    hidden: 3, encoderLayers: encoderLayers, decoderLayers: decoderLayers, bidirectional: bidirectional,
                    attention: attention, attentionSize: 4, inputFeeding: inputFeeding, bridge: bridge, combine: 5,
                    dropout: dropout)
    }

    /// A batch of `count` random pairs with the given lengths, padded with 0 (target: BOS = 1, EOS = 2).
    static func batch(_ spec: Seq2SeqSpec, sourceLengths: [Int], targetLengths: [Int], seed: UInt64) -> Seq2SeqBatch {
        var rng = SeededGenerator(seed: seed)
        let b = sourceLengths.count, s = sourceLengths.max()!, t = targetLengths.max()!
        var source = [Int32](repeating: 0, count: b * s)
        var input = [Int32](repeating: 0, count: b * t), output = [Int32](repeating: 0, count: b * t)
        for i in 0..<b {
            for j in 0..<sourceLengths[i] { source[i * s + j] = Int32.random(in: 1..<Int32(spec.sourceVocabulary), using: &rng) }
            let m = targetLengths[i]
            let words = (0..<(m - 1)).map { _ in Int32.random(in: 3..<Int32(spec.targetVocabulary), using: &rng) }
            let seqIn = [Int32(1)] + words, seqOut = words + [Int32(2)]
            for k in 0..<m { input[i * t + k] = seqIn[k]; output[i * t + k] = seqOut[k] }
        }
        return Seq2SeqBatch(count: b, sourceSteps: s, targetSteps: t, source: source, sourceLengths: sourceLengths,
                            targetInput: input, targetOutput: output, targetLengths: targetLengths)
    }

    /// A tiny image → text spec: 6×6×1 images, conv 3×3 (4 filters) → ReLU → 2×2 max-pool, a
    /// 2×2×4 memory; the decoder as `spec(…)` with `hidden` units.
    static func imageSpec(_ cell: ModelSpec.Cell = .lstm, attention: Seq2SeqSpec.Attention = .general, hidden: Int = 3,
                          inputFeeding: Bool = false, layers: [ImageEncoderSpec.Layer]? = nil,
                          channels: Int = 1, dropout: Float = 0) -> Seq2SeqSpec {
        var s = spec(cell, attention: attention, inputFeeding: inputFeeding, dropout: dropout)
        s.hidden = hidden
        s.image = ImageEncoderSpec(input: ImageShape(height: 6, width: 6, channels: channels), layers: layers ?? [
            .conv2d(filters: 4, window: ImageWindow(size: 3)), .relu, .maxpool(window: ImageWindow(size: 2, stride: 2)),
        ])
        return s
    }

    /// A batch of random images (pixels in [0, 1]) with random targets of the given lengths.
    static func imageBatch(_ spec: Seq2SeqSpec, targetLengths: [Int], seed: UInt64) throws -> Seq2SeqBatch {
        let image = try #require(spec.image)
        let rows = try image.memoryRows(), b = targetLengths.count
        var result = batch(spec, sourceLengths: [Int](repeating: 1, count: b), targetLengths: targetLengths, seed: seed)
        var rng = SeededGenerator(seed: seed + 1)
        result.source = []
        result.sourceSteps = rows
        result.sourceLengths = [Int](repeating: rows, count: b)
        result.images = rng.uniforms(b * image.input.count, 0, 1)
        return result
    }

    /// The largest |ln p_trainer − ln p_runtime| over every step of teacher-forcing `prefix` (BOS
    /// = 1 added in front); `runtime(prefix[0..<t])` gives the Runtime's ln p of step t.
    static func largestLogDifference(_ model: Seq2SeqModel, _ source: Seq2SeqSource, prefix: [Int32],
                                     runtime: ([Int32]) throws -> [Float]) throws -> Float {
        let trainer = model.stepProbabilities(source, prefix: [1] + prefix)
        var worst: Float = 0
        for t in 0...prefix.count {
            for (p, l) in zip(trainer[t], try runtime(Array(prefix[0..<t]))) {
                worst = max(worst, abs(Float(Math.log(Double(p))) - l))
            }
        }
        return worst
    }

    /// KANN's directional check for any model: after `train` has left the analytic gradient in
    /// every parameter, Σ g·d against (L(θ + εd) − L(θ − εd)) / 2ε along a random direction d
    /// over all parameters; `loss` must re-run the same training forward (same dropout masks).
    static func directional(_ model: some TrainableModel, seed: UInt64, train: () -> Void,
                            loss: () -> Double) -> (analytic: Double, numeric: Double) {
        train()
        var rng = SeededGenerator(seed: seed)
        let base = model.snapshot()
        var analytic = 0.0
        var shifted: [[Float]] = []
        for p in model.parameters {
            let d = rng.uniforms(p.count)
            let g = p.grad
            analytic += zip(g, d).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            shifted.append(d)
        }
        let eps: Float = 1e-3
        func at(_ step: Float) -> Double {
            try? model.restore(zip(base, shifted).map { v, d in zip(v, d).map { $0 + step * $1 } })
            return loss()
        }
        let numeric = (at(eps) - at(-eps)) / (2 * Double(eps))
        try? model.restore(base)
        return (analytic, numeric)
    }

    /// The directional check of a seq2seq model on `batch`, the dropout generator rewound for
    /// every forward; `corrupt` may damage the analytic gradient (to prove the check fails).
    static func directional(_ model: Seq2SeqModel, _ batch: Seq2SeqBatch, seed: UInt64,
                            corrupt: ((Seq2SeqModel) -> Void)? = nil) -> (analytic: Double, numeric: Double) {
        let masks = model.dropoutRandom
        defer { model.dropoutRandom = masks }
        return directional(model, seed: seed, train: {
            model.trainStep(batch)
            corrupt?(model)
        }, loss: {
            model.dropoutRandom = masks
            return model.forward(batch, training: true).loss
        })
    }

    /// True when analytic and numeric agree to float32 finite-difference accuracy.
    static func agree(_ r: (analytic: Double, numeric: Double)) -> Bool {
        abs(r.analytic - r.numeric) <= 2e-3 * max(1, abs(r.numeric))
    }
}
