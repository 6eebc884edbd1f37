import Foundation
import RecurRuntime
import Testing
import TestSupport
import Trainer

/// Writes `.rnnz` fixtures with RnnzWriter plus `manifest.json`, for scripts/check-gguf, which
/// reads them with Python's `gguf` package. With `RECUR_GGUF_EXPORT_DIR` set the files go there;
/// otherwise into a temporary directory, so a plain `swift test` still checks that every fixture
/// writes and that our reader finds the manifest's keys and tensors in it.
@Suite("Format export fixtures")
struct FormatExportTests {
    /// Every flat value type and every tensor type and rank, with edge values.
    static func everyType() -> FormatExportFixture {
        var rng = SeededGenerator(seed: 41)
        let keys: [(String, GGUFValue)] = [("general.architecture", .string("recur")),
                                           ("recur.format_version", .uint32(1))]
            + FormatRoundTripTests.everyValue.filter { !$0.0.hasSuffix(".nested") }
            + [("t.string.escapes", .string("quote \" backslash \\ newline \n tab \t bell \u{07}"))]
        // Halves: exact values, ties to even, a value that overflows to infinity, subnormals, NaN-free.
        let halfSource: [Float] = [0, -0.0, 1, -2.5, 65504, 65520, 0.1, 1 + 0x1p-11,
                                   1 + 3 * 0x1p-11, 0x1p-24, 0x1p-25, 6.1035156e-05, -1e-3, 3.14159, 1e6, -0.33333334]
        return FormatExportFixture(file: "every-type.rnnz", keys: keys, tensors: [
            .f32Matrix("m.f32", rows: 3, cols: 5, rng.uniforms(15)),
            .f32Vector("v.f32", [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-30]),
            .f32Raw("r3.f32", dims: [4, 3, 2], rng.uniforms(24)),
            .f32Raw("r4.f32", dims: [2, 3, 1, 2], rng.uniforms(12)),
            .f16Matrix("m.f16", rows: 4, cols: 4, halfSource),
            .i8Matrix("m.i8", rows: 4, cols: 9, [-127, 127, 0, -1, 1] + rng.int8Weights(31)),
            .i32Vector("v.i32", [Int32.min, -1, 0, 1, Int32.max, 42]),
        ])
    }

    /// A 9 → 16 LSTM → 6-class dense classifier laid out as FORMAT.md says, int8 weights
    /// quantized by the Trainer, with a self-test case.
    static func lstmClassifier() -> FormatExportFixture {
        var rng = SeededGenerator(seed: 42)
        let (input, hidden, classes, gates) = (9, 16, 6, 4 * 16)
        let weightIH = Quantize.rows(rng.uniforms(gates * input), rows: gates, cols: input)
        let weightHH = Quantize.rows(rng.uniforms(gates * hidden), rows: gates, cols: hidden)
        let dense = Quantize.rows(rng.uniforms(classes * hidden), rows: classes, cols: hidden)
        let keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("recur")),
            ("general.name", .string("har-lstm")),
            ("recur.format_version", .uint32(1)),
            ("recur.task", .string("classifier")),
            ("recur.input.size", .uint32(UInt32(input))),
            ("recur.input.names", .array(.string((0..<input).map { "acc_\($0)" }))),
            ("recur.input.mean", .array(.float32(rng.uniforms(input)))),
            ("recur.input.std", .array(.float32(rng.uniforms(input, 0.5, 2)))),
            ("recur.window", .uint32(128)),
            ("recur.hop", .uint32(64)),
            ("recur.sample_rate_hz", .float32(50)),
            ("recur.labels", .array(.string(["WALKING", "UPSTAIRS", "DOWNSTAIRS", "SITTING", "STANDING", "LAYING"]))),
            ("recur.enc.count", .uint32(2)),
            ("recur.enc.0.type", .string("lstm")),
            ("recur.enc.0.input", .uint32(UInt32(input))),
            ("recur.enc.0.hidden", .uint32(UInt32(hidden))),
            ("recur.enc.1.type", .string("dense")),
            ("recur.enc.1.input", .uint32(UInt32(hidden))),
            ("recur.enc.1.output", .uint32(UInt32(classes))),
            ("recur.enc.1.activation", .string("softmax")),
            ("recur.selftest.count", .uint32(1)),
        ]
        return FormatExportFixture(file: "lstm-classifier.rnnz", keys: keys, tensors: [
            .i8Matrix("enc.0.weight_ih", rows: gates, cols: input, weightIH.values),
            .f32Vector("enc.0.weight_ih.scale", weightIH.scales),
            .i8Matrix("enc.0.weight_hh", rows: gates, cols: hidden, weightHH.values),
            .f32Vector("enc.0.weight_hh.scale", weightHH.scales),
            .f32Vector("enc.0.bias_ih", rng.uniforms(gates)),
            .f32Vector("enc.0.bias_hh", rng.uniforms(gates)),
            .i8Matrix("enc.1.weight", rows: classes, cols: hidden, dense.values),
            .f32Vector("enc.1.weight.scale", dense.scales),
            .f32Vector("enc.1.bias", rng.uniforms(classes)),
            .f32Matrix("selftest.0.input", rows: 5, cols: input, rng.uniforms(5 * input, -3, 3)),
            .f32Vector("selftest.0.output", rng.uniforms(classes, 0, 1)),
        ])
    }

    /// A character lm: F16 embedding, F32 GRU and dense (an unquantized export), UTF-8 vocabulary.
    static func gruLanguageModel() -> FormatExportFixture {
        var rng = SeededGenerator(seed: 43)
        let vocab = ["<unk>", "\n", " ", "a", "é", "世", "🙂", "\"", "\\", "z"]
        let (size, embedding, hidden) = (vocab.count, 8, 12)
        let keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("recur")),
            ("general.name", .string("tiny-char-lm")),
            ("recur.format_version", .uint32(1)),
            ("recur.task", .string("lm")),
            ("recur.vocab", .array(.string(vocab))),
            ("recur.tokenizer", .string("char")),
            ("recur.token.unk", .uint32(0)),
            ("recur.enc.count", .uint32(3)),
            ("recur.enc.0.type", .string("embedding")),
            ("recur.enc.0.input", .uint32(UInt32(size))),
            ("recur.enc.0.output", .uint32(UInt32(embedding))),
            ("recur.enc.1.type", .string("gru")),
            ("recur.enc.1.input", .uint32(UInt32(embedding))),
            ("recur.enc.1.hidden", .uint32(UInt32(hidden))),
            ("recur.enc.2.type", .string("dense")),
            ("recur.enc.2.input", .uint32(UInt32(hidden))),
            ("recur.enc.2.output", .uint32(UInt32(size))),
            ("recur.enc.2.activation", .string("none")),
            ("recur.selftest.count", .uint32(1)),
        ]
        return FormatExportFixture(file: "gru-lm-f16.rnnz", keys: keys, tensors: [
            .f16Matrix("enc.0.weight", rows: size, cols: embedding, rng.uniforms(size * embedding)),
            .f32Matrix("enc.1.weight_ih", rows: 3 * hidden, cols: embedding, rng.uniforms(3 * hidden * embedding)),
            .f32Matrix("enc.1.weight_hh", rows: 3 * hidden, cols: hidden, rng.uniforms(3 * hidden * hidden)),
            .f32Vector("enc.1.bias_ih", rng.uniforms(3 * hidden)),
            .f32Vector("enc.1.bias_hh", rng.uniforms(3 * hidden)),
            .f32Matrix("enc.2.weight", rows: size, cols: hidden, rng.uniforms(size * hidden)),
            .f32Vector("enc.2.bias", rng.uniforms(size)),
            .i32Vector("selftest.0.input", [3, 4, 5, 6, 1, 2, 9]),
            .f32Vector("selftest.0.output", rng.uniforms(size, 0, 1)),
        ])
    }

    static let fixtures = [everyType(), lstmClassifier(), gruLanguageModel()]

    /// A trainer model (5 → 12 GRU → 4 classes, seeded initial weights) written by the product's
    /// own `Exporter.export` with int8 weights and two self-test cases, to `path`.
    ///
    /// The returned description states the layout FORMAT.md asks of the exporter (key order
    /// included) with the values the exporter was given: the trainer's parameters, quantized
    /// per row, and the self-test outputs the Runtime computes for the inputs.
    static func exportedClassifier(to path: String) throws -> FormatExportFixture {
        let (input, hidden, classes) = (5, 12, 4)
        let spec = ModelSpec(input: .frames(size: input), layers: [.init(cell: .gru, hidden: hidden)],
                             output: .classifier(classes: classes))
        let trained = try SequenceModel(spec: spec, seed: 7)
        var rng = SeededGenerator(seed: 44)
        let taskKeys: [(String, GGUFValue)] = [
            ("recur.input.size", .uint32(UInt32(input))),
            ("recur.input.mean", .array(.float32(rng.uniforms(input)))),
            ("recur.input.std", .array(.float32(rng.uniforms(input, 0.5, 2)))),
            ("recur.window", .uint32(8)),
            ("recur.hop", .uint32(4)),
            ("recur.labels", .array(.string(["north", "east", "south", "west"]))),
        ]
        let model = ExportModel(name: "exported-gru", model: trained, taskKeys: taskKeys)
        let inputs: [SelfTestInput] = [.frames(rng.uniforms(input * 8, -2, 2)), .frames(rng.uniforms(input * 12, -2, 2))]
        let result = try Exporter.export(model, quantized: true, selfTestInputs: inputs, to: path)

        let keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("recur")),
            ("general.name", .string("exported-gru")),
            ("general.alignment", .uint32(64)),
            ("recur.format_version", .uint32(1)),
            ("recur.task", .string("classifier")),
        ] + taskKeys + [
            ("recur.enc.count", .uint32(2)),
            ("recur.enc.0.type", .string("gru")),
            ("recur.enc.0.input", .uint32(UInt32(input))),
            ("recur.enc.0.hidden", .uint32(UInt32(hidden))),
            ("recur.enc.0.output", .uint32(UInt32(hidden))),
            ("recur.enc.1.type", .string("dense")),
            ("recur.enc.1.input", .uint32(UInt32(hidden))),
            ("recur.enc.1.output", .uint32(UInt32(classes))),
            ("recur.enc.1.activation", .string("softmax")),
            ("recur.selftest.count", .uint32(2)),
        ]
        let parameters = Dictionary(uniqueKeysWithValues: trained.parameters.map { ($0.name, $0) })
        var tensors: [FormatExportFixture.Tensor] = []
        for name in ["enc.0.weight_ih", "enc.0.weight_hh", "enc.0.bias_ih", "enc.0.bias_hh", "enc.1.weight", "enc.1.bias"] {
            let parameter = try #require(parameters[name], "the trainer model has \(name)")
            if name.contains("bias") {
                tensors.append(.f32Vector(name, parameter.value))
            } else {
                let q = Quantize.rows(parameter.value, rows: parameter.rows, cols: parameter.cols)
                tensors.append(.i8Matrix(name, rows: parameter.rows, cols: parameter.cols, q.values))
                tensors.append(.f32Vector(name + ".scale", q.scales))
            }
        }
        for (k, testInput) in inputs.enumerated() {
            guard case let .frames(frames) = testInput else { continue }
            let expected = try result.model.selfTestOutputs(for: testInput)
            tensors.append(.f32Matrix("selftest.\(k).input", rows: frames.count / input, cols: input, frames))
            tensors.append(.f32Matrix("selftest.\(k).output", rows: expected.count / classes, cols: classes, expected))
        }
        return FormatExportFixture(file: "exported-gru-classifier.rnnz", keys: keys, tensors: tensors,
                                   alignmentAppended: false)
    }

    @Test("every fixture is written by RnnzWriter (one by Exporter) with a manifest; our reader agrees on names and dims")
    func export() throws {
        let requested = ProcessInfo.processInfo.environment["RECUR_GGUF_EXPORT_DIR"]
        let directory = requested ?? NSTemporaryDirectory() + "recur-gguf-export-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if requested == nil { try? FileManager.default.removeItem(atPath: directory) } }

        var written: [FormatExportFixture] = []
        for fixture in Self.fixtures {
            try RnnzWriter.write(fixture.encode(), to: directory + "/" + fixture.file)
            written.append(fixture)
        }
        written.append(try Self.exportedClassifier(to: directory + "/exported-gru-classifier.rnnz"))
        for fixture in written {
            let path = directory + "/" + fixture.file
            let file = try decodeRnnz([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            #expect(file.keys == fixture.expectedKeys.map(\.0), "keys of \(fixture.file)")
            #expect(file.tensors.map(\.name) == fixture.tensors.map(\.name), "tensors of \(fixture.file)")
            #expect(file.tensors.map(\.dims) == fixture.tensors.map(\.dims), "dims of \(fixture.file)")
        }
        let manifest = "{\"files\": [\n" + written.map(\.json).joined(separator: ",\n") + "\n]}\n"
        try RnnzWriter.writeAtomically(Array(manifest.utf8), to: directory + "/manifest.json")
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(listing == (written.map(\.file) + ["manifest.json"]).sorted())
    }
}
