import Foundation
import Testing
@testable import Trainer

/// The ABC tune reader: tunes from X: to a blank line, duplicates dropped, a split by tune in
/// which no test or validation tune is seen in training.
@Suite struct ABCCorpusTests {
    /// Tune `n`: a distinct small tune (header and two bars).
    static func tune(_ n: Int) -> String {
        "X:\(n)\nM:6/8\nL:1/8\nK:G\n|:GAB \(String(repeating: "c", count: n % 7 + 1))de:|\n"
    }

    @Test func tunesRunFromXToABlankLine() {
        let text = "% a file header\nN:notes\n\n" + Self.tune(1) + "  \t\r\n" + Self.tune(2) + Self.tune(3) + "\n\nstray text\n"
        let tunes = ABCCorpus.tuneTexts(in: text)
        #expect(tunes == [Self.tune(1) + "\n", Self.tune(2) + "\n", Self.tune(3) + "\n"])
        // Trailing spaces and CRs go; each tune ends with exactly one blank line.
        #expect(ABCCorpus.tuneTexts(in: "X:1 \r\nK:D\r\nabc|  \r\n") == ["X:1\nK:D\nabc|\n\n"])
    }

    @Test func splitIsByTuneInCorpusOrder() {
        let tunes = (0..<40).map { Self.tune($0) + "\n" }
        let splits = ABCCorpus.split(tunes)
        #expect(splits.testTunes == 4 && splits.validationTunes == 2 && splits.trainTunes == 34)
        #expect(splits.test == tunes[0] + tunes[10] + tunes[20] + tunes[30])
        #expect(splits.validation == tunes[5] + tunes[25])
        for (index, tune) in tunes.enumerated() {
            let places = [splits.train, splits.validation, splits.test].filter { $0.contains(tune) }.count
            #expect(places == 1, "tune \(index) is in exactly one split")
        }
    }

    @Test func aDirectoryIsReadInNaturalOrderWithDuplicatesDropped() throws {
        let dir = NSTemporaryDirectory() + "recur-abc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (Self.tune(2) + "\n" + Self.tune(1)).write(toFile: dir + "/set10.abc", atomically: true, encoding: .utf8)
        try (Self.tune(1) + "\n" + Self.tune(3)).write(toFile: dir + "/set2.abc", atomically: true, encoding: .utf8)
        try "X:9\nK:G\nabc\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(ABCCorpus.isABC(path: dir) && ABCCorpus.isABC(path: dir + "/set2.abc"))
        #expect(!ABCCorpus.isABC(path: dir + "/notes.txt"))
        #expect(try ABCCorpus.tunes(path: dir) == [Self.tune(1), Self.tune(3), Self.tune(2)].map { $0 + "\n" })

        try "no tunes here\n".write(toFile: dir + "/empty.abc", atomically: true, encoding: .utf8)
        #expect(throws: TaskError.noTunes(path: dir + "/empty.abc")) { try ABCCorpus.tunes(path: dir + "/empty.abc") }
        #expect(throws: TaskError.unreadable(path: dir + "/missing.abc")) { try ABCCorpus.tunes(path: dir + "/missing.abc") }
        try Data([0x58, 0x3A, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: dir + "/bad.abc"))
        #expect(throws: TaskError.notUTF8(path: dir + "/bad.abc")) { try ABCCorpus.tunes(path: dir + "/bad.abc") }
    }

    @Test func charlmTrainsOnTrainingTunesOnly() throws {
        let dir = NSTemporaryDirectory() + "recur-abc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Test tunes (index 0, 10, …) carry a "z" that no training tune has: it must not get a
        // token of its own, since the vocabulary comes from the training tunes.
        let tunes = (0..<60).map { $0 % 10 == 0 ? Self.tune($0).replacingOccurrences(of: "GAB", with: "zzzzz") : Self.tune($0) }
        try tunes.joined(separator: "\n").write(toFile: dir + "/tunes.abc", atomically: true, encoding: .utf8)
        let data = try CharLMTask(steps: 10, minCount: 1).makeData(path: dir + "/tunes.abc")
        let vocabulary = try #require(data.vocabulary)
        #expect(!vocabulary.tokens.contains("z"))
        #expect(vocabulary.tokens.contains("G"))
        let splits = ABCCorpus.split(tunes.map { $0 + "\n" })
        for (dataset, text) in [(data.train, splits.train), (data.validation, splits.validation), (data.test, splits.test)] {
            #expect(dataset.count == (text.unicodeScalars.count - 1) / 10)
        }
        #expect(data.test.tokens.contains(vocabulary.unknown))
        #expect(!data.train.tokens.contains(vocabulary.unknown))

        #expect(throws: TaskError.self) { try CharLMTask(steps: 500).makeData(path: dir + "/tunes.abc") }
    }
}
