import Foundation
import Testing
import TestSupport
import RecurRuntime
@testable import Trainer

/// Export → Runtime round trips: the file loads, the Runtime's decoder reproduces the trainer's
/// probabilities step by step (f32 to 1e-5, int8 close), greedy decodes agree, self-tests are the
/// Runtime's own and verify, and bad self-test sources are refused before anything is written.
@Suite struct Seq2SeqExportTests {
    static let configurations = [
        Seq2SeqTestSupport.spec(.lstm, attention: .general, bidirectional: true, bridge: .copy),
        Seq2SeqTestSupport.spec(.gru, attention: .additive, inputFeeding: true, encoderLayers: 2, decoderLayers: 2),
        Seq2SeqTestSupport.spec(.lstm, attention: .dot, inputFeeding: true, bridge: .copy, encoderLayers: 2, decoderLayers: 2),
        Seq2SeqTestSupport.spec(.rnnTanh, attention: .additive, bidirectional: true, inputFeeding: false),
        Seq2SeqTestSupport.spec(.gru, attention: .dot, bidirectional: true, inputFeeding: true, bridge: .copy),
    ]

    /// Vocabularies, tokenizers, special ids and max lengths for the test spec (BOS 1, EOS 2).
    static func taskKeys(_ spec: Seq2SeqSpec, maxLength: Int = 8) -> [(String, GGUFValue)] {
        [("recur.vocab", .array(.string((0..<spec.sourceVocabulary).map { "s\($0)" }))),
         ("recur.tokenizer", .string("word")),
         ("recur.token.unk", .uint32(0)),
         ("recur.target.vocab", .array(.string((0..<spec.targetVocabulary).map { "t\($0)" }))),
         ("recur.target.tokenizer", .string("word")),
         ("recur.target.token.bos", .uint32(1)),
         ("recur.target.token.eos", .uint32(2)),
         ("recur.target.token.unk", .uint32(0)),
         ("recur.source.max_length", .uint32(6)),
         ("recur.target.max_length", .uint32(UInt32(maxLength)))]
    }

    static let sources: [[Int32]] = [[3, 5, 1, 6], [2], [6, 6, 4, 1, 3, 2]]

    /// The largest |ln p_trainer − ln p_runtime| over every step of teacher-forcing `prefix`.
    static func largestLogDifference(_ model: Seq2SeqModel, _ translator: Translator, source: [Int32],
                                     prefix: [Int32]) throws -> Float {
        try Seq2SeqTestSupport.largestLogDifference(model, .tokens(source), prefix: prefix) {
            try translator.logProbabilities(source: source, prefix: $0)
        }
    }

    @Test("f32 export: Runtime probabilities == trainer probabilities step by step; greedy agrees", arguments: configurations)
    func f32Parity(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 61)
        let (bytes, loaded) = try Seq2SeqExporter.export(model, name: "parity", taskKeys: Self.taskKeys(spec),
                                                         quantized: false, selfTestSources: Self.sources, to: nil)
        let runtime = try #require(loaded)
        #expect(runtime.task == .seq2seq)
        #expect(try runtime.verifySelfTests().cases == Self.sources.count)
        #expect(!bytes.isEmpty)
        let translator = try runtime.makeTranslator()
        for source in Self.sources {
            // p_t = exp(ln p): 1e-5 in the log is 1e-5 relative in the probability
            let worst = try Self.largestLogDifference(model, translator, source: source, prefix: [4, 3, 5, 2, 0])
            #expect(worst <= 1e-5, "largest ln-probability difference \(worst)")
            let trainer = model.greedyHypothesis(source, bos: 1, eos: 2, maxLength: 8)
            let decoded = try translator.greedy(source)
            #expect(decoded.tokens == trainer.tokens && decoded.finished == trainer.finished)
            #expect(abs(decoded.logProbability - trainer.logProbability) <= 1e-4 * max(1, abs(trainer.logProbability)))
        }
    }

    /// The trainer's beam and the Runtime's beam follow the same rule (K slots, a finished
    /// hypothesis keeps its slot, logP / len^alpha): on an f32 export they return the same
    /// hypotheses in the same order for every width and alpha.
    @Test("f32 export: Runtime beam == trainer beam (widths 1…4, alpha 0 and 1)", arguments: configurations)
    func beamParity(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 66)
        let runtime = try #require(try Seq2SeqExporter.export(
            model, name: "beam", taskKeys: Self.taskKeys(spec, maxLength: 5), quantized: false, selfTestSources: [], to: nil).model)
        let translator = try runtime.makeTranslator(beamWidth: 4)
        for source in Self.sources {
            for width in 1...4 {
                for alpha: Float in [0, 1] {
                    let trainer = model.beamHypotheses(source, bos: 1, eos: 2, maxLength: 5, width: width, alpha: alpha)
                    let decoded = try translator.beam(source, width: width, alpha: alpha, best: 1)
                    #expect(decoded[0].tokens == trainer[0].tokens && decoded[0].finished == trainer[0].finished,
                            "width \(width), alpha \(alpha): runtime \(decoded[0].tokens), trainer \(trainer[0].tokens)")
                    #expect(abs(decoded[0].score - trainer[0].score) <= 1e-4 * max(1, abs(trainer[0].score)))
                }
            }
        }
    }

    @Test("int8 export: Runtime probabilities close to the f32 trainer", arguments: configurations)
    func int8Closeness(spec: Seq2SeqSpec) throws {
        let model = try Seq2SeqModel(spec: spec, seed: 62)
        let quantizedModel = try #require(try Seq2SeqExporter.export(
            model, name: "int8", taskKeys: Self.taskKeys(spec), quantized: true, selfTestSources: Self.sources, to: nil).model)
        let translator = try quantizedModel.makeTranslator()
        for source in Self.sources {
            let worst = try Self.largestLogDifference(model, translator, source: source, prefix: [4, 3, 5])
            // per-row int8 weights move ln p by up to ~2e-3 in these tiny models (measured)
            #expect(worst <= 0.01, "largest int8 ln-probability difference \(worst)")
        }
    }

    @Test("the file is written atomically, holds int8 weights with scales and F32 biases, and verifies")
    func writesFile() throws {
        let spec = Self.configurations[1]
        let model = try Seq2SeqModel(spec: spec, seed: 63)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-export-\(UUID().uuidString).rnnz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (bytes, loaded) = try Seq2SeqExporter.export(model, name: "file", taskKeys: Self.taskKeys(spec), quantized: true,
                                                         selfTestSources: Self.sources, to: path)
        #expect(try ModelFile.read(path) == bytes)
        #expect(loaded != nil)
        let file = try ModelFile.load(path)
        #expect(try file.tensor("att.key.weight").type == .i8)
        #expect(try file.tensor("att.key.weight.scale").type == .f32)
        #expect(try file.tensor("att.v").type == .f32)
        #expect(try file.tensor("enc.0.weight").type == .i8)
        #expect(try file.tensor("dec.3.weight").type == .i8)
        #expect(try file.tensor("selftest.2.input").type == .i32)
        let reloaded = try Model(contentsOf: path)
        #expect(try reloaded.verifySelfTests().cases == 3)
    }

    @Test("a bad self-test source is refused by the Runtime and nothing is written")
    func refusesBadSource() throws {
        let spec = Self.configurations[0]
        let model = try Seq2SeqModel(spec: spec, seed: 64)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-bad-\(UUID().uuidString).rnnz").path
        try? FileManager.default.removeItem(atPath: path)
        #expect(throws: RecurError.emptyInput) {
            _ = try Seq2SeqExporter.export(model, name: "bad", taskKeys: Self.taskKeys(spec), quantized: false,
                                           selfTestSources: [[3], []], to: path)
        }
        #expect(throws: RecurError.self) {
            _ = try Seq2SeqExporter.export(model, name: "bad", taskKeys: Self.taskKeys(spec), quantized: false,
                                           selfTestSources: [[1, 2, 3, 4, 5, 6, 1]], to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
