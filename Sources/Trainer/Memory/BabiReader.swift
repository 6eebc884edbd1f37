import Foundation
import RecurRuntime

/// Bad bAbI data: what was wrong and where (`file:line: …`).
public struct BabiDataError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// One question of a bAbI story with everything needed to train on it.
public struct BabiQuestion: Sendable, Equatable {
    /// The story's sentences before the question (questions are not sentences of the story).
    public var context: Int
    /// The question's words (lowercased, `MemoryLine.words`).
    public var words: [String]
    /// The answer as the file writes it (`bathroom`, `n,w`, `apple,football`): one answer token.
    public var answer: String
    /// The supporting facts as indices into the story's sentences (0-based).
    public var supporting: [Int]
    /// Where the question is (`file:line`).
    public var location: String
}

/// One bAbI story: its sentences in order and its questions.
public struct BabiStory: Sendable, Equatable {
    /// The task (1…20) the story comes from; 0 when unknown.
    public var task: Int
    /// Each sentence's words.
    public var sentences: [[String]]
    public var questions: [BabiQuestion]
}

/// Reads bAbI's text format (Weston et al. 2015, v1.2):
///
///     1 Mary moved to the bathroom.
///     2 John went to the hallway.
///     3 Where is Mary? \tbathroom\t1
///
/// Every line is `N text`; N = 1 starts a story and otherwise N is the previous line's N + 1. A
/// question line holds three TAB-separated fields: the question (ending in `?`), the answer and the
/// supporting line numbers (space-separated, each an earlier sentence of the same story).
public enum BabiReader {
    /// The stories of `text`; `name` names the file in errors.
    public static func stories(_ text: String, name: String, task: Int = 0) throws(BabiDataError) -> [BabiStory] {
        var stories: [BabiStory] = []
        var current: BabiStory? = nil
        // bAbI line number → index of the sentence in `current.sentences` (questions map to nil).
        var sentenceOfLine: [Int: Int] = [:]
        var previous = 0
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on both line ends.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let where_ = "\(name):\(lineNumber)"
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let parsed = Array(line.utf8).withUnsafeBufferPointer { MemoryLine.parse($0) }
            guard let number = parsed.number else {
                throw BabiDataError("\(where_): expected a line number (`N text`), found \"\(line.prefix(40))\"")
            }
            if number == 1 {
                if let done = current { stories.append(done) }
                current = BabiStory(task: task, sentences: [], questions: [])
                sentenceOfLine = [:]
            } else if number != previous + 1 || current == nil {
                throw BabiDataError("\(where_): line number \(number) follows \(previous) (a story starts at 1 and counts up by one)")
            }
            previous = number
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let textBytes = Array(line.utf8)
            let words = MemoryLine.words(String(decoding: textBytes[parsed.text], as: UTF8.self))
            if words.isEmpty {
                throw BabiDataError("\(where_): line \(number) has no words")
            }
            if fields.count == 1 {
                if parsed.isQuestion {
                    throw BabiDataError("\(where_): a question without its answer field (expected `N question?<TAB>answer<TAB>facts`)")
                }
                sentenceOfLine[number] = current!.sentences.count
                current!.sentences.append(words)
                continue
            }
            if fields.count != 3 {
                throw BabiDataError("\(where_): a question line has 3 TAB-separated fields, found \(fields.count)")
            }
            if !parsed.isQuestion {
                throw BabiDataError("\(where_): a line with answer fields must be a question ending in `?`")
            }
            let answer = fields[1].trimmingCharacters(in: .whitespaces).lowercased()
            if answer.isEmpty || answer.contains(" ") {
                throw BabiDataError("\(where_): the answer \"\(fields[1])\" must be one token (commas join list answers)")
            }
            var supporting: [Int] = []
            for item in fields[2].split(separator: " ", omittingEmptySubsequences: true) {
                guard let fact = Int(item), let index = sentenceOfLine[fact], fact < number else {
                    throw BabiDataError("\(where_): supporting fact \"\(item)\" is not an earlier sentence of this story")
                }
                supporting.append(index)
            }
            current!.questions.append(BabiQuestion(
                context: current!.sentences.count, words: words, answer: answer, supporting: supporting, location: where_))
        }
        if let done = current { stories.append(done) }
        return stories
    }

    /// Reads the file at `path` (its task from a `qaN_` name prefix).
    public static func stories(ofFile path: String) throws(BabiDataError) -> [BabiStory] {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BabiDataError("\(path): cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BabiDataError("\(path): not UTF-8 text")
        }
        return try stories(text, name: name, task: taskNumber(ofFileName: name) ?? 0)
    }

    /// N of a `qaN_…` file name.
    public static func taskNumber(ofFileName name: String) -> Int? {
        guard name.hasPrefix("qa") else { return nil }
        return Int(name.dropFirst(2).prefix { $0.isNumber })
    }

    /// The training and test files of task `task` (1…20) in `directory`, which is the `en` folder
    /// or a folder holding it (`tasks_1-20_v1-2/en`).
    public static func files(task: Int, in directory: String) throws(BabiDataError) -> (train: String, test: String) {
        let candidates = [directory, directory + "/en", directory + "/tasks_1-20_v1-2/en"]
        for folder in candidates {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            let prefix = "qa\(task)_"
            let train = names.first { $0.hasPrefix(prefix) && $0.hasSuffix("_train.txt") }
            let test = names.first { $0.hasPrefix(prefix) && $0.hasSuffix("_test.txt") }
            if let train, let test { return (folder + "/" + train, folder + "/" + test) }
        }
        throw BabiDataError("\(directory): no qa\(task)_*_train.txt and qa\(task)_*_test.txt (the bAbI v1.2 `en` folder)")
    }
}
