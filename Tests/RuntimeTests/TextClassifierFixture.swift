import RecurRuntime
import TestSupport
import Trainer

/// A small text classifier described in the test (docs/FORMAT.md, "Text classifier models"):
/// embedding → recurrent layers (each optionally bidirectional) → dense layers → softmax,
/// written through the Trainer's GGUFBuilder and RnnzWriter and loaded like any exported file.
///
/// The tensors are generated from `seed` and the architecture fields each time `tensors()` is
/// called, so changing a field gives a consistent model of the new shape.
struct TextClassifierFixture: FixtureFile {
    var cell = "lstm"
    /// One entry per recurrent layer: whether it also runs backwards.
    var directions: [Bool] = [false]
    /// Hidden size of each recurrent layer, per direction.
    var hidden = 5
    var vocabulary = ["<unk>", "a", "b", "c", "d", " "]
    var tokenizer = "char"
    var embedding = 4
    /// Dense layers before the softmax output: size and activation.
    var hiddenDense: [(size: Int, activation: String)] = []
    var labels = ["x", "y", "z"]
    var pool = "mean"
    var maxLength = 12
    var lowercase = false
    var seed: UInt64 = 1
    var weightScale: Float = 1

    var overrides: [(String, GGUFValue)] = []
    var omittedKeys: Set<String> = []
    var omittedTensors: Set<String> = []
    var replacedTensors: [String: (GGUFTensorType, [Int], [UInt8])] = [:]
    var extraTensors: [(String, GGUFTensorType, [Int], [UInt8])] = []

    static let unk = 0

    // MARK: Sizes

    /// The output width of recurrent layer `k` (0-based): H, or 2H when bidirectional.
    func width(ofRecurrent k: Int) -> Int { hidden * (directions[k] ? 2 : 1) }
    /// E: the top recurrent layer's output width.
    var encoderWidth: Int { width(ofRecurrent: directions.count - 1) }
    /// Index of the first dense layer.
    var firstDense: Int { 1 + directions.count }
    var layerCount: Int { firstDense + hiddenDense.count + 1 }

    // MARK: Tensors

    /// Every tensor of the model, in file order.
    func tensors() -> [FixtureTensor] {
        var generator = FixtureTensorGenerator(seed: seed, weightScale: weightScale, cell: cell)
        var all = [generator.matrix("enc.0.weight", vocabulary.count, embedding, scale: 1)]
        var width = embedding
        for (k, bidirectional) in directions.enumerated() {
            all += generator.recurrent("enc.\(k + 1).", input: width, hidden: hidden)
            if bidirectional { all += generator.recurrent("enc.\(k + 1).", input: width, hidden: hidden, suffix: "_reverse") }
            width = self.width(ofRecurrent: k)
        }
        let sizes = hiddenDense.map(\.size) + [labels.count]
        for (d, size) in sizes.enumerated() {
            let index = firstDense + d
            all.append(generator.matrix("enc.\(index).weight", size, width, scale: d == sizes.count - 1 ? 1.5 : 0.75))
            all.append(generator.vector("enc.\(index).bias", size))
            width = size
        }
        return all
    }

    // MARK: Keys

    func keys() -> [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("recur")),
            ("general.name", .string("text-fixture")),
            ("recur.format_version", .uint32(1)),
            ("recur.task", .string("text_classifier")),
            ("recur.vocab", .array(.string(vocabulary))),
            ("recur.tokenizer", .string(tokenizer)),
            ("recur.token.unk", .uint32(UInt32(Self.unk))),
            ("recur.text.lowercase", .bool(lowercase)),
            ("recur.text.max_length", .uint32(UInt32(maxLength))),
            ("recur.pool", .string(pool)),
            ("recur.labels", .array(.string(labels))),
            ("recur.enc.count", .uint32(UInt32(layerCount))),
            ("recur.enc.0.type", .string("embedding")),
            ("recur.enc.0.input", .uint32(UInt32(vocabulary.count))),
            ("recur.enc.0.output", .uint32(UInt32(embedding))),
        ]
        var width = embedding
        for (k, bidirectional) in directions.enumerated() {
            let i = k + 1
            keys += [("recur.enc.\(i).type", .string(cell)), ("recur.enc.\(i).input", .uint32(UInt32(width))),
                     ("recur.enc.\(i).hidden", .uint32(UInt32(hidden))),
                     ("recur.enc.\(i).bidirectional", .bool(bidirectional))]
            if cell == "rnn" { keys.append(("recur.enc.\(i).activation", .string("tanh"))) }
            width = self.width(ofRecurrent: k)
        }
        let dense = hiddenDense + [(size: labels.count, activation: "softmax")]
        for (d, layer) in dense.enumerated() {
            let i = firstDense + d
            keys += [("recur.enc.\(i).type", .string("dense")), ("recur.enc.\(i).activation", .string(layer.activation)),
                     ("recur.enc.\(i).input", .uint32(UInt32(width))), ("recur.enc.\(i).output", .uint32(UInt32(layer.size)))]
            width = layer.size
        }
        return keys
    }

    /// This fixture with `lines` (token ids) embedded as self-tests whose outputs the Runtime
    /// computed from the same file without them (what an exporter does): dims [L, 1].
    func withSelfTests(_ lines: [[Int32]], _ storage: WeightStorage) throws -> TextClassifierFixture {
        let model = try self.model(storage)
        var fixture = self
        for (k, ids) in lines.enumerated() {
            let outputs = try model.selfTestOutputs(for: .tokens(ids))
            fixture.extraTensors.append((
                "selftest.\(k).input", .i32, [ids.count], ModelFixture.littleEndianBytes(ids.map { UInt32(bitPattern: $0) })))
            fixture.extraTensors.append((
                "selftest.\(k).output", .f32, [outputs.count, 1], ModelFixture.littleEndianBytes(outputs.map(\.bitPattern))))
        }
        fixture.overrides.append(("recur.selftest.count", .uint32(UInt32(lines.count))))
        return fixture
    }
}
