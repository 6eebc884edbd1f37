import RecurRuntime
import Testing
import TestSupport
import Trainer

/// How a fixture stores its weight matrices in the file.
enum WeightStorage: CaseIterable {
    case f32, int8, f16
}

/// One tensor of a fixture layer: rows × cols, row-major.
struct FixtureTensor {
    var name: String
    var rows: Int
    var cols: Int
    var values: [Float]
    /// A weight matrix (stored per `WeightStorage`); biases are always F32.
    var isWeight: Bool
}

/// One layer of a fixture model.
struct FixtureLayer {
    /// `embedding`, `lstm`, `gru`, `rnn`, `dense`.
    var type: String
    var activation: String?
    var input: Int
    var output: Int
    var tensors: [FixtureTensor]

    func tensor(_ suffix: String) -> FixtureTensor {
        tensors.first { $0.name.hasSuffix("." + suffix) }!
    }
}

/// A small model described in the test, written as a `.rnnz` through the format
/// branch's GGUFBuilder and RnnzWriter, then loaded through `Rnnz.decode` and
/// `Model(file:)` like any exported file.
///
/// Weights are multiples of 1/256 in [-1, 1), exactly representable in F16, so the
/// F16 and F32 storages of the same fixture describe the same numbers.
struct ModelFixture {
    var task: String
    var inputSize: Int
    var layers: [FixtureLayer]
    var labels: [String] = []
    var outputSize: Int? = nil
    var vocab: [String] = []
    var window: Int? = nil
    var hop: Int? = nil
    var mean: [Float] = []
    var std: [Float] = []
    var unk: Int? = nil
    var bos: Int? = nil
    /// Keys set after the generated ones (replacing them).
    var overrides: [(String, GGUFValue)] = []
    var omittedKeys: Set<String> = []
    var omittedTensors: Set<String> = []
    /// Tensors written as given instead of the generated ones (name → type, dims, bytes).
    var replacedTensors: [String: (GGUFTensorType, [Int], [UInt8])] = [:]
    /// Extra tensors appended (self-tests).
    var extraTensors: [(String, GGUFTensorType, [Int], [UInt8])] = []

    // MARK: Layers

    static func weights(_ count: Int, _ rng: inout SeededGenerator, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in (rng.uniform(-1, 1) * 256).rounded() / 256 * scale }
    }

    /// A recurrent layer (`lstm`, `gru`, or `rnn` with activation `tanh`/`relu`).
    static func recurrent(
        _ index: Int, _ type: String, activation: String? = nil, input: Int, hidden: Int,
        _ rng: inout SeededGenerator
    ) -> FixtureLayer {
        let gates = type == "lstm" ? 4 : type == "gru" ? 3 : 1
        let rows = gates * hidden
        return FixtureLayer(
            type: type, activation: activation, input: input, output: hidden,
            tensors: [
                FixtureTensor(name: "enc.\(index).weight_ih", rows: rows, cols: input,
                              values: weights(rows * input, &rng, scale: 0.5), isWeight: true),
                FixtureTensor(name: "enc.\(index).weight_hh", rows: rows, cols: hidden,
                              values: weights(rows * hidden, &rng, scale: 0.5), isWeight: true),
                FixtureTensor(name: "enc.\(index).bias_ih", rows: 1, cols: rows,
                              values: weights(rows, &rng, scale: 0.25), isWeight: false),
                FixtureTensor(name: "enc.\(index).bias_hh", rows: 1, cols: rows,
                              values: weights(rows, &rng, scale: 0.25), isWeight: false),
            ])
    }

    static func dense(
        _ index: Int, activation: String, input: Int, output: Int, _ rng: inout SeededGenerator
    ) -> FixtureLayer {
        FixtureLayer(
            type: "dense", activation: activation, input: input, output: output,
            tensors: [
                FixtureTensor(name: "enc.\(index).weight", rows: output, cols: input,
                              values: weights(output * input, &rng), isWeight: true),
                FixtureTensor(name: "enc.\(index).bias", rows: 1, cols: output,
                              values: weights(output, &rng, scale: 0.25), isWeight: false),
            ])
    }

    static func embedding(vocabulary: Int, width: Int, _ rng: inout SeededGenerator) -> FixtureLayer {
        FixtureLayer(
            type: "embedding", activation: nil, input: vocabulary, output: width,
            tensors: [
                FixtureTensor(name: "enc.0.weight", rows: vocabulary, cols: width,
                              values: weights(vocabulary * width, &rng), isWeight: true)
            ])
    }

    // MARK: Ready-made models

    /// Recurrent layers 0..<cells.count, each of `hidden` units; a cell is `lstm`,
    /// `gru`, `rnn_tanh` or `rnn_relu`.
    static func recurrentStack(
        _ cells: [String], input: Int, hidden: Int, _ rng: inout SeededGenerator
    ) -> [FixtureLayer] {
        var layers: [FixtureLayer] = []
        var size = input
        for cell in cells {
            let parts = cell.split(separator: "_")
            layers.append(recurrent(
                layers.count, String(parts[0]), activation: parts.count > 1 ? String(parts[1]) : nil,
                input: size, hidden: hidden, &rng))
            size = hidden
        }
        return layers
    }

    /// A classifier: `cells` recurrent layers of `hidden`, a softmax head over `classes` labels.
    static func classifier(
        cells: [String] = ["lstm"], input: Int = 3, hidden: Int = 8, classes: Int = 4,
        window: Int = 8, hop: Int = 3, seed: UInt64 = 1
    ) -> ModelFixture {
        var rng = SeededGenerator(seed: seed)
        var layers = recurrentStack(cells, input: input, hidden: hidden, &rng)
        layers.append(dense(layers.count, activation: "softmax", input: hidden, output: classes, &rng))
        var fixture = ModelFixture(task: "classifier", inputSize: input, layers: layers)
        fixture.labels = (0..<classes).map { "L\($0)" }
        fixture.window = window
        fixture.hop = hop
        fixture.mean = (0..<input).map { Float($0) * 0.5 - 0.25 }
        fixture.std = (0..<input).map { 1 + Float($0) * 0.25 }
        return fixture
    }

    /// A regressor (window 0, a result every step): `cells` then dense heads with the given activations.
    static func regressor(
        cells: [String], heads: [String] = ["none"], input: Int = 3, hidden: Int = 6, outputs: Int = 2,
        seed: UInt64 = 2
    ) -> ModelFixture {
        var rng = SeededGenerator(seed: seed)
        var layers = recurrentStack(cells, input: input, hidden: hidden, &rng)
        var size = hidden
        for (i, activation) in heads.enumerated() {
            let out = i == heads.count - 1 ? outputs : hidden
            layers.append(dense(layers.count, activation: activation, input: size, output: out, &rng))
            size = out
        }
        var fixture = ModelFixture(task: "regressor", inputSize: input, layers: layers)
        fixture.outputSize = outputs
        fixture.window = 0
        fixture.hop = 1
        return fixture
    }

    /// A character lm over `text`'s distinct characters (plus `<unk>` as token 0).
    static func lm(cells: [String] = ["lstm"], alphabet: String = "abcde ", width: Int = 5, hidden: Int = 8,
                   seed: UInt64 = 3) -> ModelFixture {
        var rng = SeededGenerator(seed: seed)
        let vocab = ["<unk>"] + alphabet.map { String($0) }
        var layers = [embedding(vocabulary: vocab.count, width: width, &rng)]
        var size = width
        for cell in cells {
            layers.append(recurrent(layers.count, cell, input: size, hidden: hidden, &rng))
            size = hidden
        }
        layers.append(dense(layers.count, activation: "none", input: size, output: vocab.count, &rng))
        var fixture = ModelFixture(task: "lm", inputSize: vocab.count, layers: layers)
        fixture.vocab = vocab
        fixture.unk = 0
        return fixture
    }

    // MARK: Writing

    func gguf(_ storage: WeightStorage) -> [UInt8] {
        var builder = GGUFBuilder()
        var keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("recur")),
            ("general.name", .string("fixture")),
            ("recur.format_version", .uint32(1)),
            ("recur.task", .string(task)),
            ("recur.enc.count", .uint32(UInt32(layers.count))),
        ]
        if task != "lm" { keys.append(("recur.input.size", .uint32(UInt32(inputSize)))) }
        if !mean.isEmpty {
            keys.append(("recur.input.mean", .array(.float32(mean))))
            keys.append(("recur.input.std", .array(.float32(std))))
        }
        if let window { keys.append(("recur.window", .uint32(UInt32(window)))) }
        if let hop { keys.append(("recur.hop", .uint32(UInt32(hop)))) }
        if !labels.isEmpty { keys.append(("recur.labels", .array(.string(labels)))) }
        if let outputSize { keys.append(("recur.output.size", .uint32(UInt32(outputSize)))) }
        if !vocab.isEmpty {
            keys.append(("recur.vocab", .array(.string(vocab))))
            keys.append(("recur.tokenizer", .string("char")))
        }
        if let unk { keys.append(("recur.token.unk", .uint32(UInt32(unk)))) }
        if let bos { keys.append(("recur.token.bos", .uint32(UInt32(bos)))) }
        for (i, layer) in layers.enumerated() {
            keys.append(("recur.enc.\(i).type", .string(layer.type)))
            keys.append(("recur.enc.\(i).input", .uint32(UInt32(layer.input))))
            let sizeKey = ["lstm", "gru", "rnn"].contains(layer.type) ? "hidden" : "output"
            keys.append(("recur.enc.\(i).\(sizeKey)", .uint32(UInt32(layer.output))))
            if let activation = layer.activation { keys.append(("recur.enc.\(i).activation", .string(activation))) }
        }
        for (key, value) in keys + overrides where !omittedKeys.contains(key) {
            builder.set(key, value)
        }
        for layer in layers {
            for tensor in layer.tensors where !omittedTensors.contains(tensor.name) {
                if let (type, dims, bytes) = replacedTensors[tensor.name] {
                    builder.addTensor(name: tensor.name, type: type, dims: dims, bytes: bytes)
                    continue
                }
                Self.add(tensor, storage, to: &builder, omitting: omittedTensors)
            }
        }
        for (name, type, dims, bytes) in extraTensors {
            builder.addTensor(name: name, type: type, dims: dims, bytes: bytes)
        }
        return builder.encode()
    }

    /// Writes `tensor`: a bias as F32, a weight in `storage` (int8 with its `.scale`
    /// row scales unless `omitted` names them).
    static func add(
        _ tensor: FixtureTensor, _ storage: WeightStorage, to builder: inout GGUFBuilder, omitting omitted: Set<String>
    ) {
        if !tensor.isWeight {
            builder.addF32(name: tensor.name, tensor.values)
            return
        }
        switch storage {
        case .f32:
            builder.addF32(name: tensor.name, rows: tensor.rows, cols: tensor.cols, tensor.values)
        case .f16:
            builder.addF16(name: tensor.name, rows: tensor.rows, cols: tensor.cols, tensor.values)
        case .int8:
            let (q, scales) = quantizeRows(tensor)
            builder.addI8(name: tensor.name, rows: tensor.rows, cols: tensor.cols, q)
            if !omitted.contains(tensor.name + ".scale") {
                builder.addF32(name: tensor.name + ".scale", scales)
            }
        }
    }

    /// Symmetric per-row int8: scale = max|w| / 127, q = round(w / scale).
    static func quantizeRows(_ tensor: FixtureTensor) -> ([Int8], [Float]) {
        var q: [Int8] = []
        var scales: [Float] = []
        for r in 0..<tensor.rows {
            let row = tensor.values[(r * tensor.cols)..<((r + 1) * tensor.cols)]
            let m = row.map { abs($0) }.max() ?? 0
            let scale = m > 0 ? m / 127 : 1
            scales.append(scale)
            for w in row { q.append(Int8(max(-127, min(127, (w / scale).rounded())))) }
        }
        return (q, scales)
    }

    /// The compressed `.rnnz` bytes.
    func rnnz(_ storage: WeightStorage = .f32) throws -> [UInt8] {
        try RnnzWriter.compress(gguf(storage))
    }

    /// Writes, compresses, decodes and loads the model.
    func model(_ storage: WeightStorage = .f32) throws -> Model {
        let bytes = try rnnz(storage)
        let file = try Self.decode(bytes)
        return try Model(file: file)
    }

    /// `Rnnz.decode` over an array.
    static func decode(_ bytes: [UInt8]) throws(RecurError) -> GGUFFile {
        try bytes.withUnsafeBufferPointer { (buffer) throws(RecurError) -> GGUFFile in
            try Rnnz.decode(UnsafeRawBufferPointer(buffer))
        }
    }

    /// The error `Model(file:)` throws for this fixture, or nil when it loads.
    func loadError(_ storage: WeightStorage = .f32) throws -> RecurError? {
        Self.loadError(of: try rnnz(storage))
    }

    /// The error decoding and loading `bytes` throws, or nil when the model loads.
    static func loadError(of bytes: [UInt8]) -> RecurError? {
        do throws(RecurError) {
            let file = try Self.decode(bytes)
            _ = try Model(file: file)
            return nil
        } catch {
            return error
        }
    }
}

// MARK: - Self-tests and corruption

extension ModelFixture {
    /// This fixture with `inputs` embedded as self-test cases whose outputs are
    /// computed by the Runtime from the same file without them (what an exporter
    /// does): `recur.selftest.count` and `selftest.{k}.input` / `.output`.
    func withSelfTests(_ inputs: [SelfTestInput], _ storage: WeightStorage) throws -> ModelFixture {
        let model = try self.model(storage)
        // Frames: rows of the input size, results of the output size; lm: the vocabulary's.
        let inputSize = model.frames?.inputSize ?? 0
        let outputSize = model.frames?.outputSize ?? model.language?.vocabulary.count ?? 0
        var fixture = self
        for (k, input) in inputs.enumerated() {
            let outputs = try model.selfTestOutputs(for: input)
            switch input {
            case .frames(let frames):
                fixture.extraTensors.append((
                    "selftest.\(k).input", .f32, [inputSize, frames.count / inputSize],
                    Self.littleEndianBytes(frames.map(\.bitPattern))))
            case .tokens(let tokens):
                fixture.extraTensors.append((
                    "selftest.\(k).input", .i32, [tokens.count],
                    Self.littleEndianBytes(tokens.map { UInt32(bitPattern: $0) })))
            case .image:
                preconditionFailure("a frame or lm fixture takes no image (ImageFixture.withSelfTests does)")
            }
            fixture.extraTensors.append((
                "selftest.\(k).output", .f32, [outputSize, outputs.count / outputSize],
                Self.littleEndianBytes(outputs.map(\.bitPattern))))
        }
        fixture.overrides.append(("recur.selftest.count", .uint32(UInt32(inputs.count))))
        return fixture
    }

    static func littleEndianBytes(_ words: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        for word in words {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return bytes
    }

    /// The `.rnnz` bytes with one byte of tensor `name`'s first element changed,
    /// recompressed (so the zstd checksum is valid and only the weight differs).
    /// I8: the value moves by one step inside [-127, 127]; F32/F16: a bit of the
    /// element's upper mantissa flips (a relative change of 2^-7 or more).
    func rnnzWithChangedByte(in name: String, _ storage: WeightStorage) throws -> [UInt8] {
        var bytes = gguf(storage)
        let file = try Self.decode(try RnnzWriter.compress(bytes))
        let info = try file.tensor(name)
        let position = file.dataOffset + info.offset
        switch info.type {
        case .i8:
            let q = Int8(bitPattern: bytes[position])
            bytes[position] = UInt8(bitPattern: q == 127 ? 126 : q + 1)
        case .f32:
            bytes[position + 2] ^= 0x01
        case .f16:
            bytes[position + 1] ^= 0x01
        case .i32:
            bytes[position] ^= 0x01
        }
        return try RnnzWriter.compress(bytes)
    }
}

/// Records an issue unless `error` is `badKeyValue` naming `key` with a reason.
func expectBadKeyValue(_ error: RecurError?, key: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case let .badKeyValue(reported, reason)? = error else {
        Issue.record("\(key): expected badKeyValue, got \(String(describing: error))", sourceLocation: sourceLocation)
        return
    }
    #expect(reported == key, sourceLocation: sourceLocation)
    #expect(!reason.isEmpty, sourceLocation: sourceLocation)
}
