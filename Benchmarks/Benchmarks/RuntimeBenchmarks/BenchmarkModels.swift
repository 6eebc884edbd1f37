import RecurRuntime
import Trainer

/// The models the Runtime benchmarks run: seeded random weights, written by the Trainer's
/// `Exporter` (GGUFBuilder → RnnzWriter; per-row int8 or f32; self-tests computed by the
/// Runtime, embedded, and verified after reading the file back), so a benchmark loads exactly
/// what `recur train` would have written for that shape.
enum BenchmarkModels {
    /// An LSTM classifier: `input` → LSTM(`hidden`) → dense(softmax, `classes`), with the
    /// file's window and hop (a session may override both).
    static func classifier(input: Int, hidden: Int, classes: Int, window: Int, hop: Int, seed: UInt64) -> ExportModel {
        var random = SeededRandom(seed: seed)
        let keys: [(String, GGUFValue)] = [
            ("recur.input.size", .uint32(UInt32(input))),
            ("recur.window", .uint32(UInt32(window))),
            ("recur.hop", .uint32(UInt32(hop))),
            ("recur.labels", .array(.string((0..<classes).map { "class\($0)" }))),
        ]
        return ExportModel(name: "bench-classifier", task: "classifier", taskKeys: keys, layers: [
            lstm(0, input: input, hidden: hidden, &random),
            dense(1, input: hidden, output: classes, activation: "softmax", &random),
        ])
    }

    /// A character lm: embedding(`vocabulary` × `width`) → `depth` LSTMs of `hidden` →
    /// dense(none, `vocabulary`). Token 0 is `<unk>`.
    static func languageModel(vocabulary: Int, width: Int, hidden: Int, depth: Int, seed: UInt64) -> ExportModel {
        var random = SeededRandom(seed: seed)
        // Distinct one-scalar tokens: "<unk>", then printable ASCII from "!" on.
        let tokens = ["<unk>"] + (1..<vocabulary).map { String(UnicodeScalar(UInt8(32 + $0))) }
        let keys: [(String, GGUFValue)] = [
            ("recur.vocab", .array(.string(tokens))),
            ("recur.tokenizer", .string("char")),
            ("recur.token.unk", .uint32(0)),
        ]
        var layers = [ExportModel.Layer(
            type: "embedding", input: vocabulary, output: width,
            tensors: [matrix("enc.0.weight", rows: vocabulary, cols: width, bound: 1, &random)])]
        var size = width
        for _ in 0..<depth {
            layers.append(lstm(layers.count, input: size, hidden: hidden, &random))
            size = hidden
        }
        layers.append(dense(layers.count, input: size, output: vocabulary, activation: "none", &random))
        return ExportModel(name: "bench-lm", task: "lm", taskKeys: keys, layers: layers)
    }

    /// Exports `model` (to `path` atomically, when given) with self-tests for `selfTestInputs`,
    /// and returns the model as the Runtime read it back.
    static func export(_ model: ExportModel, quantized: Bool, selfTestInputs: [SelfTestInput] = [],
                       to path: String? = nil) throws -> (model: Model, bytes: Int) {
        let result = try Exporter.export(model, quantized: quantized, selfTestInputs: selfTestInputs, to: path)
        return (result.model, result.bytes.count)
    }

    /// `count` frames of `width` values in [-2, 2), row-major: the stream a benchmark cycles through.
    static func frames(count: Int, width: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count * width).map { _ in random.uniform(-2, 2) }
    }

    // MARK: Layers

    /// An LSTM layer's tensors; weights and biases uniform in ±1/√hidden (PyTorch's initial range).
    private static func lstm(_ index: Int, input: Int, hidden: Int, _ random: inout SeededRandom) -> ExportModel.Layer {
        let rows = 4 * hidden
        let bound = 1 / Float(hidden).squareRoot()
        return ExportModel.Layer(type: "lstm", input: input, hidden: hidden, output: hidden, tensors: [
            matrix("enc.\(index).weight_ih", rows: rows, cols: input, bound: bound, &random),
            matrix("enc.\(index).weight_hh", rows: rows, cols: hidden, bound: bound, &random),
            vector("enc.\(index).bias_ih", count: rows, bound: bound, &random),
            vector("enc.\(index).bias_hh", count: rows, bound: bound, &random),
        ])
    }

    /// A dense layer's tensors; weights and bias uniform in ±1/√input.
    private static func dense(_ index: Int, input: Int, output: Int, activation: String,
                              _ random: inout SeededRandom) -> ExportModel.Layer {
        let bound = 1 / Float(input).squareRoot()
        return ExportModel.Layer(type: "dense", input: input, output: output, activation: activation, tensors: [
            matrix("enc.\(index).weight", rows: output, cols: input, bound: bound, &random),
            vector("enc.\(index).bias", count: output, bound: bound, &random),
        ])
    }

    private static func matrix(_ name: String, rows: Int, cols: Int, bound: Float,
                               _ random: inout SeededRandom) -> ExportModel.Tensor {
        ExportModel.Tensor(name: name, rows: rows, cols: cols,
                           values: (0..<rows * cols).map { _ in random.uniform(-bound, bound) }, isVector: false)
    }

    private static func vector(_ name: String, count: Int, bound: Float, _ random: inout SeededRandom) -> ExportModel.Tensor {
        ExportModel.Tensor(name: name, rows: 1, cols: count,
                           values: (0..<count).map { _ in random.uniform(-bound, bound) }, isVector: true)
    }
}
