import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// The bAbI reader on the committed fixture (Fixtures/babi, bAbI's format, made by make-fixture.py)
/// and on hand-made broken lines.
@Suite struct BabiReaderTests {
    static let fixtures: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/babi").path

    @Test func readsTheFixture() throws {
        let stories = try BabiReader.stories(ofFile: Self.fixtures + "/qa1_tiny_train.txt")
        #expect(stories.count == 60)
        let first = stories[0]
        #expect(first.task == 1)
        #expect(first.sentences.count == 6)
        #expect(first.sentences[0] == ["cleo", "ran", "to", "the", "cellar"])
        #expect(first.questions.count == 3)
        #expect(first.questions[0].words == ["where", "is", "anna"])
        #expect(first.questions[0].answer == "attic")
        #expect(first.questions[0].context == 2)
        #expect(first.questions[0].supporting == [1])
        #expect(first.questions[1].context == 4)
        #expect(first.questions[1].supporting == [3])
        #expect(first.questions[0].location == "qa1_tiny_train.txt:3")
    }

    @Test func findsTaskFiles() throws {
        let files = try BabiReader.files(task: 1, in: Self.fixtures)
        #expect(files.train.hasSuffix("qa1_tiny_train.txt"))
        #expect(files.test.hasSuffix("qa1_tiny_test.txt"))
        #expect(throws: BabiDataError.self) { try BabiReader.files(task: 2, in: Self.fixtures) }
    }

    @Test func listAnswersAndCRLF() throws {
        let text = "1 Mary got the apple.\r\n2 Mary got the milk.\r\n3 What is Mary carrying?\tapple,milk\t1 2\r\n"
        let stories = try BabiReader.stories(text, name: "t.txt")
        #expect(stories.count == 1)
        #expect(stories[0].questions[0].answer == "apple,milk")
        #expect(stories[0].questions[0].supporting == [0, 1])
    }

    func error(_ text: String) -> String {
        do {
            _ = try BabiReader.stories(text, name: "bad.txt")
            return ""
        } catch {
            return error.description
        }
    }

    @Test func errorsNameFileAndLine() {
        #expect(error("1 A b.\nMary went home.\n").hasPrefix("bad.txt:2: expected a line number"))
        #expect(error("1 A b.\n3 C d.\n").hasPrefix("bad.txt:2: line number 3 follows 1"))
        #expect(error("2 A b.\n").hasPrefix("bad.txt:1: line number 2 follows 0"))
        #expect(error("1 A b.\n2 Where is A?\n").hasPrefix("bad.txt:2: a question without its answer field"))
        #expect(error("1 A b.\n2 Where is A?\tb\n").hasPrefix("bad.txt:2: a question line has 3 TAB-separated fields"))
        #expect(error("1 A b.\n2 Where is A?\tb\t7\n").hasPrefix("bad.txt:2: supporting fact \"7\""))
        #expect(error("1 A b.\n2 Where is A?\tb\t2\n").hasPrefix("bad.txt:2: supporting fact \"2\""))
        #expect(error("1 A b.\n2 A is here.\tb\t1\n").hasPrefix("bad.txt:2: a line with answer fields must be a question"))
        #expect(error("1 A b.\n2 Where is A?\t\t1\n").hasPrefix("bad.txt:2: the answer"))
        #expect(error("1 ...\n").hasPrefix("bad.txt:1: line 1 has no words"))
    }
}
