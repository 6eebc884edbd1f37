import RecurRuntime
import Testing
import TestSupport

/// Model-level refusals (FORMAT.md: a missing required key or tensor, a tensor whose
/// type or shape disagrees with the layer that uses it, …): one fixture change per
/// test, each expecting its own error naming the key or tensor and what was expected.
@Suite("Model refusals")
struct ModelRefusalTests {
    /// A two-layer LSTM classifier (3 → 8 → 4 labels) that loads: each test changes one thing.
    static var base: ModelFixture { ModelFixture.classifier(cells: ["lstm"], input: 3, hidden: 8, classes: 4) }

    @Test("the unchanged fixtures load, in every storage, so each refusal below comes from its one change")
    func baselinesLoad() throws {
        for storage in WeightStorage.allCases {
            #expect(try Self.base.loadError(storage) == nil)
            #expect(try ModelFixture.lm().loadError(storage) == nil)
            #expect(try ModelFixture.regressor(cells: ["gru"]).loadError(storage) == nil)
        }
    }

    @Test("a missing required key is missingKey naming it",
          arguments: ["recur.task", "recur.enc.count", "recur.enc.0.type", "recur.enc.0.input", "recur.enc.0.hidden",
                      "recur.enc.1.output", "recur.enc.1.activation", "recur.input.size", "recur.labels"])
    func missingKey(key: String) throws {
        var fixture = Self.base
        fixture.omittedKeys = [key]
        #expect(try fixture.loadError() == .missingKey(key))
    }

    @Test("mean without std (or std without mean) is missingKey for the other")
    func halfNormalization() throws {
        var fixture = Self.base
        fixture.omittedKeys = ["recur.input.std"]
        #expect(try fixture.loadError() == .missingKey("recur.input.std"))
        fixture.omittedKeys = ["recur.input.mean"]
        #expect(try fixture.loadError() == .missingKey("recur.input.mean"))
    }

    @Test("regressor and lm keys: recur.output.size and recur.vocab are required")
    func taskKeys() throws {
        var regressor = ModelFixture.regressor(cells: ["gru"])
        regressor.omittedKeys = ["recur.output.size"]
        #expect(try regressor.loadError() == .missingKey("recur.output.size"))
        var lm = ModelFixture.lm()
        lm.omittedKeys = ["recur.vocab"]
        #expect(try lm.loadError() == .missingKey("recur.vocab"))
    }

    @Test("a key of the wrong GGUF type is wrongKeyType")
    func wrongKeyType() throws {
        var fixture = Self.base
        fixture.overrides = [("recur.enc.count", .string("2"))]
        guard case let .wrongKeyType(key, _, _) = try #require(try fixture.loadError()) else {
            Issue.record("expected wrongKeyType")
            return
        }
        #expect(key == "recur.enc.count")
    }

    @Test("a missing tensor is missingTensor naming it, including an int8 weight's row scales",
          arguments: ["enc.0.weight_ih", "enc.0.weight_hh", "enc.0.bias_ih", "enc.0.bias_hh", "enc.1.weight", "enc.1.bias",
                      "enc.0.weight_hh.scale", "enc.1.weight.scale"])
    func missingTensor(name: String) throws {
        var fixture = Self.base
        fixture.omittedTensors = [name]
        #expect(try fixture.loadError(.int8) == .missingTensor(name))
    }

    @Test("a weight whose shape disagrees with its layer is wrongTensorShape (GGUF dims, columns first)")
    func wrongWeightShape() throws {
        var fixture = Self.base
        // LSTM weight_ih must be 4·8 rows × 3 columns: dims [3, 32].
        fixture.replacedTensors["enc.0.weight_ih"] = (.f32, [3, 31], [UInt8](repeating: 0, count: 3 * 31 * 4))
        #expect(try fixture.loadError() == .wrongTensorShape(tensor: "enc.0.weight_ih", expected: [3, 32], found: [3, 31]))
        fixture.replacedTensors = ["enc.1.weight": (.f32, [4, 8], [UInt8](repeating: 0, count: 32 * 4))]
        #expect(try fixture.loadError() == .wrongTensorShape(tensor: "enc.1.weight", expected: [8, 4], found: [4, 8]))
    }

    @Test("a bias or row scale of the wrong length is wrongTensorShape")
    func wrongVectorShape() throws {
        var fixture = Self.base
        fixture.replacedTensors["enc.0.bias_hh"] = (.f32, [31], [UInt8](repeating: 0, count: 31 * 4))
        #expect(try fixture.loadError() == .wrongTensorShape(tensor: "enc.0.bias_hh", expected: [32], found: [31]))
        fixture.replacedTensors = [:]
        fixture.omittedTensors = ["enc.1.weight.scale"]
        fixture.extraTensors = [("enc.1.weight.scale", .f32, [8], [UInt8](repeating: 0, count: 8 * 4))]
        #expect(try fixture.loadError(.int8) == .wrongTensorShape(tensor: "enc.1.weight.scale", expected: [4], found: [8]))
    }

    @Test("tensor types the layer cannot use are wrongTensorType: I32 weights, F16 biases, I8 biases, mixed I8/F32 cell")
    func wrongTensorType() throws {
        var fixture = Self.base
        fixture.replacedTensors["enc.0.weight_ih"] = (.i32, [3, 32], [UInt8](repeating: 0, count: 96 * 4))
        #expect(try fixture.loadError() == .wrongTensorType(tensor: "enc.0.weight_ih", expected: "I8, F32 or F16", found: "I32"))
        fixture.replacedTensors = ["enc.1.bias": (.f16, [4], [UInt8](repeating: 0, count: 8))]
        #expect(try fixture.loadError() == .wrongTensorType(tensor: "enc.1.bias", expected: "F32", found: "F16"))
        fixture.replacedTensors = ["enc.0.bias_ih": (.i8, [32], [UInt8](repeating: 0, count: 32))]
        #expect(try fixture.loadError() == .wrongTensorType(tensor: "enc.0.bias_ih", expected: "F32", found: "I8"))
        // weight_ih I8 (from the int8 storage) but weight_hh F32.
        fixture.replacedTensors = ["enc.0.weight_hh": (.f32, [8, 32], [UInt8](repeating: 0, count: 256 * 4))]
        #expect(try fixture.loadError(.int8) == .wrongTensorType(tensor: "enc.0.weight_hh", expected: "I8", found: "F32"))
    }

    @Test("layer sizes that do not chain are layerSizeMismatch")
    func sizesDoNotChain() throws {
        var fixture = Self.base
        fixture.overrides = [("recur.input.size", .uint32(5))]
        #expect(try fixture.loadError() == .layerSizeMismatch(layer: 0, input: 3, previousOutput: 5))
        fixture.overrides = [("recur.enc.1.input", .uint32(7))]
        #expect(try fixture.loadError() == .layerSizeMismatch(layer: 1, input: 7, previousOutput: 8))
    }

    @Test("values a key cannot hold are badKeyValue naming the key",
          arguments: [
            ("recur.task", GGUFValue.string("translator")),
            ("recur.enc.count", .uint32(0)),
            ("recur.enc.0.hidden", .uint32(0)),
            ("recur.enc.0.type", .string("transformer")),
            ("recur.enc.1.activation", .string("relu")),
            ("recur.labels", .array(.string(["a", "b", "c"]))),
            ("recur.input.mean", .array(.float32([0, 0]))),
            ("recur.input.std", .array(.float32([1, 0, 1]))),
            ("recur.input.names", .array(.string(["x"]))),
            ("recur.window", .uint32(1 << 21)),
            ("recur.hop", .uint32(0)),
            ("recur.enc.0.bidirectional", .bool(true)),
          ])
    func badKeyValue(key: String, value: GGUFValue) throws {
        var fixture = Self.base
        fixture.overrides = [(key, value)]
        expectBadKeyValue(try fixture.loadError(), key: key)
    }

    @Test("stacks the runtime cannot run are refused: no recurrent layer, no dense head, an lm without embedding")
    func badStacks() throws {
        var rng = SeededGenerator(seed: 51)
        var denseOnly = Self.base
        denseOnly.layers = [ModelFixture.dense(0, activation: "softmax", input: 3, output: 4, &rng)]
        #expect(try denseOnly.loadError()
            == .badKeyValue(key: "recur.enc.count", reason: "the stack has no recurrent layer (lstm, gru or rnn)"))

        var noHead = Self.base
        noHead.layers = [ModelFixture.recurrent(0, "gru", input: 3, hidden: 4, &rng)]
        #expect(try noHead.loadError()
            == .badKeyValue(key: "recur.enc.0.type", reason: "the last layer must be dense (the output head)"))

        var lm = ModelFixture.lm()
        lm.layers = [ModelFixture.recurrent(0, "lstm", input: 7, hidden: 8, &rng),
                     ModelFixture.dense(1, activation: "none", input: 8, output: 7, &rng)]
        #expect(try lm.loadError()
            == .badKeyValue(key: "recur.enc.0.type", reason: "an lm starts with an embedding layer"))

        var rnnWithoutActivation = ModelFixture.regressor(cells: ["rnn_tanh"])
        rnnWithoutActivation.layers[0].activation = nil
        #expect(try rnnWithoutActivation.loadError() == .missingKey("recur.enc.0.activation"))
    }

    @Test("refusals the decoder makes reach Model(file:) callers unchanged: architecture, format version, -128")
    func decoderRefusals() throws {
        var fixture = Self.base
        fixture.overrides = [("general.architecture", .string("llama"))]
        #expect(try fixture.loadError() == .wrongArchitecture(found: "llama"))
        fixture.overrides = [("recur.format_version", .uint32(2))]
        #expect(try fixture.loadError() == .formatVersionTooNew(found: 2, supported: 1))
        fixture.overrides = []
        fixture.replacedTensors["enc.1.weight"] = (.i8, [8, 4], [UInt8](repeating: 1, count: 31) + [0x80])
        #expect(try fixture.loadError(.int8) == .int8OutOfRange(tensor: "enc.1.weight", index: 31))
    }
}
