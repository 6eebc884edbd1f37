import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// `recur import` against PyTorch itself: the committed fixtures (scripts/make-import-fixtures.py)
/// hold a state dict, inputs and PyTorch's outputs. The imported f32 model must give PyTorch's
/// outputs within 1e-5; the int8 model within the quantization bound of docs/IMPORT.md.
@Suite struct TorchParityTests {
    /// f32: only summation order and libm differ from PyTorch.
    static let f32Tolerance: Float = 1e-5
    /// int8 (per-row weights, per-step activations): docs/IMPORT.md, "How close" (the worst
    /// fixture measured 1.5e-3 on 2026-12-05).
    static let int8Tolerance: Float = 0.01

    struct Fixture {
        var options: TorchImportOptions
        var weights: [UInt8]
        var frames: [Float]
        var tokens: [Int32]
        var expected: [Float]
    }

    static func fixture(_ name: String) throws -> Fixture {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/import")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name + ".json"))) as! [String: Any]
        let task = TorchImportOptions.Task(rawValue: json["task"] as! String)!
        var options = TorchImportOptions(task: task, name: name)
        let floats = { (key: String) in (json[key] as? [NSNumber])?.map(\.floatValue) }
        options.labels = json["labels"] as? [String]
        options.window = json["window"] as? Int ?? 0
        options.hop = json["hop"] as? Int ?? 1
        options.mean = floats("mean")
        options.std = floats("std")
        options.vocabulary = json["vocab"] as? [String]
        let weights = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name + ".safetensors")))
        return Fixture(options: options, weights: weights, frames: floats("inputs") ?? [],
                       tokens: (json["tokens"] as? [Int])?.map { Int32($0) } ?? [], expected: floats("outputs")!)
    }

    /// The outputs of `model` for the fixture's inputs, as the fixture script lays them out.
    static func outputs(_ model: Model, _ fixture: Fixture) throws -> [Float] {
        var outputs: [Float] = []
        if model.task == .lm {
            let session = try model.makeLanguageSession()
            for token in fixture.tokens {
                try session.feed(Int(token))
                outputs += Array(session.probabilities(temperature: 1))
            }
        } else {
            let session = try model.makeFrameSession()
            let width = session.configuration.inputSize
            for start in stride(from: 0, to: fixture.frames.count, by: width) {
                if let result = try session.step(Array(fixture.frames[start..<(start + width)])) {
                    outputs += Array(result.outputs)
                }
            }
        }
        return outputs
    }

    /// Imports the fixture f32 and int8 and returns the largest difference from PyTorch of each.
    static func differences(_ name: String) throws -> (f32: Float, int8: Float) {
        var fixture = try fixture(name)
        var largest: [Float] = []
        for quantized in [false, true] {
            fixture.options.quantized = quantized
            let (plan, result) = try TorchImporter.run(bytes: fixture.weights, options: fixture.options, to: nil)
            // Per-row rounding error is at most half a step: max|row| / 254 (docs/IMPORT.md).
            for line in result.quantization {
                let tensor = plan.model.layers.flatMap(\.tensors).first { $0.name == line.tensor }!
                let largest = tensor.values.map(abs).max() ?? 0
                #expect(line.error.maxAbs <= largest / 254 * 1.0001, "\(name) \(line.tensor): \(line.error.maxAbs)")
            }
            let found = try outputs(result.model, fixture)
            #expect(found.count == fixture.expected.count, "\(name): \(found.count) outputs, PyTorch gave \(fixture.expected.count)")
            largest.append(zip(found, fixture.expected).map { abs($0 - $1) }.max() ?? .infinity)
        }
        return (largest[0], largest[1])
    }

    @Test(arguments: ["lstm-classifier", "gru-regressor", "embedding-lstm-lm"])
    func importedModelsMatchPyTorch(_ name: String) throws {
        let (f32, int8) = try Self.differences(name)
        print("\(name): largest difference from PyTorch: f32 \(f32), int8 \(int8)")
        #expect(f32 <= Self.f32Tolerance, "\(name): f32 differs from PyTorch by \(f32)")
        #expect(int8 <= Self.int8Tolerance, "\(name): int8 differs from PyTorch by \(int8)")
        // A check that can fail: the int8 model is not the f32 one.
        #expect(int8 > 0, "\(name): int8 outputs equal PyTorch's exactly, so nothing was quantized")
    }
}
