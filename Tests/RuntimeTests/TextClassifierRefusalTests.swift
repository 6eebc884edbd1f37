import RecurRuntime
import Testing
import TestSupport

/// Text classifier refusals (docs/FORMAT.md, "Text classifier models"): one change to a model
/// that loads per case, each expecting its own error naming the key or tensor.
@Suite("Text classifier refusals")
struct TextClassifierRefusalTests {
    /// A bidirectional LSTM, then a GRU, a tanh dense layer and the softmax output.
    static var base: TextClassifierFixture {
        var fixture = TextClassifierFixture()
        fixture.directions = [true, false]
        fixture.hiddenDense = [(size: 6, activation: "tanh")]
        return fixture
    }

    @Test("the unchanged fixtures load in every storage and shape, so each refusal below comes from its one change")
    func baselinesLoad() throws {
        for storage in WeightStorage.allCases {
            for cell in ["lstm", "gru", "rnn"] {
                var fixture = Self.base
                fixture.cell = cell
                #expect(try fixture.loadError(storage) == nil, "\(cell) \(storage)")
            }
        }
        let model = try Self.base.model()
        let configuration = try #require(model.textClassifier)
        #expect(model.task == .textClassifier)
        #expect(model.layers.map(\.kind) == [.embedding, .lstm, .lstm, .dense(.tanh), .dense(.softmax)])
        #expect(model.layers.map(\.isBidirectional) == [false, true, false, false, false])
        #expect(configuration.encoderWidth == 5 && configuration.maxLength == 12 && configuration.pool == .mean)
        #expect(configuration.labels == ["x", "y", "z"] && model.frames == nil && model.language == nil)
        #expect(configuration.tokenizer == .char && configuration.unknown == 0)
        // Every tensor value is a parameter: the count is the sum of the fixture's tensor sizes.
        let tensorValues = Self.base.tensors().reduce(0) { $0 + $1.values.count }
        #expect(model.parameterCount == tensorValues)
    }

    @Test("a missing required key is missingKey naming it",
          arguments: ["recur.vocab", "recur.tokenizer", "recur.token.unk", "recur.text.max_length", "recur.pool",
                      "recur.labels", "recur.enc.count", "recur.enc.1.hidden", "recur.enc.2.input",
                      "recur.enc.3.activation", "recur.enc.4.output"])
    func missingKey(key: String) throws {
        var fixture = Self.base
        fixture.omittedKeys = [key]
        #expect(try fixture.loadError() == .missingKey(key))
    }

    @Test("a missing tensor is missingTensor naming it: embedding, both directions, dense layers, row scales",
          arguments: ["enc.0.weight", "enc.1.weight_hh", "enc.1.bias_ih_reverse", "enc.1.weight_ih_reverse.scale",
                      "enc.2.bias_hh", "enc.3.weight", "enc.4.bias", "enc.4.weight.scale"])
    func missingTensor(name: String) throws {
        var fixture = Self.base
        fixture.omittedTensors = [name]
        #expect(try fixture.loadError(.int8) == .missingTensor(name))
    }

    @Test("tensors of the wrong shape or type are refused naming them")
    func wrongTensors() throws {
        var fixture = Self.base
        // enc.3 (dense tanh) is 6 × E (5): dims [5, 6].
        fixture.replacedTensors["enc.3.weight"] = (.f32, [10, 6], [UInt8](repeating: 0, count: 60 * 4))
        #expect(try fixture.loadError() == .wrongTensorShape(tensor: "enc.3.weight", expected: [5, 6], found: [10, 6]))
        // The reverse direction stored unlike the forward one.
        fixture.replacedTensors = ["enc.1.weight_ih_reverse": (.f32, [4, 20], [UInt8](repeating: 0, count: 80 * 4)),
                                   "enc.1.weight_hh_reverse": (.f32, [5, 20], [UInt8](repeating: 0, count: 100 * 4))]
        #expect(try fixture.loadError(.int8)
            == .wrongTensorType(tensor: "enc.1.weight_ih_reverse", expected: "I8", found: "F32"))
    }

    @Test("values a key cannot hold are badKeyValue naming the key",
          arguments: [
            ("recur.text.max_length", GGUFValue.uint32(0)),
            ("recur.text.max_length", .uint32(4097)),
            ("recur.token.unk", .uint32(6)),
            ("recur.tokenizer", .string("bpe")),
            ("recur.pool", .string("attention")),
            ("recur.pool", .string("Mean")),
            ("recur.vocab", .array(.string([]))),
            ("recur.labels", .array(.string(["x"]))),
            ("recur.labels", .array(.string(["x", "y", "z", "w"]))),
            ("recur.labels", .array(.string(["x", "y"]))),
            ("recur.enc.count", .uint32(2)),
            ("recur.enc.0.input", .uint32(7)),
            ("recur.enc.1.input", .uint32(3)),
            ("recur.enc.2.input", .uint32(5)),
            ("recur.enc.3.input", .uint32(6)),
            ("recur.enc.4.input", .uint32(5)),
            ("recur.enc.4.activation", .string("none")),
            ("recur.enc.0.bidirectional", .bool(true)),
            ("recur.enc.3.bidirectional", .bool(true)),
          ] as [(String, GGUFValue)])
    func badKeyValue(key: String, value: GGUFValue) throws {
        var fixture = Self.base
        fixture.overrides = [(key, value)]
        expectBadKeyValue(try fixture.loadError(), key: key)
    }

    @Test("the layer order is embedding, recurrent layers, dense layers: anything else names the misplaced layer")
    func layerOrder() throws {
        // A dense layer right after the embedding (no recurrent layer).
        var noRecurrent = Self.base
        noRecurrent.overrides = [("recur.enc.1.type", .string("dense")), ("recur.enc.1.activation", .string("tanh"))]
        expectBadKeyValue(try noRecurrent.loadError(), key: "recur.enc.1.type")
        // A recurrent layer after a dense one.
        var recurrentAfterDense = Self.base
        recurrentAfterDense.overrides = [("recur.enc.4.type", .string("gru"))]
        expectBadKeyValue(try recurrentAfterDense.loadError(), key: "recur.enc.4.type")
        // An embedding after the first layer; a first layer that is not one.
        var secondEmbedding = Self.base
        secondEmbedding.overrides = [("recur.enc.2.type", .string("embedding"))]
        expectBadKeyValue(try secondEmbedding.loadError(), key: "recur.enc.2.type")
        var firstRecurrent = Self.base
        firstRecurrent.overrides = [("recur.enc.0.type", .string("lstm"))]
        expectBadKeyValue(try firstRecurrent.loadError(), key: "recur.enc.0.type")
        // No dense layer at all: the stack ends in a recurrent layer.
        var noDense = Self.base
        noDense.overrides = [("recur.enc.count", .uint32(3))]
        expectBadKeyValue(try noDense.loadError(), key: "recur.enc.2.type")
        // An unknown layer type.
        var unknown = Self.base
        unknown.overrides = [("recur.enc.2.type", .string("transformer"))]
        expectBadKeyValue(try unknown.loadError(), key: "recur.enc.2.type")
    }

    @Test("char_bigram belongs to text classifiers: an lm or a seq2seq model naming it is refused")
    func bigramsElsewhere() throws {
        var lm = ModelFixture.lm()
        lm.overrides = [("recur.tokenizer", .string("char_bigram"))]
        expectBadKeyValue(try lm.loadError(), key: "recur.tokenizer")
        var seq2seq = Seq2SeqFixture()
        seq2seq.overrides = [("recur.tokenizer", .string("char_bigram"))]
        expectBadKeyValue(try seq2seq.loadError(), key: "recur.tokenizer")
        seq2seq.overrides = [("recur.target.tokenizer", .string("char_bigram"))]
        expectBadKeyValue(try seq2seq.loadError(), key: "recur.target.tokenizer")
        // …and loads in a text classifier.
        var text = Self.base
        text.tokenizer = "char_bigram"
        #expect(try text.model().textClassifier?.tokenizer == .charBigram)
    }

    @Test("self-tests: ids over max_length or outside the vocabulary, outputs not one per label")
    func selfTests() throws {
        let valid = try Self.base.withSelfTests([[1, 2, 3]], .f32)
        #expect(try valid.loadError() == nil)
        var long = try Self.base.withSelfTests([[1, 2, 3]], .f32)
        long.overrides.append(("recur.text.max_length", .uint32(2)))
        expectBadKeyValue(try long.loadError(), key: "selftest.0.input")
        var outside = Self.base
        outside.extraTensors = [
            ("selftest.0.input", .i32, [1], ModelFixture.littleEndianBytes([6])),
            ("selftest.0.output", .f32, [3, 1], [UInt8](repeating: 0, count: 12)),
        ]
        outside.overrides = [("recur.selftest.count", .uint32(1))]
        expectBadKeyValue(try outside.loadError(), key: "selftest.0.input")
        var shape = outside
        shape.extraTensors[0] = ("selftest.0.input", .i32, [1], ModelFixture.littleEndianBytes([5]))
        #expect(try shape.loadError() == nil)
        shape.extraTensors[1] = ("selftest.0.output", .f32, [3, 2], [UInt8](repeating: 0, count: 24))
        #expect(try shape.loadError()
            == .wrongTensorShape(tensor: "selftest.0.output", expected: [3, 1], found: [3, 2]))
        shape.extraTensors[1] = ("selftest.0.output", .f32, [3], [UInt8](repeating: 0, count: 12))
        #expect(try shape.loadError() == nil)
    }
}
