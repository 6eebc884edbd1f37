import Foundation
import RecurRuntime
import Testing
import TestSupport
@testable import Trainer

/// The exported file computes what the trainer computes: the Runtime's f32 path equals the
/// trainer's forward pass to 1e-5 relative for every layer type, and the int8 file stays within
/// a stated bound of it.
@Suite struct ExportParityTests {
    /// One network to check: its spec and the task keys its file needs.
    struct Case: CustomStringConvertible {
        var name: String
        var spec: ModelSpec
        var description: String { name }
    }

    static let frameCases: [Case] = [
        Case(name: "lstm", spec: ModelSpec(input: .frames(size: 3), layers: [.init(cell: .lstm, hidden: 7)], output: .regressor(outputs: 2))),
        Case(name: "gru", spec: ModelSpec(input: .frames(size: 3), layers: [.init(cell: .gru, hidden: 7)], output: .regressor(outputs: 2))),
        Case(name: "rnn tanh", spec: ModelSpec(input: .frames(size: 3), layers: [.init(cell: .rnnTanh, hidden: 7)], output: .regressor(outputs: 2))),
        Case(name: "rnn relu", spec: ModelSpec(input: .frames(size: 3), layers: [.init(cell: .rnnRelu, hidden: 7)], output: .regressor(outputs: 2))),
        Case(name: "stack lstm+gru+rnn", spec: ModelSpec(input: .frames(size: 3),
             layers: [.init(cell: .lstm, hidden: 6), .init(cell: .gru, hidden: 5), .init(cell: .rnnTanh, hidden: 4)],
             output: .regressor(outputs: 2))),
        Case(name: "classifier (dense softmax)", spec: ModelSpec(input: .frames(size: 3),
             layers: [.init(cell: .gru, hidden: 8), .init(cell: .lstm, hidden: 8)], output: .classifier(classes: 4))),
    ]

    /// Task keys a frame model's file needs: input size, one result per sequence of `steps`.
    static func frameKeys(_ spec: ModelSpec, steps: Int) -> [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = [("recur.input.size", .uint32(UInt32(spec.firstLayerInput))),
                                           ("recur.window", .uint32(UInt32(steps))), ("recur.hop", .uint32(UInt32(steps)))]
        switch spec.output {
        case .classifier(let c): keys.append(("recur.labels", .array(.string((0..<c).map { "class\($0)" }))))
        case .regressor(let o): keys.append(("recur.output.size", .uint32(UInt32(o))))
        case .lm: break
        }
        return keys
    }

    /// Largest |runtime − trainer| / max(|trainer|, floor) over all outputs.
    static func relativeError(_ found: [Float], _ expected: [Float], floor: Float = 1e-3) -> Float {
        precondition(found.count == expected.count, "\(found.count) outputs for \(expected.count)")
        var worst: Float = 0
        for (a, b) in zip(found, expected) { worst = max(worst, abs(a - b) / max(abs(b), floor)) }
        return worst
    }

    /// Runtime outputs after the last frame of each sequence (a fresh window per sequence).
    static func runtimeOutputs(_ model: Model, frames: [Float], count: Int, steps: Int, features: Int) throws -> [Float] {
        let session = try model.makeFrameSession()
        var out: [Float] = []
        for n in 0..<count {
            var last: [Float] = []
            for t in 0..<steps {
                let start = (n * steps + t) * features
                if let r = try session.step(Array(frames[start..<(start + features)])) { last = Array(r.outputs) }
            }
            out += last
        }
        return out
    }

    @Test(arguments: frameCases)
    func frameModelsMatchTheTrainer(_ c: Case) throws {
        let model = try SequenceModel(spec: c.spec, seed: 11)
        let (count, steps, features) = (5, 9, c.spec.firstLayerInput)
        var random = SeededGenerator(seed: 21)
        let frames = random.uniforms(count * steps * features, -2, 2)
        let expected = model.predict(.frames(frames, features: features), count: count, steps: steps)
        let exportModel = ExportModel(name: c.name, model: model, taskKeys: Self.frameKeys(c.spec, steps: steps))
        let inputs: [SelfTestInput] = [.frames(Array(frames[0..<(steps * features)]))]

        let f32 = try Exporter.export(exportModel, quantized: false, selfTestInputs: inputs, to: nil)
        let f32Outputs = try Self.runtimeOutputs(f32.model, frames: frames, count: count, steps: steps, features: features)
        // f32: the same arithmetic in a different order (BLAS vs the C core): 1e-5 relative.
        #expect(Self.relativeError(f32Outputs, expected) <= 1e-5, "\(c.name) f32")

        let int8 = try Exporter.export(exportModel, quantized: true, selfTestInputs: inputs, to: nil)
        let int8Outputs = try Self.runtimeOutputs(int8.model, frames: frames, count: count, steps: steps, features: features)
        // int8: per-row weights within scale/2 of f32 and int8 activations; stated bound 0.05 absolute
        // on outputs of order 0.1–1 for these untrained networks.
        let worst = zip(int8Outputs, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 0.05, "\(c.name) int8 worst \(worst)")
        #expect(int8.selfTests == 1 && int8.quantization.count == c.spec.layers.count * 2 + 1)
    }

    @Test func embeddingLanguageModelMatchesTheTrainer() throws {
        let vocabulary = 11
        let spec = ModelSpec(input: .tokens(vocabulary: vocabulary, embedding: 6),
                             layers: [.init(cell: .lstm, hidden: 9), .init(cell: .gru, hidden: 7)], output: .lm(vocabulary: vocabulary))
        let model = try SequenceModel(spec: spec, seed: 5)
        var random = SeededGenerator(seed: 8)
        let tokens = (0..<25).map { _ in Int32.random(in: 0..<Int32(vocabulary), using: &random) }
        // (1, T, V) next-token probabilities after every token.
        let expected = model.predict(.tokens(tokens), count: 1, steps: tokens.count)
        let keys: [(String, GGUFValue)] = [("recur.vocab", .array(.string((0..<vocabulary).map { String(UnicodeScalar(97 + $0)!) })))]
        let exportModel = ExportModel(name: "lm", model: model, taskKeys: keys)
        for quantized in [false, true] {
            let result = try Exporter.export(exportModel, quantized: quantized, selfTestInputs: [.tokens(tokens)], to: nil)
            // The embedded self-test is exactly the Runtime's probabilities after every token.
            let found = result.model.selfTests[0].expected
            if quantized {
                let worst = zip(found, expected).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst <= 0.02, "int8 lm worst probability difference \(worst)")
            } else {
                #expect(Self.relativeError(found, expected) <= 1e-5)
            }
        }
    }
}
