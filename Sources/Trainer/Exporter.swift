import Foundation
import RecurRuntime

/// Writes `.rnnz` files: an `ExportModel` as GGUF (int8 or f32 weights), self-test vectors
/// computed by this machine's Runtime, zstd, atomic write, then a read-back check.
///
/// The order matters for the self-tests: the model is first encoded without them and loaded
/// through `Runtime.Model`; that model computes the expected outputs for the chosen inputs
/// (`Model.selfTestOutputs`, the same code `recur-run --verify` runs); the final file adds them
/// as `selftest.{k}.*`. The weights are byte-identical in both encodings, so the outputs hold.
public enum Exporter {
    /// What an export did.
    public struct Result: Sendable {
        /// The encoded `.rnnz` (what was written, if a path was given).
        public var bytes: [UInt8]
        /// Per quantized weight: max and RMS error of `q * scale` against the f32 weight.
        public var quantization: [QuantizationReportLine]
        /// Self-test cases embedded and verified after reading the file back.
        public var selfTests: Int
        /// The written model, loaded back through the Runtime.
        public var model: Model
    }

    /// The GGUF bytes of `model`: header keys, task keys, layer keys, tensors, then self-tests.
    ///
    /// - Parameters:
    ///   - quantized: store weights as per-row int8 with `<name>.scale`; biases stay F32.
    ///   - selfTests: (input, expected output) pairs to embed.
    /// - Returns: the bytes and, when quantized, one error line per weight.
    public static func gguf(_ model: ExportModel, quantized: Bool,
                            selfTests: [SelfTestCase] = []) -> (bytes: [UInt8], report: [QuantizationReportLine]) {
        var builder = header(name: model.name, task: model.task)
        for (key, value) in model.taskKeys { builder.set(key, value) }
        builder.set("recur.enc.count", .uint32(UInt32(model.layers.count)))
        for (i, layer) in model.layers.enumerated() {
            builder.set("recur.enc.\(i).type", .string(layer.type))
            builder.set("recur.enc.\(i).input", .uint32(UInt32(layer.input)))
            if let hidden = layer.hidden { builder.set("recur.enc.\(i).hidden", .uint32(UInt32(hidden))) }
            builder.set("recur.enc.\(i).output", .uint32(UInt32(layer.output)))
            if let activation = layer.activation { builder.set("recur.enc.\(i).activation", .string(activation)) }
            if layer.bidirectional { builder.set("recur.enc.\(i).bidirectional", .bool(true)) }
        }
        if !selfTests.isEmpty { builder.set("recur.selftest.count", .uint32(UInt32(selfTests.count))) }
        var report: [QuantizationReportLine] = []
        for layer in model.layers {
            for tensor in layer.tensors {
                if let line = add(tensor, quantized: quantized, to: &builder) { report.append(line) }
            }
        }
        let outputWidth = model.layers.last?.output ?? 0
        for (k, test) in selfTests.enumerated() {
            switch test.input {
            case .frames(let frames):
                let width = model.layers.first?.input ?? 1
                builder.addF32(name: "selftest.\(k).input", rows: frames.count / width, cols: width, frames)
            case .tokens(let tokens):
                builder.addI32(name: "selftest.\(k).input", tokens)
            case .image(let values):
                builder.addF32(name: "selftest.\(k).input", values)
            }
            builder.addF32(name: "selftest.\(k).output", rows: test.expected.count / max(outputWidth, 1),
                           cols: outputWidth, test.expected)
        }
        return (builder.encode(), report)
    }

    /// A builder holding the keys every `.rnnz` starts with: architecture, name, alignment,
    /// format version and task.
    static func header(name: String, task: String) -> GGUFBuilder {
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("general.name", .string(name))
        builder.set("general.alignment", .uint32(UInt32(builder.alignment)))
        builder.set("recur.format_version", .uint32(Rnnz.formatVersion))
        builder.set("recur.task", .string(task))
        return builder
    }

    /// Adds one tensor: vectors F32; weights per-row int8 with `<name>.scale` when `quantized`
    /// (returning the quantization error line), else F32.
    static func add(_ tensor: ExportModel.Tensor, quantized: Bool, to builder: inout GGUFBuilder) -> QuantizationReportLine? {
        if tensor.isVector {
            builder.addF32(name: tensor.name, tensor.values)
        } else if quantized && tensor.isWeight {
            let q = Quantize.rows(tensor.values, rows: tensor.rows, cols: tensor.cols)
            builder.addI8(name: tensor.name, rows: tensor.rows, cols: tensor.cols, q.values)
            builder.addF32(name: tensor.name + ".scale", q.scales)
            return QuantizationReportLine(tensor: tensor.name, rows: tensor.rows, cols: tensor.cols, error: q.error)
        } else {
            builder.addF32(name: tensor.name, rows: tensor.rows, cols: tensor.cols, tensor.values)
        }
        return nil
    }

    /// Encodes `model`, embeds self-tests for `selfTestInputs` computed by the Runtime, compresses,
    /// writes `path` atomically (when given), reads it back and verifies the self-tests.
    ///
    /// - Throws: `RecurError` when the Runtime refuses the model or an input,
    ///   `RnnzWriter.WriteError` when the file cannot be written,
    ///   `ExportError.verificationFailed` when the file read back does not reproduce its self-tests.
    public static func export(_ model: ExportModel, quantized: Bool, selfTestInputs: [SelfTestInput],
                              to path: String?) throws -> Result {
        let (plain, report) = gguf(model, quantized: quantized)
        let draft = try Model(file: try ModelFile.decode(try RnnzWriter.compress(plain)))
        var cases: [SelfTestCase] = []
        for input in selfTestInputs {
            cases.append(SelfTestCase(input: input, expected: try draft.selfTestOutputs(for: input)))
        }
        let bytes = try RnnzWriter.compress(gguf(model, quantized: quantized, selfTests: cases).bytes)
        let loaded = try writeVerified(bytes, to: path)
        return Result(bytes: bytes, quantization: report, selfTests: cases.count, model: loaded)
    }

    /// Writes `bytes` atomically to `path` (when given), reads them back, loads them through the
    /// Runtime and verifies their self-tests.
    ///
    /// - Throws: `RnnzWriter.WriteError`, `RecurError`, `ExportError.verificationFailed`.
    static func writeVerified(_ bytes: [UInt8], to path: String?) throws -> Model {
        if let path { try RnnzWriter.writeAtomically(bytes, to: path) }
        let stored = path.map { try? ModelFile.read($0) } ?? bytes
        guard let stored, stored == bytes else {
            throw ExportError.verificationFailed("\(path ?? "the encoded model") does not hold the bytes just written")
        }
        let loaded = try Model(file: try ModelFile.decode(stored))
        do {
            _ = try loaded.verifySelfTests()
        } catch {
            throw ExportError.verificationFailed("self-test: \(error)")
        }
        return loaded
    }
}
