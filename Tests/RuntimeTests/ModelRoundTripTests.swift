import RecurRuntime
import Testing
import TestSupport

/// Export → load → step round trips: every task and layer type, stepping one
/// timestep at a time equals an independent double-precision whole-sequence pass.
@Suite("Model round trips")
struct ModelRoundTripTests {
    static func frames(_ count: Int, _ size: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.uniforms(size, -2, 2) }
    }

    /// Steps every frame through a fresh session and collects each result's outputs.
    static func stepAll(_ model: Model, _ frames: [[Float]], kernels: KernelPath = .best) throws -> [[Float]] {
        let session = try model.makeFrameSession(kernels: kernels)
        var results: [[Float]] = []
        for frame in frames {
            if let result = try session.step(frame) { results.append(Array(result.outputs)) }
        }
        return results
    }

    static func expectClose(_ found: [[Float]], _ reference: [[Double]], tolerance: Double = 1e-5) {
        #expect(found.count == reference.count)
        for (t, (row, ref)) in zip(found, reference).enumerated() {
            #expect(row.count == ref.count)
            for (i, (a, b)) in zip(row, ref).enumerated() {
                #expect(close(a, b, tolerance: tolerance), "step \(t) output \(i): runtime \(a), reference \(b)")
            }
        }
    }

    @Test("f32 regressor, every cell and dense activation: step-by-step equals the double reference",
          arguments: [
            (["lstm"], ["none"]), (["gru"], ["relu"]), (["rnn_tanh"], ["tanh"]), (["rnn_relu"], ["none"]),
            (["lstm", "gru"], ["relu", "none"]), (["gru", "rnn_tanh", "lstm"], ["tanh", "softmax"]),
          ])
    func regressorMatchesReference(cells: [String], heads: [String]) throws {
        let fixture = ModelFixture.regressor(cells: cells, heads: heads)
        let model = try fixture.model(.f32)
        #expect(model.task == .regressor)
        #expect(model.layers.count == cells.count + heads.count)
        let frames = Self.frames(20, fixture.inputSize, seed: 11)
        let found = try Self.stepAll(model, frames)
        Self.expectClose(found, ModelReference(fixture: fixture).run(frames: frames))
    }

    @Test("f32 classifier with mean/std: window 0 hop 1 gives the reference's probabilities every step")
    func classifierMatchesReference() throws {
        var fixture = ModelFixture.classifier(cells: ["lstm", "lstm"])
        fixture.window = 0
        fixture.hop = 1
        let model = try fixture.model(.f32)
        #expect(model.frames?.labels == ["L0", "L1", "L2", "L3"])
        #expect(model.frames?.mean == fixture.mean)
        let frames = Self.frames(15, fixture.inputSize, seed: 12)
        let session = try model.makeFrameSession()
        let reference = ModelReference(fixture: fixture).run(frames: frames)
        for (t, frame) in frames.enumerated() {
            let result = try #require(try session.step(frame))
            #expect(result.sampleIndex == t)
            let probabilities = Array(result.outputs)
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
            #expect(result.label == best)
            for i in 0..<probabilities.count { #expect(close(probabilities[i], reference[t][i])) }
        }
    }

    @Test("F16 weights load as the same numbers as F32: outputs bit-identical")
    func f16EqualsF32() throws {
        let fixture = ModelFixture.regressor(cells: ["gru", "lstm"], heads: ["tanh", "none"])
        let frames = Self.frames(12, fixture.inputSize, seed: 13)
        let f32 = try Self.stepAll(try fixture.model(.f32), frames)
        let f16Model = try fixture.model(.f16)
        #expect(f16Model.layers.allSatisfy { $0.weightType == .f16 })
        let f16 = try Self.stepAll(f16Model, frames)
        #expect(f16.map { $0.map(\.bitPattern) } == f32.map { $0.map(\.bitPattern) })
    }

    @Test("int8 weights: close to the f32 reference (quantization error only), every cell type",
          arguments: ["lstm", "gru", "rnn_tanh", "rnn_relu"])
    func int8CloseToReference(cell: String) throws {
        let fixture = ModelFixture.regressor(cells: [cell], heads: ["none"])
        let model = try fixture.model(.int8)
        #expect(model.layers.allSatisfy { $0.weightType == .int8 })
        let frames = Self.frames(16, fixture.inputSize, seed: 14)
        let found = try Self.stepAll(model, frames)
        let reference = ModelReference(fixture: fixture).run(frames: frames)
        var largest = 0.0
        for (row, ref) in zip(found, reference) {
            for (a, b) in zip(row, ref) { largest = max(largest, abs(Double(a) - b)) }
        }
        // Weights and activations quantized to 8 bits: errors of a few percent of O(1) values.
        #expect(largest < 0.1, "largest int8-vs-f32 difference \(largest)")
        #expect(largest > 0, "int8 path should differ from the f32 reference somewhere")
    }

    @Test("f32 lm: logits after every token equal the double reference")
    func lmMatchesReference() throws {
        for cell in ["lstm", "gru"] {
            let fixture = ModelFixture.lm(cells: [cell])
            let model = try fixture.model(.f32)
            #expect(model.task == .lm)
            #expect(model.language?.vocabulary.count == 7)
            let tokens = [1, 2, 3, 6, 1, 5, 4, 0, 2]
            let session = try model.makeLanguageSession()
            let reference = ModelReference(fixture: fixture).run(tokens: tokens)
            for (t, token) in tokens.enumerated() {
                try session.feed(token)
                let logits = Array(session.logits)
                for i in 0..<logits.count {
                    #expect(close(logits[i], reference[t][i]), "token \(t) logit \(i)")
                }
            }
        }
    }

    @Test("parameter count and layer description match the fixture")
    func layerInfo() throws {
        let model = try ModelFixture.classifier(cells: ["gru"], input: 3, hidden: 8, classes: 4).model(.int8)
        #expect(model.layers.map(\.kind) == [.gru, .dense(.softmax)])
        // GRU: 3·8·(3 + 8 + 2); dense: 4·(8 + 1).
        #expect(model.parameterCount == 24 * 13 + 36)
        let frames = try #require(model.frames)
        #expect(frames.window == 8 && frames.hop == 3)
        #expect(frames.inputSize == 3 && frames.outputSize == 4)
        #expect(frames.outputs == .labels(["L0", "L1", "L2", "L3"]) && model.language == nil && model.seq2seq == nil)
    }
}
