import RecurRuntime
import Testing
import TestSupport

/// seq2seq model refusals (docs/FORMAT.md, "Seq2seq models"): one change to a model
/// that loads per case, each expecting its own error naming the key or tensor.
@Suite("Seq2seq refusals")
struct Seq2SeqRefusalTests {
    /// A 1-layer LSTM encoder/decoder with general attention and input feeding.
    static var base: Seq2SeqFixture { Seq2SeqFixture() }

    static var additive: Seq2SeqFixture {
        var fixture = Seq2SeqFixture()
        fixture.attention = "additive"
        return fixture
    }

    @Test("the unchanged fixtures load in every storage and shape, so each refusal below comes from its one change")
    func baselinesLoad() throws {
        for storage in WeightStorage.allCases {
            for attention in ["dot", "general", "additive"] {
                var fixture = Self.base
                fixture.attention = attention
                fixture.bidirectional = attention == "additive"
                fixture.bridge = attention == "dot" ? "copy" : "zero"
                #expect(try fixture.loadError(storage) == nil, "\(attention) \(storage)")
            }
        }
        let model = try Self.base.model()
        let configuration = try #require(model.seq2seq)
        #expect(model.task == .seq2seq)
        #expect(configuration.encoderWidth == 5 && configuration.decoderHidden == 5 && configuration.combineSize == 6)
        #expect(configuration.targetEnd == 1 && configuration.sourceMaxLength == 12)
        #expect(model.layers.map(\.kind) == [.embedding, .lstm])
        #expect(configuration.decoderLayers.map(\.kind) == [.embedding, .lstm, .dense(.softmax)])
        // Every tensor value is a parameter: the count is the sum of the fixture's tensor sizes.
        let tensorValues = Self.base.tensors().reduce(0) { $0 + $1.values.count }
        #expect(model.parameterCount == tensorValues)
    }

    @Test("a missing required key is missingKey naming it",
          arguments: ["recur.vocab", "recur.tokenizer", "recur.token.unk", "recur.target.vocab", "recur.target.tokenizer",
                      "recur.target.token.bos", "recur.target.token.eos", "recur.target.token.unk",
                      "recur.source.max_length", "recur.target.max_length", "recur.enc.count", "recur.enc.1.hidden",
                      "recur.dec.count", "recur.dec.2.input", "recur.dec.2.activation", "recur.attention.type",
                      "recur.attention.input_feeding", "recur.attention.bridge"])
    func missingKey(key: String) throws {
        var fixture = Self.base
        fixture.omittedKeys = [key]
        #expect(try fixture.loadError() == .missingKey(key))
    }

    @Test("additive attention needs recur.attention.size")
    func missingAttentionSize() throws {
        var fixture = Self.additive
        fixture.omittedKeys = ["recur.attention.size"]
        #expect(try fixture.loadError() == .missingKey("recur.attention.size"))
    }

    @Test("a missing tensor is missingTensor naming it: layers, reverse directions, attention, row scales",
          arguments: ["enc.0.weight", "enc.1.weight_hh", "enc.1.bias_ih_reverse", "enc.1.weight_ih_reverse",
                      "dec.0.weight", "dec.1.bias_hh", "dec.2.weight", "dec.2.bias", "att.key.weight",
                      "att.query.weight", "att.bias", "att.v", "att.combine.weight", "att.combine.bias",
                      "att.combine.weight.scale", "enc.1.weight_hh_reverse.scale"])
    func missingTensor(name: String) throws {
        var fixture = Self.additive
        fixture.bidirectional = true
        fixture.omittedTensors = [name]
        #expect(try fixture.loadError(.int8) == .missingTensor(name))
    }

    @Test("general attention needs att.weight")
    func missingGeneralWeight() throws {
        var fixture = Self.base
        fixture.omittedTensors = ["att.weight"]
        #expect(try fixture.loadError() == .missingTensor("att.weight"))
    }

    @Test("attention tensors of the wrong shape are wrongTensorShape (GGUF dims, columns first)")
    func wrongShapes() throws {
        var fixture = Self.base
        // att.weight is H_d × E = 5 × 5: dims [5, 5]; a 4-row one is refused.
        fixture.replacedTensors["att.weight"] = (.f32, [5, 4], [UInt8](repeating: 0, count: 20 * 4))
        #expect(try fixture.loadError() == .wrongTensorShape(tensor: "att.weight", expected: [5, 5], found: [5, 4]))
        // att.combine.weight is C × (E + H_d) = 6 × 10.
        fixture.replacedTensors = ["att.combine.weight": (.f32, [9, 6], [UInt8](repeating: 0, count: 54 * 4))]
        #expect(try fixture.loadError()
            == .wrongTensorShape(tensor: "att.combine.weight", expected: [10, 6], found: [9, 6]))
        var additive = Self.additive
        additive.replacedTensors = ["att.v": (.f32, [5], [UInt8](repeating: 0, count: 20))]
        #expect(try additive.loadError() == .wrongTensorShape(tensor: "att.v", expected: [4], found: [5]))
        // A bidirectional layer's reverse weights have the forward's shape.
        var bidirectional = Self.base
        bidirectional.bidirectional = true
        bidirectional.replacedTensors = ["enc.1.weight_hh_reverse": (.f32, [4, 20], [UInt8](repeating: 0, count: 80 * 4))]
        #expect(try bidirectional.loadError()
            == .wrongTensorShape(tensor: "enc.1.weight_hh_reverse", expected: [5, 20], found: [4, 20]))
    }

    @Test("att.v and att.bias must be F32; reverse weights stored unlike the forward ones are refused")
    func wrongTypes() throws {
        var additive = Self.additive
        additive.replacedTensors = ["att.v": (.f16, [4], [UInt8](repeating: 0, count: 8))]
        #expect(try additive.loadError() == .wrongTensorType(tensor: "att.v", expected: "F32", found: "F16"))
        additive.replacedTensors = ["att.bias": (.i8, [4], [UInt8](repeating: 0, count: 4))]
        #expect(try additive.loadError() == .wrongTensorType(tensor: "att.bias", expected: "F32", found: "I8"))
        var bidirectional = Self.base
        bidirectional.bidirectional = true
        bidirectional.replacedTensors = [
            "enc.1.weight_ih_reverse": (.f32, [4, 20], [UInt8](repeating: 0, count: 80 * 4)),
            "enc.1.weight_hh_reverse": (.f32, [5, 20], [UInt8](repeating: 0, count: 100 * 4)),
        ]
        #expect(try bidirectional.loadError(.int8)
            == .wrongTensorType(tensor: "enc.1.weight_ih_reverse", expected: "I8", found: "F32"))
    }

    @Test("values a key cannot hold are badKeyValue naming the key",
          arguments: [
            ("recur.source.max_length", GGUFValue.uint32(0)),
            ("recur.source.max_length", .uint32(4097)),
            ("recur.target.max_length", .uint32(0)),
            ("recur.target.max_length", .uint32(1 << 30)),
            ("recur.token.unk", .uint32(6)),
            ("recur.target.token.bos", .uint32(7)),
            ("recur.target.token.eos", .uint32(0)),
            ("recur.target.token.unk", .uint32(99)),
            ("recur.tokenizer", .string("bpe")),
            ("recur.target.tokenizer", .string("bytes")),
            ("recur.vocab", .array(.string([]))),
            ("recur.enc.count", .uint32(1)),
            ("recur.enc.0.type", .string("lstm")),
            ("recur.enc.0.input", .uint32(5)),
            ("recur.enc.0.bidirectional", .bool(true)),
            ("recur.enc.1.input", .uint32(3)),
            ("recur.enc.1.type", .string("embedding")),
            ("recur.dec.count", .uint32(2)),
            ("recur.dec.0.input", .uint32(9)),
            ("recur.dec.1.input", .uint32(3)),
            ("recur.dec.1.bidirectional", .bool(true)),
            ("recur.dec.2.activation", .string("none")),
            ("recur.dec.2.type", .string("lstm")),
            ("recur.attention.type", .string("luong")),
            ("recur.attention.bridge", .string("mean")),
          ])
    func badKeyValue(key: String, value: GGUFValue) throws {
        var fixture = Self.base
        fixture.overrides = [(key, value)]
        expectBadKeyValue(try fixture.loadError(), key: key)
    }

    @Test("input feeding changes what the first decoder layer must take: D_d + C, else D_d")
    func inputFeedingWidth() throws {
        var fixture = Self.base
        fixture.overrides = [("recur.attention.input_feeding", .bool(false))]
        #expect(try fixture.loadError() == .badKeyValue(
            key: "recur.dec.1.input", reason: "is 9 but the target embedding (3) gives 3"))
    }

    @Test("dot attention needs H_d == E")
    func dotSizes() throws {
        var fixture = Self.base
        fixture.attention = "dot"
        fixture.decoderHidden = 4
        #expect(try fixture.loadError() == .badKeyValue(
            key: "recur.attention.type",
            reason: "dot needs the decoder's hidden size (4) to equal the encoder's output width (5)"))
    }

    @Test("bridge copy needs equal recurrent layer counts, the same cells and state widths")
    func copyBridge() throws {
        var layers = Self.base
        layers.bridge = "copy"
        layers.decoderLayers = 2
        #expect(try layers.loadError() == .badKeyValue(
            key: "recur.attention.bridge",
            reason: "copy needs as many decoder recurrent layers (2) as encoder recurrent layers (1)"))
        var widths = Self.base
        widths.bridge = "copy"
        widths.decoderHidden = 4
        #expect(try widths.loadError() == .badKeyValue(
            key: "recur.dec.1.hidden", reason: "is 4 but bridge copy starts it from encoder layer 1's state of 5"))
        var cells = Self.base
        cells.bridge = "copy"
        cells.overrides = [("recur.dec.1.type", .string("gru"))]
        let error = try #require(try cells.loadError())
        // The GRU decoder layer's weights have 3H rows where the file has 4H: the shape is refused first.
        #expect(error == .wrongTensorShape(tensor: "dec.1.weight_ih", expected: [9, 15], found: [9, 20]))
        // A bidirectional encoder layer's state is 2H wide: the decoder must be too.
        var bidirectional = Self.base
        bidirectional.bridge = "copy"
        bidirectional.bidirectional = true
        #expect(try bidirectional.loadError() == nil)
        bidirectional.decoderHidden = 5
        #expect(try bidirectional.loadError() == .badKeyValue(
            key: "recur.dec.1.hidden", reason: "is 5 but bridge copy starts it from encoder layer 1's state of 10"))
    }

    @Test("self-test tensors: a source over source.max_length, a token outside the vocabulary, an output not a vector")
    func selfTests() throws {
        var fixture = try Self.base.withSelfTests([[1, 2, 3]], .f32)
        #expect(try fixture.loadError() == nil)
        fixture.extraTensors[0] = ("selftest.0.input", .i32, [13], [UInt8](repeating: 0, count: 13 * 4))
        #expect(try fixture.loadError() == .badKeyValue(
            key: "selftest.0.input", reason: "holds 13 tokens, over recur.source.max_length 12"))
        fixture.extraTensors[0] = ("selftest.0.input", .i32, [1], [9, 0, 0, 0])
        #expect(try fixture.loadError() == .badKeyValue(
            key: "selftest.0.input", reason: "token 9 at 0 is outside the vocabulary of 6"))
        fixture = try Self.base.withSelfTests([[1, 2, 3]], .f32)
        let output = fixture.extraTensors[1]
        fixture.extraTensors[1] = (output.0, .f32, [1, output.2[0]], output.3)
        #expect(try fixture.loadError() == .wrongTensorShape(tensor: "selftest.0.output", expected: [-1], found: [1, output.2[0]]))
    }

    @Test("sessions and translators are for their own tasks; beam widths outside 1...256 are refused")
    func wrongTasks() throws {
        let model = try Self.base.model()
        #expect(throws: RecurError.wrongTask(expected: "classifier or regressor (frames)", found: "seq2seq")) {
            _ = try model.makeFrameSession()
        }
        #expect(throws: RecurError.wrongTask(expected: "lm", found: "seq2seq")) { _ = try model.makeLanguageSession() }
        let lm = try ModelFixture.lm().model()
        #expect(throws: RecurError.wrongTask(expected: "seq2seq", found: "lm")) { _ = try lm.makeTranslator() }
        #expect(throws: RecurError.badBeamWidth(width: 0, maximum: 256)) { _ = try model.makeTranslator(beamWidth: 0) }
        #expect(throws: RecurError.badBeamWidth(width: 257, maximum: 256)) { _ = try model.makeTranslator(beamWidth: 257) }
        let translator = try model.makeTranslator(beamWidth: 3)
        #expect(throws: RecurError.badBeamWidth(width: 4, maximum: 3)) { _ = try translator.beam([1], width: 4) }
        #expect(throws: RecurError.badBeamWidth(width: 3, maximum: 2)) { _ = try translator.beam([1], width: 2, best: 3) }
    }
}
