import Foundation
import RecurRuntime
import Testing
import Trainer

/// The committed text classifier golden file (Fixtures/text-classifier-golden.rnnz): the format
/// cannot drift silently. The file's GGUF content must equal what the fixture below writes
/// today, it must load and verify, and it must classify the lines below to the committed
/// probabilities, bit for bit (every kernel path gives the same bits).
///
/// To re-record after a deliberate format change: `RECUR_RECORD_GOLDEN=1 swift test
/// --filter TextClassifierGoldenTests` rewrites the file, prints the new expected results to
/// paste below, and fails (so a recording run never passes by accident). The same file is the
/// text classifier of the CLI tests and of scripts/board-e2e.
@Suite("Text classifier golden file")
struct TextClassifierGoldenTests {
    /// Also read by the CLI tests (Tests/CLITests/TextClassifierRunTests.swift) and scripts/board-e2e.
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/text-classifier-golden.rnnz").path

    /// char_bigram over a few Chinese characters and pairs and some Latin, lowercased: two
    /// bidirectional GRU layers, `last` pooling, a relu dense layer and three labels; int8, with
    /// two self-tests.
    static var fixture: TextClassifierFixture {
        var fixture = TextClassifierFixture()
        fixture.vocabulary = ["<unk>", "中", "国", "足", "球", "股", "市", "大", "涨", "芯", "片",
                              "中国", "国足", "足球", "股市", "市大", "大涨", "芯片", "ai", "i ", " 芯", "a"]
        fixture.tokenizer = "char_bigram"
        fixture.lowercase = true
        fixture.cell = "gru"
        fixture.directions = [true, true]
        fixture.hidden = 4
        fixture.embedding = 5
        fixture.hiddenDense = [(size: 6, activation: "relu")]
        fixture.labels = ["体育", "财经", "科技"]
        fixture.pool = "last"
        fixture.maxLength = 8
        fixture.seed = 18
        fixture.weightScale = 2
        return fixture
    }

    /// Lines that classify, and the probabilities they give.
    static let lines = ["中国足球", "股市大涨", "AI 芯片", "足", "  中国股市大涨 ", "足球 ai"]
    static let expected: [[Float]] = [
        [4.4712808e-05, 0.99984324, 0.000112035654], [0.15637743, 0.54152846, 0.30209413],
        [0.053918026, 0.30039984, 0.64568216], [0.39656386, 0.29759327, 0.30584285],
        [0.1025025, 0.8815274, 0.015970096], [0.29949927, 0.3256683, 0.37483245],
    ]

    static func goldenBytes() throws -> [UInt8] {
        try fixture.withSelfTests([[11, 12, 13], [14, 15, 16, 0, 1]], .int8).gguf(.int8)
    }

    /// The probabilities of `lines` by the model at `model`.
    static func results(_ model: Model) throws -> [[Float]] {
        let classifier = try model.makeTextClassifier()
        return try lines.map { Array(try classifier.classify($0).probabilities) }
    }

    @Test("the committed file holds exactly the GGUF the fixture writes today, loads, verifies and classifies as committed")
    func golden() throws {
        let bytes = try Self.goldenBytes()
        if ProcessInfo.processInfo.environment["RECUR_RECORD_GOLDEN"] == "1" {
            try RnnzWriter.writeAtomically(try RnnzWriter.compress(bytes), to: Self.path)
            let model = try Model(contentsOf: Self.path)
            print("static let expected: [[Float]] = \(try Self.results(model))")
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
        for (line, (a, b)) in zip(Self.lines, zip(found, Self.expected)) {
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(line): \(a) vs \(b)")
        }
        // The lines are not all one label, so a model that always said the same would fail.
        let labels = Set(found.map { $0.firstIndex(of: $0.max()!)! })
        #expect(labels.count >= 2)
    }

    @Test("the golden file refuses what it cannot classify: a line of unknown text, an empty line, a long line")
    func refusals() throws {
        let classifier = try Model(contentsOf: Self.path).makeTextClassifier()
        #expect(throws: RecurError.noKnownToken(tokens: 2)) { _ = try classifier.classify("xyz") }
        #expect(throws: RecurError.emptyInput) { _ = try classifier.classify("   ") }
        #expect(throws: RecurError.inputTooLong(tokens: 9, limit: 8)) { _ = try classifier.classify("中国足球中国足球中国") }
    }
}
