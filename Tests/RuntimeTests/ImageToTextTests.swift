import RecurRuntime
import Testing
import TestSupport

/// Image-to-text models (docs/FORMAT.md, "Image-to-text models"): the convolution encoder and
/// the decoder over its memory against a Double reference, storage types, decoding, self-tests,
/// rendering and the loader's refusals.
@Suite("Image to text")
struct ImageToTextTests {
    /// Encoders of several shapes: padding, strides, pooling, RGB, a 1×1 memory.
    static func architectures() -> [ImageFixture] {
        var all: [ImageFixture] = [ImageFixture()]
        var rgb = ImageFixture()
        rgb.channels = 3
        rgb.height = 9
        rgb.width = 8
        rgb.layers = [.conv(filters: 5, kernel: (3, 2), stride: (2, 1), pad: (1, 0)), .relu,
                      .pool(size: (2, 3), stride: (1, 2)), .relu]
        rgb.target.attention = "additive"
        all.append(rgb)
        var single = ImageFixture()
        single.height = 4
        single.width = 4
        single.layers = [.conv(filters: 6, kernel: (4, 4), stride: (1, 1), pad: (0, 0))]
        single.target.attention = "dot"
        single.target.inputFeeding = false
        all.append(single)
        var gru = ImageFixture()
        gru.target.cell = "gru"
        gru.target.decoderLayers = 2
        gru.target.decoderHidden = 7
        all.append(gru)
        return all
    }

    @Test("the f32 encoder and decoder equal the Double reference to 1e-5 on every architecture")
    func matchesReference() throws {
        for fixture in Self.architectures() {
            let translator = try fixture.model(.f32).makeTranslator()
            let reference = ImageReference(fixture: fixture)
            for seed in [UInt64(1), 2, 3] {
                let image = fixture.image(seed: seed)
                for prefix in [[], [3], [4, 6, 2, 5]] as [[Int32]] {
                    let found = try translator.logProbabilities(image: image, prefix: prefix)
                    let expected = reference.logProbabilities(image: image, prefix: prefix.map(Int.init))
                    let worst = zip(found, expected).map { abs(Double($0) - $1) }.max()!
                    #expect(worst <= 1e-5, "\(fixture.layers.count) layers, image \(seed), prefix \(prefix): off by \(worst)")
                }
            }
        }
    }

    @Test("int8 and F16 weights stay close to f32: every log-probability within 0.05 (F16: 1e-6)")
    func quantizedClose() throws {
        for fixture in Self.architectures() {
            let f32 = try fixture.model(.f32).makeTranslator()
            for storage in [WeightStorage.int8, .f16] {
                let other = try fixture.model(storage).makeTranslator()
                for seed in [UInt64(4), 5] {
                    let image = fixture.image(seed: seed)
                    let a = try f32.logProbabilities(image: image, prefix: [3, 4])
                    let b = try other.logProbabilities(image: image, prefix: [3, 4])
                    let worst = zip(a, b).map { abs($0 - $1) }.max()!
                    #expect(worst < (storage == .f16 ? 1e-6 : 0.05), "\(storage): off by \(worst)")
                }
            }
        }
    }

    @Test("greedy picks the teacher-forced argmax each step; a beam of 1 is greedy; beams return their best first")
    func decoding() throws {
        for fixture in Self.architectures() {
            let model = try fixture.model(.int8)
            let translator = try model.makeTranslator(beamWidth: 4)
            let image = fixture.image(seed: 9)
            let greedy = try translator.greedy(image: image)
            var prefix: [Int32] = []
            var total: Float = 0
            for token in greedy.tokens + (greedy.finished ? [Int32(Seq2SeqFixture.eos)] : []) {
                let logP = try translator.logProbabilities(image: image, prefix: prefix)
                let best = logP.indices.max { logP[$0] < logP[$1] || (logP[$0] == logP[$1] && $0 > $1) }!
                #expect(best == Int(token))
                total += logP[Int(token)]
                prefix.append(token)
            }
            #expect(total == greedy.logProbability)
            #expect(try translator.beam(image: image, width: 1) == [greedy])
            let beams = try translator.beam(image: image, width: 4, best: 3)
            #expect(beams.count == 3)
            #expect(zip(beams, beams.dropFirst()).allSatisfy { $0.score >= $1.score || !$1.finished })
            #expect(beams[0].score >= greedy.score || !beams[0].finished)
        }
    }

    @Test("self-tests: the exporter's outputs verify bit for bit on every storage, a changed value fails")
    func selfTests() throws {
        let fixture = ImageFixture()
        let images = [fixture.image(seed: 1), fixture.image(seed: 2)]
        for storage in WeightStorage.allCases {
            let model = try fixture.withSelfTests(images, storage).model(storage)
            #expect(model.selfTests.count == 2)
            #expect(model.selfTests[0].input == .image(images[0]))
            let report = try model.verifySelfTests()
            #expect(report.cases == 2)
        }
        var tampered = try fixture.withSelfTests(images, .f32)
        let outputs = try fixture.model(.f32).selfTestOutputs(for: .image(images[0]))
        var changed = outputs
        changed[changed.count - 1] += 0.5
        tampered.extraTensors[1].3 = ModelFixture.littleEndianBytes(changed.map(\.bitPattern))
        #expect(throws: RecurError.self) { _ = try tampered.model(.f32).verifySelfTests() }
    }

    @Test("the model describes its input, encoder, memory and parameters")
    func configuration() throws {
        let fixture = ImageFixture()
        let model = try fixture.model(.int8)
        #expect(model.task == .imageToText)
        let image = try #require(model.image)
        #expect(image.input == ImageConfiguration.Shape(height: 7, width: 6, channels: 1))
        #expect(image.layers.map(\.kind.name) == ["conv2d", "relu", "maxpool", "conv2d"])
        #expect(image.layers[2].output == ImageConfiguration.Shape(height: 3, width: 3, channels: 3))
        #expect(image.memory == ImageConfiguration.Shape(height: 2, width: 2, channels: 4))
        #expect(image.parameterCount == 3 * (9 + 1) + 4 * (4 * 3 + 1))
        let seq2seq = try #require(model.seq2seq)
        #expect(seq2seq.sourceMaxLength == 4 && seq2seq.encoderWidth == 4 && seq2seq.sourceTokenizer == nil)
        #expect(model.parameterCount == image.parameterCount + seq2seq.decoderParameterCount)
        #expect(model.layers.isEmpty)
    }

    @Test("render: before, each token's text, after; nil without a table")
    func render() throws {
        var fixture = ImageFixture()
        #expect(try fixture.model().makeTranslator().render(Translation(tokens: [3], finished: true, logProbability: 0, score: 0)) == nil)
        fixture.render = ("<p>", ["", "", "?", "x", "<b>y</b>", "z\n", "w"], "</p>")
        let translator = try fixture.model().makeTranslator()
        let translation = Translation(tokens: [3, 4, 5, 3], finished: true, logProbability: 0, score: 0)
        #expect(translator.render(translation) == "<p>x<b>y</b>z\nx</p>")
    }

    @Test("an image of another size, tokens given to an image model and an image given to a seq2seq model are refused")
    func wrongInputs() throws {
        let fixture = ImageFixture()
        let translator = try fixture.model().makeTranslator()
        #expect(throws: RecurError.wrongInputSize(expected: 42, found: 41)) {
            _ = try translator.greedy(image: [Float](repeating: 0, count: 41))
        }
        #expect(throws: RecurError.wrongTask(expected: "seq2seq (source tokens)", found: "image_to_text")) {
            _ = try translator.greedy([1, 2])
        }
        #expect(translator.tokenize("abc").ids.isEmpty)
        let seq2seq = try Seq2SeqFixture().model().makeTranslator()
        #expect(throws: RecurError.wrongTask(expected: "image_to_text", found: "seq2seq")) {
            _ = try seq2seq.greedy(image: fixture.image(seed: 1))
        }
    }

    /// The refusal `fixture` meets when loaded.
    private func refusal(_ fixture: ImageFixture) -> RecurError? {
        do {
            _ = try fixture.model()
            return nil
        } catch let error as RecurError {
            return error
        } catch {
            return .internalError("\(error)")
        }
    }

    /// The key a `badKeyValue` refusal names, or the error's description.
    private func refusedKey(_ fixture: ImageFixture) -> String {
        guard let error = refusal(fixture) else { return "accepted" }
        if case .badKeyValue(let key, _) = error { return key }
        return "\(error)"
    }

    @Test("the loader refuses images, layers and shapes it cannot run, naming the key")
    func refusals() throws {
        var fixture = ImageFixture()
        fixture.overrides = [("recur.image.channels", .uint32(2))]
        #expect(refusedKey(fixture) == "recur.image.channels")
        fixture.overrides = [("recur.image.height", .uint32(5000))]
        #expect(refusedKey(fixture) == "recur.image.height")
        fixture.overrides = [("recur.enc.0.type", .string("relu"))]
        #expect(refusedKey(fixture) == "recur.enc.0.type")
        fixture.overrides = [("recur.enc.1.type", .string("dense"))]
        #expect(refusedKey(fixture) == "recur.enc.1.type")
        fixture.overrides = [("recur.enc.0.input", .uint32(3))]
        #expect(refusedKey(fixture) == "recur.enc.0.input")
        fixture.overrides = [("recur.enc.0.stride_h", .uint32(0))]
        #expect(refusedKey(fixture) == "recur.enc.0.stride_h")
        fixture.overrides = [("recur.enc.2.size_h", .uint32(9))]
        #expect(refusedKey(fixture) == "recur.enc.2.size_h")
        fixture.overrides = [("recur.attention.bridge", .string("copy"))]
        #expect(refusedKey(fixture) == "recur.attention.bridge")

        // A kernel larger than the padded input.
        var large = ImageFixture()
        large.layers = [.conv(filters: 2, kernel: (9, 3), stride: (1, 1), pad: (0, 0))]
        #expect(refusedKey(large) == "recur.enc.0.kernel_h")
        // 70×70 positions of memory are over the attention's 4096 rows.
        var wide = ImageFixture()
        wide.height = 70
        wide.width = 70
        wide.layers = [.conv(filters: 2, kernel: (1, 1), stride: (1, 1), pad: (0, 0))]
        #expect(refusedKey(wide) == "recur.enc.0.type")

        // Tensors: missing, wrong shape, wrong type.
        fixture = ImageFixture()
        fixture.omittedTensors = ["enc.3.bias"]
        #expect(refusal(fixture) == .missingTensor("enc.3.bias"))
        fixture = ImageFixture()
        fixture.replacedTensors = ["enc.0.weight": (.f32, [8, 3], [UInt8](repeating: 0, count: 96))]
        #expect(refusal(fixture) == .wrongTensorShape(tensor: "enc.0.weight", expected: [9, 3], found: [8, 3]))

        // The render table: all three keys or none, one text per target token.
        fixture = ImageFixture()
        fixture.render = ("a", ["x"], "b")
        #expect(refusedKey(fixture) == "recur.target.render.tokens")
        fixture.render = ("a", Array(repeating: "x", count: 7), "b")
        fixture.omittedKeys = ["recur.target.render.after"]
        #expect(refusal(fixture) == .missingKey("recur.target.render.after"))

        // A self-test input of another size.
        fixture = ImageFixture()
        fixture.overrides = [("recur.selftest.count", .uint32(1))]
        fixture.extraTensors = [("selftest.0.input", .f32, [41], [UInt8](repeating: 0, count: 164)),
                                ("selftest.0.output", .f32, [1], [0, 0, 0, 0])]
        #expect(refusal(fixture) == .wrongTensorShape(tensor: "selftest.0.input", expected: [42], found: [41]))
    }
}
