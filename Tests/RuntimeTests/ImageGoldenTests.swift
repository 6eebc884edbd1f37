import Foundation
import RecurRuntime
import Testing
import Trainer

/// The committed image-to-text golden file (Fixtures/image-to-text-golden.rnnz): the format cannot
/// drift silently. The file's GGUF content must equal what the fixture below writes today, it must
/// load and verify, and it must decode the images below to the committed tokens and
/// log-probabilities, bit for bit (every kernel path gives the same bits).
///
/// To re-record after a deliberate format change: `RECUR_RECORD_GOLDEN=1 swift test --filter
/// ImageGoldenTests` rewrites the file, prints the new expected results to paste below, and fails
/// (so a recording run never passes by accident). The same file is the image model of the CLI
/// tests and of scripts/board-e2e.
@Suite("Image-to-text golden file")
struct ImageGoldenTests {
    /// Also read by the CLI tests and scripts/board-e2e.
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/image-to-text-golden.rnnz").path

    /// 9×8 RGB: conv 3×2 stride 2×1 pad 1×0 → relu → maxpool 2×3 stride 1×2 → conv 1×1, an LSTM
    /// decoder with additive attention and input feeding over word tokens, a render table; int8,
    /// with two self-tests.
    static var fixture: ImageFixture {
        var fixture = ImageFixture()
        fixture.channels = 3
        fixture.height = 9
        fixture.width = 8
        fixture.layers = [.conv(filters: 5, kernel: (3, 2), stride: (2, 1), pad: (1, 0)), .relu,
                          .pool(size: (2, 3), stride: (1, 2)), .conv(filters: 4, kernel: (1, 1), stride: (1, 1), pad: (0, 0))]
        fixture.target.attention = "additive"
        fixture.target.targetVocabulary = ["<bos>", "<eos>", "<unk>", "red", "circle", "left", "of"]
        fixture.target.targetTokenizer = "word"
        fixture.target.weightScale = 3
        fixture.target.seed = 2
        fixture.target.targetMaxLength = 6
        fixture.render = ("<p>", ["", "", "?", "<b>red</b> ", "&#9675; ", "left ", "of "], "</p>\n")
        fixture.seed = 21
        return fixture
    }

    static let imageSeeds: [UInt64] = [1, 2, 3, 4]
    /// Per image: the greedy tokens, then the log-probability's bits.
    static let expected: [([Int32], UInt32)] = [([4, 0, 4, 0, 4, 0], 3234159410), ([4, 0, 0, 0, 0, 0], 3234300542), ([4, 4, 0, 4, 4, 0], 3234043498), ([4, 4, 4, 4, 4, 4], 3233219426)]

    static func goldenBytes() throws -> [UInt8] {
        try fixture.withSelfTests([fixture.image(seed: 11), fixture.image(seed: 12)], .int8).gguf(.int8)
    }

    /// The greedy decodings of the seeded images by `model`.
    static func results(_ model: Model) throws -> [([Int32], UInt32)] {
        let translator = try model.makeTranslator()
        return try imageSeeds.map { seed in
            let translation = try translator.greedy(image: fixture.image(seed: seed))
            return (translation.tokens, translation.logProbability.bitPattern)
        }
    }

    @Test("the committed file holds exactly the GGUF the fixture writes today, loads, verifies and decodes as committed")
    func golden() throws {
        let bytes = try Self.goldenBytes()
        if ProcessInfo.processInfo.environment["RECUR_RECORD_GOLDEN"] == "1" {
            try RnnzWriter.writeAtomically(try RnnzWriter.compress(bytes), to: Self.path)
            let model = try Model(contentsOf: Self.path)
            print("static let expected: [([Int32], UInt32)] = \(try Self.results(model))")
            Issue.record("recorded \(Self.path); paste the results above into the test and run it again without RECUR_RECORD_GOLDEN")
            return
        }
        let file = try FileContents.withBytes(ofFile: Self.path, limit: 1 << 20) {
            (raw) throws(RecurError) -> GGUFFile in try Rnnz.decode(raw)
        }
        #expect(Array(file.storage.bytes) == bytes, "the fixture or the writer no longer produces the committed file")
        let model = try Model(file: file)
        #expect(try model.verifySelfTests().cases == 2)
        let found = try Self.results(model)
        #expect(found.count == Self.expected.count)
        for (seed, (a, b)) in zip(Self.imageSeeds, zip(found, Self.expected)) {
            #expect(a.0 == b.0 && a.1 == b.1, "image \(seed): \(a) vs \(b)")
        }
        // The scalar path gives the same bits.
        let scalar = try model.makeTranslator(kernels: .scalar)
        for (seed, b) in zip(Self.imageSeeds, Self.expected) {
            #expect(try scalar.greedy(image: Self.fixture.image(seed: seed)).logProbability.bitPattern == b.1)
        }
    }
}
