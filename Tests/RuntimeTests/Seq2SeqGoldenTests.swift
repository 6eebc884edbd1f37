import Foundation
import RecurRuntime
import Testing
import Trainer

/// The committed seq2seq golden file (Fixtures/seq2seq-golden.rnnz): the format
/// cannot drift silently. The file's GGUF content must equal what the fixture
/// below writes today, it must load and verify, and it must decode the sources
/// below to the committed outputs.
///
/// To re-record after a deliberate format change: `RECUR_RECORD_GOLDEN=1 swift test
/// --filter Seq2SeqGoldenTests` rewrites the file, prints the new expected decodes to
/// paste below, and fails (so a recording run never passes by accident).
@Suite("Seq2seq golden file")
struct Seq2SeqGoldenTests {
    /// Also read by the CLI tests (Tests/CLITests/Seq2SeqRunTests.swift).
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/seq2seq-golden.rnnz").path

    /// A char model over digits and '+' (the addition task's alphabet): 2 bidirectional
    /// LSTM encoder layers, 2 decoder layers, additive attention, input feeding,
    /// bridge copy, int8, with two self-tests.
    static var fixture: Seq2SeqFixture {
        var fixture = Seq2SeqFixture()
        fixture.sourceVocabulary = ["<unk>", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+"]
        fixture.targetVocabulary = ["<bos>", "<eos>", "<unk>", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
        fixture.encoderLayers = 2
        fixture.decoderLayers = 2
        fixture.bidirectional = true
        fixture.hidden = 4
        fixture.attention = "additive"
        fixture.attentionSize = 5
        fixture.bridge = "copy"
        fixture.sourceMaxLength = 9
        fixture.targetMaxLength = 6
        fixture.seed = 2026
        return fixture
    }

    static let sources = ["24+654", "1+1", "999+999", "7"]

    /// Greedy text per source, then the beam-3 N-best (text, score) per source.
    static let expectedGreedy: [String] = ["4<unk><unk><unk><unk><unk>", "<unk>4<unk><unk><unk><unk>", "444999", "400000"]
    static let expectedBeam: [[(String, Float)]] = [
        [("44<unk><unk><unk><unk>", -2.077818), ("4<unk><unk><unk><unk><unk>", -2.089721), ("<unk>4<unk><unk><unk><unk>", -2.092779)],
        [("<unk>44<unk><unk><unk>", -2.099561), ("<unk>44<unk><unk>9", -2.1095746), ("44<unk><unk><unk><unk>", -2.1113927)],
        [("444999", -1.8799995), ("444499", -1.8901364), ("449999", -1.898478)],
        [("040000", -2.120372), ("000000", -2.1213303), ("004000", -2.1214225)],
    ]

    static func goldenBytes() throws -> [UInt8] {
        let plain = try fixture.withSelfTests([[3, 5, 11, 7, 6, 5], [2, 11, 2]], .int8)
        return plain.gguf(.int8)
    }

    /// The decodes of the model at `model`, in the form the constants above hold.
    static func decodes(_ model: Model) throws -> (greedy: [String], beam: [[(String, Float)]]) {
        let translator = try model.makeTranslator(beamWidth: 3)
        var greedy: [String] = []
        var beam: [[(String, Float)]] = []
        for line in sources {
            let source = translator.tokenize(line).ids
            greedy.append(translator.targetTokenizer.decode(try translator.greedy(source).tokens))
            beam.append(try translator.beam(source, width: 3, best: 3).map { (translator.targetTokenizer.decode($0.tokens), $0.score) })
        }
        return (greedy, beam)
    }

    @Test("the committed file holds exactly the GGUF the fixture writes today, loads, verifies and decodes as committed")
    func golden() throws {
        let bytes = try Self.goldenBytes()
        if ProcessInfo.processInfo.environment["RECUR_RECORD_GOLDEN"] == "1" {
            try RnnzWriter.writeAtomically(try RnnzWriter.compress(bytes), to: Self.path)
            let model = try Model(contentsOf: Self.path)
            let (greedy, beam) = try Self.decodes(model)
            print("static let expectedGreedy: [String] = \(greedy)")
            print("static let expectedBeam: [[(String, Float)]] = \(beam)")
            Issue.record("recorded \(Self.path); paste the decodes above into the test and run it again without RECUR_RECORD_GOLDEN")
            return
        }
        let file = try FileContents.withBytes(ofFile: Self.path, limit: 1 << 20) {
            (raw) throws(RecurError) -> GGUFFile in try Rnnz.decode(raw)
        }
        #expect(Array(file.storage.bytes) == bytes, "the fixture or the writer no longer produces the committed file")
        let model = try Model(file: file)
        #expect(try model.verifySelfTests().cases == 2)
        let (greedy, beam) = try Self.decodes(model)
        #expect(greedy == Self.expectedGreedy)
        #expect(beam.count == Self.expectedBeam.count)
        for (found, expected) in zip(beam, Self.expectedBeam) {
            #expect(found.map(\.0) == expected.map(\.0))
            for (a, b) in zip(found, expected) { #expect(abs(a.1 - b.1) <= 1e-5) }
        }
    }
}
