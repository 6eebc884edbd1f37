import Testing
import TestSupport
@testable import Trainer

/// Specs and batches that cannot work are refused with a message naming the field, pair and position.
@Suite struct Seq2SeqValidationTests {
    @Test("invalid specs name the wrong field", arguments: ["hidden", "target vocabulary", "attention size", "bridge copy", "dropout"])
    func invalidSpecs(field: String) {
        var spec = Seq2SeqTestSupport.spec(.lstm, attention: .additive, bridge: .copy)
        #expect(throws: Never.self) { try spec.validate() }
        switch field {
        case "hidden": spec.hidden = 0
        case "target vocabulary": spec.targetVocabulary = -1
        case "attention size": spec.attentionSize = 0
        case "bridge copy": spec.decoderLayers = 2
        default: spec.dropout = 1
        }
        do {
            _ = try Seq2SeqModel(spec: spec, seed: 1)
            Issue.record("accepted an invalid spec (\(field))")
        } catch {
            #expect("\(error)".contains(field), "\(error)")
        }
    }

    @Test("invalid batches name the pair, field and position")
    func invalidBatches() {
        let spec = Seq2SeqTestSupport.spec()
        let good = Seq2SeqTestSupport.batch(spec, sourceLengths: [3, 2], targetLengths: [2, 3], seed: 7)
        #expect(throws: Never.self) { try good.validate(for: spec) }
        var cases: [(Seq2SeqBatch, String)] = []
        var b = good; b.sourceLengths[1] = 0; cases.append((b, "pair 1: source length 0"))
        b = good; b.targetLengths[0] = 4; cases.append((b, "pair 0: target length 4"))
        b = good; b.source[4] = 7; cases.append((b, "pair 1, source position 1: id 7"))
        b = good; b.targetOutput[5] = -2; cases.append((b, "pair 1, target output position 2: id -2"))
        b = good; b.source.removeLast(); cases.append((b, "source holds 5 ids"))
        for (batch, message) in cases {
            do {
                try batch.validate(for: spec)
                Issue.record("accepted: \(message)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}
