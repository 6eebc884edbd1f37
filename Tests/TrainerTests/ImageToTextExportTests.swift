import Foundation
import RecurRuntime
import Testing
import TestSupport
@testable import Trainer

/// ImageToTextExporter → Runtime: the file's encoder (NHWC pixels, filter rows in (ky, kx, c)
/// order, padding, strides, pooling) computes what the trainer's does, so decoding agrees.
@Suite struct ImageToTextExportTests {
    static let configurations: [Seq2SeqSpec] = [
        Seq2SeqTestSupport.imageSpec(.lstm, attention: .general),
        Seq2SeqTestSupport.imageSpec(.gru, attention: .dot, hidden: 4),
        Seq2SeqTestSupport.imageSpec(.lstm, attention: .additive, inputFeeding: true),
        Seq2SeqTestSupport.imageSpec(.gru, attention: .general, layers: [
            .conv2d(filters: 3, window: ImageWindow(size: 3, stride: 2, padding: 1)), .relu,
            .conv2d(filters: 5, window: ImageWindow(height: 2, width: 3, strideHeight: 1, strideWidth: 1, paddingHeight: 0,
                                                    paddingWidth: 1)),
            .maxpool(window: ImageWindow(height: 2, width: 1, strideHeight: 1, strideWidth: 1)), .relu,
        ], channels: 3),
    ]

    /// Target-side keys for a spec's vocabulary (t0 … t(V−1); 0 unk, 1 bos, 2 eos).
    static func taskKeys(_ spec: Seq2SeqSpec, maxLength: Int = 8) -> [(String, GGUFValue)] {
        [("recur.target.vocab", .array(.string((0..<spec.targetVocabulary).map { "t\($0)" }))),
         ("recur.target.tokenizer", .string("word")),
         ("recur.target.token.bos", .uint32(1)),
         ("recur.target.token.eos", .uint32(2)),
         ("recur.target.token.unk", .uint32(0)),
         ("recur.target.max_length", .uint32(UInt32(maxLength)))]
    }

    /// Three images of the spec's size, pixels in [0, 1].
    static func images(_ spec: Seq2SeqSpec, seed: UInt64) -> [[Float]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<3).map { _ in rng.uniforms(spec.image!.input.count, 0, 1) }
    }

    /// The largest |ln p_trainer − ln p_runtime| over every step of teacher-forcing `prefix`.
    static func largestLogDifference(_ model: Seq2SeqModel, _ translator: Translator, image: [Float],
                                     prefix: [Int32]) throws -> Float {
        try Seq2SeqTestSupport.largestLogDifference(model, .image(image), prefix: prefix) {
            try translator.logProbabilities(image: image, prefix: $0)
        }
    }

    @Test("f32 export: Runtime probabilities == trainer probabilities step by step; greedy and beam agree",
          arguments: configurations)
    func f32Parity(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 71)
        let images = Self.images(spec, seed: 72)
        let runtime = try #require(try ImageToTextExporter.export(model, name: "parity", taskKeys: Self.taskKeys(spec),
                                                                   quantized: false, selfTestImages: images, to: nil).model)
        #expect(runtime.task == .imageToText)
        #expect(try runtime.verifySelfTests().cases == images.count)
        let translator = try runtime.makeTranslator(beamWidth: 3)
        for image in images {
            let worst = try Self.largestLogDifference(model, translator, image: image, prefix: [4, 3, 5, 2, 0])
            #expect(worst <= 1e-5, "largest ln-probability difference \(worst)")
            let trainer = model.greedyHypothesis(.image(image), bos: 1, eos: 2, maxLength: 8)
            let decoded = try translator.greedy(image: image)
            #expect(decoded.tokens == trainer.tokens && decoded.finished == trainer.finished)
            #expect(abs(decoded.logProbability - trainer.logProbability) <= 1e-4 * max(1, abs(trainer.logProbability)))
            let beam = model.beamHypotheses(.image(image), bos: 1, eos: 2, maxLength: 8, width: 3, alpha: 1)
            let runtimeBeam = try translator.beam(image: image, width: 3, alpha: 1)
            #expect(runtimeBeam[0].tokens == beam[0].tokens, "beam: runtime \(runtimeBeam[0].tokens), trainer \(beam[0].tokens)")
        }
    }

    @Test("int8 export: Runtime probabilities close to the f32 trainer", arguments: configurations)
    func int8Closeness(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 73)
        let images = Self.images(spec, seed: 74)
        let runtime = try #require(try ImageToTextExporter.export(model, name: "int8", taskKeys: Self.taskKeys(spec),
                                                                   quantized: true, selfTestImages: images, to: nil).model)
        let translator = try runtime.makeTranslator()
        for image in images {
            let worst = try Self.largestLogDifference(model, translator, image: image, prefix: [4, 3, 5])
            // per-filter int8 weights moved ln p by at most 0.003 here (measured 2026-12-06)
            #expect(worst <= 0.02, "largest int8 ln-probability difference \(worst)")
        }
    }

    @Test("an image of the wrong size is refused by the Runtime when computing self-tests, nothing written")
    func refusesWrongImage() throws {
        let spec = Self.configurations[0]
        let model = try Seq2SeqModel(spec: spec, seed: 75)
        let path = NSTemporaryDirectory() + "image2text-bad-\(UUID().uuidString).rnnz"
        #expect(throws: RecurError.self) {
            _ = try ImageToTextExporter.export(model, name: "bad", taskKeys: Self.taskKeys(spec), quantized: false,
                                               selfTestImages: [[Float](repeating: 0.5, count: 35)], to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
