import Foundation
import Testing
import TestSupport
@testable import Trainer

/// Directional finite-difference checks over every parameter of whole stacked models at once.
///
/// KANN's check: draw a random direction d over all parameters; the analytic directional
/// derivative Σ g·d must equal (L(θ + εd) − L(θ − εd)) / 2ε. One number covers every layer,
/// the stacking, the dropout masks, the head and the loss together, so a gradient that is wrong
/// anywhere (or a layer that forgets to pass dX down) moves it.
@Suite struct GradientModelTests {
    /// Compares Σ g·d with the central difference along d; the loss re-runs the training forward
    /// with the dropout generator rewound, so every evaluation draws the same masks.
    func directional(_ model: SequenceModel, _ batch: Batch, initialState: [LayerState]? = nil,
                     seed: UInt64) -> (analytic: Double, numeric: Double) {
        let masks = model.dropoutRandom
        model.trainStep(batch, initialState: initialState)
        var rng = SeededGenerator(seed: seed)
        let directions = model.parameters.map { rng.uniforms($0.count) }
        var analytic = 0.0
        for (p, d) in zip(model.parameters, directions) {
            let g = p.grad
            for j in 0..<p.count { analytic += Double(g[j]) * Double(d[j]) }
        }
        let base = model.snapshot()
        func loss(_ sign: Float, _ eps: Float) -> Double {
            for (k, p) in model.parameters.enumerated() {
                let d = directions[k]
                p.value = (0..<p.count).map { base[k][$0] + sign * eps * d[$0] }
            }
            model.dropoutRandom = masks
            return model.forward(batch, training: true, initialState: initialState).loss
        }
        let eps: Float = 1e-3
        let numeric = (loss(1, eps) - loss(-1, eps)) / (2 * Double(eps))
        try? model.restore(base)
        return (analytic, numeric)
    }

    @Test("token lm: embedding → LSTM → GRU → RNN tanh → dense, dropout 0.25, masked targets, carried state")
    func tokenLanguageModel() throws {
        let spec = ModelSpec(input: .tokens(vocabulary: 7, embedding: 5),
                             layers: [.init(cell: .lstm, hidden: 6), .init(cell: .gru, hidden: 5),
                                      .init(cell: .rnnTanh, hidden: 4)],
                             dropout: 0.25, output: .lm(vocabulary: 7))
        let model = try SequenceModel(spec: spec, seed: 31)
        var rng = SeededGenerator(seed: 32)
        let (b, t) = (3, 5)
        let tokens = (0..<(b * t)).map { _ in Int32.random(in: 0..<7, using: &rng) }
        let targets = (0..<(b * t)).map { _ in Int32.random(in: 0..<7, using: &rng) }
        var mask = [Float](repeating: 1, count: b * t)
        mask[4] = 0; mask[9] = 0.5
        let batch = Batch(count: b, steps: t, inputs: .tokens(tokens), targets: .classes(targets), mask: mask)
        // A state carried in from a previous chunk (truncated BPTT): no gradient flows into it.
        let state = [LayerState(h: rng.uniforms(b * 6, -0.5, 0.5), c: rng.uniforms(b * 6, -0.5, 0.5)),
                     LayerState(h: rng.uniforms(b * 5, -0.5, 0.5)), LayerState(h: rng.uniforms(b * 4, -0.5, 0.5))]
        let (analytic, numeric) = directional(model, batch, initialState: state, seed: 33)
        // float32 forward, eps 1e-3: the difference quotient is good to ~1e-3 of the loss scale.
        #expect(abs(analytic - numeric) <= 2e-3 * max(1, abs(numeric)), "analytic \(analytic), numeric \(numeric)")
        #expect(abs(analytic) > 1e-2, "the direction must actually change the loss (\(analytic))")
    }

    @Test("frame classifier: GRU → LSTM → RNN relu → dense softmax over the last step")
    func frameClassifier() throws {
        let spec = ModelSpec(input: .frames(size: 3),
                             layers: [.init(cell: .gru, hidden: 5), .init(cell: .lstm, hidden: 4),
                                      .init(cell: .rnnRelu, hidden: 6)],
                             dropout: 0, output: .classifier(classes: 4))
        let model = try SequenceModel(spec: spec, seed: 41)
        var rng = SeededGenerator(seed: 42)
        let (b, t) = (4, 6)
        let batch = Batch(count: b, steps: t, inputs: .frames(rng.uniforms(b * t * 3), features: 3),
                          targets: .classes([0, 3, 1, 2]))
        let (analytic, numeric) = directional(model, batch, seed: 43)
        #expect(abs(analytic - numeric) <= 2e-3 * max(1, abs(numeric)), "analytic \(analytic), numeric \(numeric)")
        #expect(abs(analytic) > 1e-2)
    }

    @Test("frame regressor: LSTM → LSTM (hidden 9 and 17: SIMD bodies and tails) → dense, MSE")
    func frameRegressor() throws {
        let spec = ModelSpec(input: .frames(size: 2),
                             layers: [.init(cell: .lstm, hidden: 9), .init(cell: .lstm, hidden: 17)],
                             dropout: 0.1, output: .regressor(outputs: 2))
        let model = try SequenceModel(spec: spec, seed: 51)
        var rng = SeededGenerator(seed: 52)
        let (b, t) = (3, 7)
        let batch = Batch(count: b, steps: t, inputs: .frames(rng.uniforms(b * t * 2), features: 2),
                          targets: .values(rng.uniforms(b * 2), outputs: 2))
        let (analytic, numeric) = directional(model, batch, seed: 53)
        #expect(abs(analytic - numeric) <= 2e-3 * max(1, abs(numeric)), "analytic \(analytic), numeric \(numeric)")
        #expect(abs(analytic) > 1e-2)
    }

    @Test("a deliberately wrong gradient is caught: the check is not vacuous")
    func wrongGradientIsDetected() throws {
        let spec = ModelSpec(input: .frames(size: 3), layers: [.init(cell: .lstm, hidden: 5)],
                             output: .classifier(classes: 3))
        let model = try SequenceModel(spec: spec, seed: 61)
        var rng = SeededGenerator(seed: 62)
        let batch = Batch(count: 2, steps: 4, inputs: .frames(rng.uniforms(24), features: 3),
                          targets: .classes([2, 0]))
        // Same check as above, but with weight_hh's gradient off by 0.05 · d (a small error in one tensor).
        model.trainStep(batch)
        let whh = model.parameter(named: "enc.0.weight_hh")!
        var directions = SeededGenerator(seed: 63)
        let d = model.parameters.map { directions.uniforms($0.count) }
        var good = 0.0, bad = 0.0
        for (p, dp) in zip(model.parameters, d) {
            let g = p.grad
            for j in 0..<p.count {
                good += Double(g[j]) * Double(dp[j])
                bad += Double(g[j] + (p === whh ? 0.05 * dp[j] : 0)) * Double(dp[j])
            }
        }
        let (_, numeric) = directional(model, batch, seed: 63)
        #expect(abs(good - numeric) <= 2e-3 * max(1, abs(numeric)))
        #expect(abs(bad - numeric) > 2e-3 * max(1, abs(numeric)))
    }

    @Test("token classifier: embedding dropout, bidirectional LSTM → bidirectional GRU, dropout, each pooling (last, mean, max)",
          arguments: ModelSpec.Pool.allCases)
    func bidirectionalTokenClassifier(pool: ModelSpec.Pool) throws {
        let spec = ModelSpec(input: .tokens(vocabulary: 9, embedding: 4),
                             layers: [.init(cell: .lstm, hidden: 5, bidirectional: true),
                                      .init(cell: .gru, hidden: 3, bidirectional: true)],
                             dropout: 0.2, output: .classifier(classes: 3), pool: pool, embeddingDropout: 0.25)
        let model = try SequenceModel(spec: spec, seed: 71)
        #expect(model.parameter(named: "enc.2.weight_ih_reverse")?.cols == 10, "layer 2 reads both directions of layer 1")
        var rng = SeededGenerator(seed: 72)
        let (b, t) = (3, 6)
        let tokens = (0..<(b * t)).map { _ in Int32.random(in: 0..<9, using: &rng) }
        let batch = Batch(count: b, steps: t, inputs: .tokens(tokens), targets: .classes([2, 0, 1]))
        let (analytic, numeric) = directional(model, batch, seed: 73)
        #expect(abs(analytic - numeric) <= 2e-3 * max(1, abs(numeric)), "analytic \(analytic), numeric \(numeric)")
        #expect(abs(analytic) > 1e-2)
    }

    @Test("token classifier: every element of every gradient, one bidirectional RNN layer, mean and max pooling",
          arguments: [ModelSpec.Pool.mean, .max, .last])
    func bidirectionalElementwise(pool: ModelSpec.Pool) throws {
        let spec = ModelSpec(input: .tokens(vocabulary: 5, embedding: 3),
                             layers: [.init(cell: .rnnTanh, hidden: 3, bidirectional: true)],
                             output: .classifier(classes: 2), pool: pool)
        let model = try SequenceModel(spec: spec, seed: 81)
        let batch = Batch(count: 2, steps: 4, inputs: .tokens([1, 4, 2, 0, 3, 3, 1, 2]), targets: .classes([1, 0]))
        model.trainStep(batch)
        let worst = GradientCheck().check(model.parameters) { model.forward(batch, training: false).loss }
        #expect(worst <= 1)
    }

    @Test("pooling arithmetic: last [h_fwd(T−1) ; h_bwd(0)], mean Σ y_t / T, max element-wise, recomputed by hand from the layer outputs",
          arguments: ModelSpec.Pool.allCases)
    func poolingMatchesHandComputation(pool: ModelSpec.Pool) throws {
        let spec = ModelSpec(input: .tokens(vocabulary: 6, embedding: 3),
                             layers: [.init(cell: .gru, hidden: 4, bidirectional: true)],
                             output: .classifier(classes: 3), pool: pool)
        let model = try SequenceModel(spec: spec, seed: 91)
        let (b, t, h) = (2, 5, 4)
        let p = model.predict(.tokens([1, 2, 3, 2, 5, 5, 4, 3, 0, 1]), count: b, steps: t)
        // Time-major (T, B, H); the reverse direction's step s is position T − 1 − s.
        let fwd = model.recurrent[0].outputs, bwd = model.reverse[0]!.outputs
        let w = model.head.weight.value, bias = model.head.bias.value
        for n in 0..<b {
            func y(_ s: Int, _ j: Int) -> Float { j < h ? fwd[(s * b + n) * h + j] : bwd[((t - 1 - s) * b + n) * h + j - h] }
            var pooled = [Double](repeating: 0, count: 2 * h)
            for j in 0..<(2 * h) {
                switch pool {
                case .last: pooled[j] = Double(j < h ? y(t - 1, j) : y(0, j))
                case .mean: pooled[j] = (0..<t).reduce(0.0) { $0 + Double(y($1, j)) } / Double(t)
                case .max: pooled[j] = Double((0..<t).map { y($0, j) }.max()!)
                }
            }
            let logits = (0..<3).map { c in (0..<(2 * h)).reduce(Double(bias[c])) { $0 + Double(w[c * 2 * h + $1]) * pooled[$1] } }
            let top = logits.max()!
            let total = logits.reduce(0.0) { $0 + Foundation.exp($1 - top) }
            for c in 0..<3 {
                let expected = Foundation.exp(logits[c] - top) / total
                #expect(abs(Double(p[n * 3 + c]) - expected) <= 1e-5, "\(pool), sequence \(n), class \(c)")
            }
        }
    }
}
