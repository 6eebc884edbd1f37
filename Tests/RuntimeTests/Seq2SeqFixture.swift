import RecurRuntime
import TestSupport
import Trainer

/// A small seq2seq model described in the test (docs/FORMAT.md, "Seq2seq models"),
/// written through the Trainer's GGUFBuilder and RnnzWriter and loaded like any
/// exported file.
///
/// The tensors are generated from `seed` and the architecture fields each time
/// `tensors()` is called, so changing a field gives a consistent model of the new
/// shape. Weights are multiples of 1/256 (exact in F16, as in `ModelFixture`).
struct Seq2SeqFixture: FixtureFile {
    var cell = "lstm"
    var encoderLayers = 1
    var bidirectional = false
    var decoderLayers = 1
    /// Hidden size of each encoder layer, per direction.
    var hidden = 5
    /// H_d of every decoder recurrent layer; nil = E (what bridge copy and dot need).
    var decoderHidden: Int? = nil
    var sourceVocabulary = ["<unk>", "a", "b", "c", "d", "e"]
    var targetVocabulary = ["<bos>", "<eos>", "<unk>", "x", "y", "z", "w"]
    var sourceTokenizer = "char"
    var targetTokenizer = "char"
    var sourceEmbedding = 4
    var targetEmbedding = 3
    var attention = "general"
    var attentionSize = 4
    var inputFeeding = true
    var bridge = "zero"
    var combine = 6
    var sourceMaxLength = 12
    var targetMaxLength = 8
    var lowercase = false
    var seed: UInt64 = 1
    /// Multiplies every weight (larger weights give peakier distributions).
    var weightScale: Float = 1

    var overrides: [(String, GGUFValue)] = []
    var omittedKeys: Set<String> = []
    var omittedTensors: Set<String> = []
    var replacedTensors: [String: (GGUFTensorType, [Int], [UInt8])] = [:]
    var extraTensors: [(String, GGUFTensorType, [Int], [UInt8])] = []

    static let bos = 0
    static let eos = 1
    static let unk = 2

    // MARK: Sizes

    var gates: Int { cell == "lstm" ? 4 : cell == "gru" ? 3 : 1 }
    /// E: the top encoder layer's output width.
    var encoderWidth: Int { hidden * (bidirectional ? 2 : 1) }
    var decoderWidth: Int { decoderHidden ?? encoderWidth }
    /// The first decoder recurrent layer's input: D_d (+ C with input feeding).
    var decoderInput: Int { targetEmbedding + (inputFeeding ? combine : 0) }
    var decoderCount: Int { decoderLayers + 2 }

    // MARK: Tensors

    /// Every tensor of the model, in file order.
    func tensors() -> [FixtureTensor] {
        var generator = FixtureTensorGenerator(seed: seed, weightScale: weightScale, cell: cell)
        func matrix(_ name: String, _ rows: Int, _ cols: Int, scale: Float = 0.5) -> FixtureTensor {
            generator.matrix(name, rows, cols, scale: scale)
        }
        func vector(_ name: String, _ count: Int, scale: Float = 0.25) -> FixtureTensor {
            generator.vector(name, count, scale: scale)
        }
        func recurrent(_ prefix: String, input: Int, hidden: Int, suffix: String = "") -> [FixtureTensor] {
            generator.recurrent(prefix, input: input, hidden: hidden, suffix: suffix)
        }
        var all = [matrix("enc.0.weight", sourceVocabulary.count, sourceEmbedding, scale: 1)]
        var width = sourceEmbedding
        for i in 1...encoderLayers {
            all += recurrent("enc.\(i).", input: width, hidden: hidden)
            if bidirectional { all += recurrent("enc.\(i).", input: width, hidden: hidden, suffix: "_reverse") }
            width = encoderWidth
        }
        all.append(matrix("dec.0.weight", targetVocabulary.count, targetEmbedding, scale: 1))
        width = decoderInput
        for i in 1...decoderLayers {
            all += recurrent("dec.\(i).", input: width, hidden: decoderWidth)
            width = decoderWidth
        }
        let last = decoderCount - 1
        all.append(matrix("dec.\(last).weight", targetVocabulary.count, combine, scale: 1.5))
        all.append(vector("dec.\(last).bias", targetVocabulary.count))
        switch attention {
        case "general":
            all.append(matrix("att.weight", decoderWidth, encoderWidth))
        case "additive":
            all.append(matrix("att.key.weight", attentionSize, encoderWidth))
            all.append(matrix("att.query.weight", attentionSize, decoderWidth))
            all.append(vector("att.bias", attentionSize))
            all.append(vector("att.v", attentionSize, scale: 1))
        default:
            break
        }
        all.append(matrix("att.combine.weight", combine, encoderWidth + decoderWidth, scale: 0.75))
        all.append(vector("att.combine.bias", combine))
        return all
    }

    /// The tensor named `name` (a programmer error when absent).
    func tensor(_ name: String, in all: [FixtureTensor]) -> FixtureTensor {
        all.first { $0.name == name }!
    }

    // MARK: Writing

    func keys() -> [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("recur")),
            ("general.name", .string("seq2seq-fixture")),
            ("recur.format_version", .uint32(1)),
            ("recur.task", .string("seq2seq")),
            ("recur.vocab", .array(.string(sourceVocabulary))),
            ("recur.tokenizer", .string(sourceTokenizer)),
            ("recur.token.unk", .uint32(0)),
            ("recur.target.vocab", .array(.string(targetVocabulary))),
            ("recur.target.tokenizer", .string(targetTokenizer)),
            ("recur.target.token.bos", .uint32(UInt32(Self.bos))),
            ("recur.target.token.eos", .uint32(UInt32(Self.eos))),
            ("recur.target.token.unk", .uint32(UInt32(Self.unk))),
            ("recur.text.lowercase", .bool(lowercase)),
            ("recur.source.max_length", .uint32(UInt32(sourceMaxLength))),
            ("recur.target.max_length", .uint32(UInt32(targetMaxLength))),
            ("recur.enc.count", .uint32(UInt32(encoderLayers + 1))),
            ("recur.enc.0.type", .string("embedding")),
            ("recur.enc.0.input", .uint32(UInt32(sourceVocabulary.count))),
            ("recur.enc.0.output", .uint32(UInt32(sourceEmbedding))),
        ]
        var width = sourceEmbedding
        for i in 1...encoderLayers {
            keys += [("recur.enc.\(i).type", .string(cell)), ("recur.enc.\(i).input", .uint32(UInt32(width))),
                     ("recur.enc.\(i).hidden", .uint32(UInt32(hidden))), ("recur.enc.\(i).bidirectional", .bool(bidirectional))]
            if cell == "rnn" { keys.append(("recur.enc.\(i).activation", .string("tanh"))) }
            width = encoderWidth
        }
        keys += [("recur.dec.count", .uint32(UInt32(decoderCount))),
                 ("recur.dec.0.type", .string("embedding")),
                 ("recur.dec.0.input", .uint32(UInt32(targetVocabulary.count))),
                 ("recur.dec.0.output", .uint32(UInt32(targetEmbedding)))]
        width = decoderInput
        for i in 1...decoderLayers {
            keys += [("recur.dec.\(i).type", .string(cell)), ("recur.dec.\(i).input", .uint32(UInt32(width))),
                     ("recur.dec.\(i).hidden", .uint32(UInt32(decoderWidth)))]
            if cell == "rnn" { keys.append(("recur.dec.\(i).activation", .string("tanh"))) }
            width = decoderWidth
        }
        let last = decoderCount - 1
        keys += [("recur.dec.\(last).type", .string("dense")), ("recur.dec.\(last).activation", .string("softmax")),
                 ("recur.dec.\(last).input", .uint32(UInt32(combine))),
                 ("recur.dec.\(last).output", .uint32(UInt32(targetVocabulary.count))),
                 ("recur.attention.type", .string(attention)),
                 ("recur.attention.input_feeding", .bool(inputFeeding)),
                 ("recur.attention.bridge", .string(bridge))]
        if attention == "additive" { keys.append(("recur.attention.size", .uint32(UInt32(attentionSize)))) }
        return keys
    }

    /// This fixture with `sources` embedded as self-tests whose outputs the Runtime
    /// computed from the same file without them (what an exporter does).
    func withSelfTests(_ sources: [[Int32]], _ storage: WeightStorage) throws -> Seq2SeqFixture {
        let model = try self.model(storage)
        var fixture = self
        for (k, source) in sources.enumerated() {
            let outputs = try model.selfTestOutputs(for: .tokens(source))
            fixture.extraTensors.append((
                "selftest.\(k).input", .i32, [source.count],
                ModelFixture.littleEndianBytes(source.map { UInt32(bitPattern: $0) })))
            fixture.extraTensors.append((
                "selftest.\(k).output", .f32, [outputs.count], ModelFixture.littleEndianBytes(outputs.map(\.bitPattern))))
        }
        fixture.overrides.append(("recur.selftest.count", .uint32(UInt32(sources.count))))
        return fixture
    }
}
