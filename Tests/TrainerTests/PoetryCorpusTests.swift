import Foundation
import Testing
@testable import Trainer

/// The chinese-poetry JSON loader: one poem per line, files in natural name order, poets skipped,
/// malformed files named.
@Suite struct PoetryCorpusTests {
    /// A fresh directory holding `files` (name → contents).
    static func directory(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "recur-poetry-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static let first = """
        [{"author": "甲", "title": "一", "paragraphs": ["白日依山盡，黃河入海流。", "欲窮千里目，更上一層樓。"]},
         {"author": "乙", "title": "二", "paragraphs": ["春眠不覺曉， 處處聞啼鳥。\\n"]}]
        """
    static let second = """
        [{"author": "丙", "paragraphs": ["床前明月光，疑是地上霜。"], "tags": ["五言絕句"]},
         {"author": "丁", "paragraphs": []}]
        """

    @Test func poemsBecomeLinesInNaturalFileOrder() throws {
        // "poet.tang.1000.json" sorts after "poet.tang.200.json" by number, before it by text.
        let dir = try Self.directory([
            "poet.tang.1000.json": Self.second,
            "poet.tang.200.json": Self.first,
            "authors.tang.json": #"[{"name": "甲", "desc": "詩人"}]"#,
            "README.md": "not json",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(PoetryCorpus.isPoetry(path: dir))
        let text = try PoetryCorpus.text(path: dir)
        #expect(text == "白日依山盡，黃河入海流。欲窮千里目，更上一層樓。\n春眠不覺曉，處處聞啼鳥。\n床前明月光，疑是地上霜。\n")
        // A single file works too, and an ordinary text file is not taken for poetry.
        #expect(try PoetryCorpus.text(path: dir + "/poet.tang.1000.json") == "床前明月光，疑是地上霜。\n")
        #expect(!PoetryCorpus.isPoetry(path: dir + "/README.md"))
    }

    @Test func malformedFilesAreNamed() throws {
        let dir = try Self.directory([
            "broken.json": #"[{"paragraphs": ["a"]"#,
            "object.json": #"{"paragraphs": ["a"]}"#,
            "numbers.json": #"[{"paragraphs": [1, 2]}]"#,
            "poets.json": #"[{"name": "甲"}]"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: TaskError.self) { try PoetryCorpus.text(path: dir + "/broken.json") }
        do {
            _ = try PoetryCorpus.text(path: dir + "/broken.json")
        } catch let error as TaskError {
            #expect(error.description.hasPrefix(dir + "/broken.json: not chinese-poetry JSON: not valid JSON"))
        }
        #expect(throws: TaskError.badPoetry(path: dir + "/object.json", reason: "the top level is not an array of poems")) {
            try PoetryCorpus.text(path: dir + "/object.json")
        }
        #expect(throws: TaskError.badPoetry(path: dir + "/numbers.json",
                                            reason: "entry 0: \"paragraphs\" is not an array of strings")) {
            try PoetryCorpus.text(path: dir + "/numbers.json")
        }
        #expect(throws: TaskError.noPoems(path: dir + "/poets.json")) { try PoetryCorpus.text(path: dir + "/poets.json") }
        #expect(throws: TaskError.unreadable(path: dir + "/missing")) { try PoetryCorpus.text(path: dir + "/missing") }
    }

    @Test func charLMReadsAPoetryDirectory() throws {
        // Enough poems for the three splits of 10-character windows.
        let poems = (0..<40).map { k in
            #"{"paragraphs": ["\#(k % 2 == 0 ? "山高月小" : "水落石出")，風\#(k % 3 == 0 ? "清" : "急")雲閒。"]}"#
        }
        let dir = try Self.directory(["poet.song.0.json": "[" + poems.joined(separator: ",") + "]"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = try CharLMTask(steps: 10, minCount: 1).makeData(path: dir)
        let vocabulary = try #require(data.vocabulary)
        for character in ["山", "水", "，", "。", "\n", "清", "急"] {
            #expect(vocabulary.tokens.contains(character), "\(character) is in the vocabulary")
        }
        #expect(data.train.count > 0 && data.validation.count > 0 && data.test.count > 0)
    }
}

/// `--dropout` and `--schedule` reach the model and the loop, and bad values are refused by name.
@Suite struct CharLMOptionTests {
    @Test func dropoutAndScheduleAreCheckedAndApplied() throws {
        var settings = TrainSettings.defaults(for: .charlm, out: "x.rnnz")
        settings.text = "unused.txt"
        settings.dropout = 1.5
        #expect(throws: SettingsError("--dropout must be in [0, 1), got 1.5")) { try settings.validate() }
        settings.dropout = 0.25
        settings.schedule = "linear"
        #expect(throws: SettingsError("--schedule must be constant or cosine, got linear")) { try settings.validate() }
        settings.schedule = "cosine"
        try settings.validate()
        let data = try CharLMTask(steps: 10, minCount: 1).makeData(text: String(repeating: "abcd efgh. ", count: 40))
        #expect(try CharLMTrainTask.makeSpec(settings, data: data).dropout == 0.25)
        // Settings stored before these options existed still decode (both are optional).
        var old = settings
        old.dropout = nil
        old.schedule = nil
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(old)) as! [String: Any]
        json.removeValue(forKey: "dropout")
        let decoded = try JSONDecoder().decode(TrainSettings.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded == old)
    }
}
