import Testing
import TestSupport
@testable import Trainer

/// Finite-difference checks of whole image → text models: the convolutional encoder (conv, ReLU,
/// max-pool) feeding the seq2seq attention decoder, over every parameter at once.
@Suite struct ImageToTextGradientTests {
    @Test("whole image → text models: directional check over every parameter", arguments: [
        Seq2SeqTestSupport.imageSpec(.lstm, attention: .general),
        Seq2SeqTestSupport.imageSpec(.gru, attention: .dot, hidden: 4),
        Seq2SeqTestSupport.imageSpec(.lstm, attention: .additive, inputFeeding: true, dropout: 0.2),
        Seq2SeqTestSupport.imageSpec(.gru, attention: .general, layers: [
            .conv2d(filters: 3, window: ImageWindow(size: 3, stride: 1, padding: 1)), .relu,
            .maxpool(window: ImageWindow(size: 2, stride: 2)),
            .conv2d(filters: 5, window: ImageWindow(height: 2, width: 3, strideHeight: 1, strideWidth: 1)),
        ], channels: 3),
    ])
    func wholeModel(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 31)
        let batch = try Seq2SeqTestSupport.imageBatch(spec, targetLengths: [2, 4, 3], seed: 32)
        let result = Seq2SeqTestSupport.directional(model, batch, seed: 33)
        #expect(Seq2SeqTestSupport.agree(result), "analytic \(result.analytic), numeric \(result.numeric)")
        #expect(abs(result.analytic) > 1e-2, "the direction must actually change the loss (\(result.analytic))")
        model.trainStep(batch)
        for p in model.parameters { #expect(p.grad.contains { $0 != 0 }, "\(p.name) got no gradient") }
        // the encoder's tensors carry the file's layer indices
        let names = Set(model.parameters.map(\.name))
        #expect(names.isSuperset(of: ["enc.0.weight", "enc.0.bias"]))
        #expect(!names.contains { $0.hasPrefix("enc.1.") || $0.hasPrefix("enc.2.") }, "ReLU and pooling have no tensors")
    }

    /// The check is not vacuous: one wrong element of the first convolution's gradient is caught.
    @Test("the directional check catches a wrong convolution gradient")
    func catchesWrongGradient() throws {
        let spec = Seq2SeqTestSupport.imageSpec()
        let model = try Seq2SeqModel(spec: spec, seed: 31)
        let batch = try Seq2SeqTestSupport.imageBatch(spec, targetLengths: [2, 4, 3], seed: 32)
        let wrong = Seq2SeqTestSupport.directional(model, batch, seed: 33) { m in
            m.parameter(named: "enc.0.weight")!.gradient[2] += 0.05
        }
        #expect(!Seq2SeqTestSupport.agree(wrong), "a wrong gradient passed: \(wrong)")
    }

    /// A batch scores each image as it scores alone (images do not leak into each other), and
    /// teacher forcing agrees with the step-by-step probabilities that decoding uses.
    @Test("batched loss equals per-image losses; decoding steps match teacher forcing")
    func batchEqualsAlone() throws {
        let spec = Seq2SeqTestSupport.imageSpec(.gru, attention: .additive, inputFeeding: true)
        let model = try Seq2SeqModel(spec: spec, seed: 5)
        let batch = try Seq2SeqTestSupport.imageBatch(spec, targetLengths: [3, 3], seed: 6)
        let pixels = spec.image!.input.count, t = batch.targetSteps
        var total = 0.0, weight = 0.0
        for i in 0..<2 {
            var alone = batch
            alone.count = 1
            alone.images = Array(batch.images[(i * pixels)..<((i + 1) * pixels)])
            alone.sourceLengths = [batch.sourceSteps]
            alone.targetInput = Array(batch.targetInput[(i * t)..<((i + 1) * t)])
            alone.targetOutput = Array(batch.targetOutput[(i * t)..<((i + 1) * t)])
            alone.targetLengths = [batch.targetLengths[i]]
            let loss = model.evaluate(alone)
            total += Double(loss.loss * loss.weight)
            weight += Double(loss.weight)
            // −ln p(y_t) from the decoding path, summed, equals the teacher-forced loss × tokens
            let steps = model.stepProbabilities(.image(alone.images), prefix: alone.targetInput)
            let nll = zip(steps, alone.targetOutput).reduce(0.0) { $0 - Math.log(Double($1.0[Int($1.1)])) }
            #expect(abs(nll - Double(loss.loss * loss.weight)) <= 1e-4 * max(1, nll), "image \(i): \(nll) vs \(loss)")
        }
        let both = model.evaluate(batch)
        #expect(abs(Double(both.loss) - total / weight) <= 1e-5 * total / weight)
    }

    /// Specs that cannot work are refused with a message naming the problem.
    @Test("invalid image specs are refused")
    func invalidSpecs() {
        func message(_ spec: Seq2SeqSpec) -> String {
            do { try spec.validate(); return "" } catch { return error.description }
        }
        var copy = Seq2SeqTestSupport.imageSpec()
        copy.bridge = .copy
        #expect(message(copy).contains("bridge zero"))
        #expect(message(Seq2SeqTestSupport.imageSpec(attention: .dot, hidden: 3)).contains("dot attention"))
        #expect(message(Seq2SeqTestSupport.imageSpec(layers: [.relu, .conv2d(filters: 2, window: ImageWindow(size: 3))]))
            .contains("start with a convolution"))
        #expect(message(Seq2SeqTestSupport.imageSpec(channels: 2)).contains("2 channels"))
        #expect(message(Seq2SeqTestSupport.imageSpec(layers: [.conv2d(filters: 2, window: ImageWindow(size: 7))]))
            .contains("enc.0."))
    }

    /// The `--encoder` grammar: what parses, what it parses to, and that describe() reads back.
    @Test("encoder strings parse and print back")
    func grammar() throws {
        let layers = try ImageEncoderSpec.parse("conv16x3p1,relu,pool2,conv32x3x5s2,relu,pool3s1")
        #expect(layers == [
            .conv2d(filters: 16, window: ImageWindow(size: 3, stride: 1, padding: 1)), .relu,
            .maxpool(window: ImageWindow(size: 2, stride: 2)),
            .conv2d(filters: 32, window: ImageWindow(height: 3, width: 5, strideHeight: 2, strideWidth: 2)), .relu,
            .maxpool(window: ImageWindow(size: 3, stride: 1)),
        ])
        #expect(try ImageEncoderSpec.parse(ImageEncoderSpec.describe(layers)) == layers)
        for bad in ["conv16", "conv0x3", "conv4x3q", "pool", "pool2s0", "relu,", "tanh", "conv4x3p"] {
            #expect(throws: TrainerError.self, "\(bad) must not parse") { try ImageEncoderSpec.parse(bad) }
        }
    }
}
