import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// `recur quantize` and `recur inspect` on real exported files.
@Suite struct ExportQuantizeTests {
    func sample() throws -> (ExportModel, [SelfTestInput]) {
        let spec = ModelSpec(input: .frames(size: 2), layers: [.init(cell: .gru, hidden: 5)], output: .regressor(outputs: 1))
        let model = try SequenceModel(spec: spec, seed: 3)
        let keys: [(String, GGUFValue)] = [("recur.input.size", .uint32(2)), ("recur.output.size", .uint32(1)),
                                           ("recur.window", .uint32(4)), ("recur.hop", .uint32(4))]
        return (ExportModel(name: "gru", model: model, taskKeys: keys), [.frames([0.5, 1, -1, 0.25, 0, 0, 2, -2])])
    }

    @Test func quantizingTheF32FileGivesTheDirectInt8Export() throws {
        let (model, inputs) = try sample()
        let f32 = try Exporter.export(model, quantized: false, selfTestInputs: inputs, to: nil)
        let direct = try Exporter.export(model, quantized: true, selfTestInputs: inputs, to: nil)
        let (read, readInputs) = try ExportModel.read(file: try ModelFile.decode(f32.bytes), path: "f32.rnnz")
        #expect(readInputs == inputs)
        let requantized = try Exporter.export(read, quantized: true, selfTestInputs: readInputs, to: nil)
        #expect(requantized.bytes == direct.bytes)
        #expect(requantized.quantization == direct.quantization)
        // Each weight's reported error is within half a quantization step of its largest value.
        for line in direct.quantization { #expect(line.error.maxAbs > 0 && line.error.rms <= line.error.maxAbs) }
    }

    @Test func anInt8FileIsNotQuantizedAgain() throws {
        let (model, inputs) = try sample()
        let int8 = try Exporter.export(model, quantized: true, selfTestInputs: inputs, to: nil)
        #expect(throws: ExportError.notF32(path: "m.rnnz", tensor: "enc.0.weight_ih", type: "I8")) {
            try ExportModel.read(file: try ModelFile.decode(int8.bytes), path: "m.rnnz")
        }
    }

    @Test func inspectListsKeysLayersAndTensors() throws {
        let (model, inputs) = try sample()
        let path = NSTemporaryDirectory() + "recur-inspect-\(UUID().uuidString).rnnz"
        _ = try Exporter.export(model, quantized: true, selfTestInputs: inputs, to: path)
        let text = try ModelInspector.report(path: path)
        for needle in ["recur.task", "\"regressor\"", "0  gru  2 → 5", "1  dense none  5 → 1",
                       "enc.0.weight_ih             I8   15×2", "enc.0.weight_ih.scale       F32  15",
                       "selftest.0.input            F32  4×2"] {
            #expect(text.contains(needle), "missing: \(needle)")
        }
        #expect(throws: ExportError.unreadable(path: path + ".missing")) { try ModelInspector.report(path: path + ".missing") }
    }
}
