import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// `recur train textclass`'s data side: the TSV reader and its errors, the tokens, the vocabulary
/// and the stratified split.
@Suite struct TextClassDataTests {
    func write(_ bytes: [UInt8]) -> String {
        let path = NSTemporaryDirectory() + "recur-textclass-\(UUID().uuidString).tsv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func write(_ text: String) -> String { write(Array(text.utf8)) }

    @Test("reader: text and label fields, a quoted field holding a tab, CRLF, blank lines, origins file:line")
    func reads() throws {
        let path = write("体验2D巅峰 倚天屠龙记\t8\r\n\n\"a\tquoted \"\"text\"\"\"\t0\nsay \"hi\" there\t1\n")
        let lines = try TextTSV.read(path, options: TextTSV.Options())
        #expect(lines.map(\.text) == ["体验2D巅峰 倚天屠龙记", "a\tquoted \"text\"", "say \"hi\" there"])
        #expect(lines.map(\.label) == ["8", "0", "1"])
        #expect(lines.map(\.origin) == ["\(path):1", "\(path):3", "\(path):4"])
        var swapped = TextTSV.Options()
        swapped.textField = 2
        swapped.labelField = 1
        let other = try TextTSV.read(write("pos\tgood film\nneg\tbad film\n"), options: swapped)
        #expect(other.map(\.text) == ["good film", "bad film"] && other.map(\.label) == ["pos", "neg"])
    }

    @Test("reader: every malformed line is named with file:line and what is wrong")
    func malformed() throws {
        var bytes = Array("good line\t1\nno label here\n\t2\nempty label\t \n".utf8)
        bytes += [0x61, 0xFF, 0x09, 0x31, 0x0A]  // not UTF-8 on line 5
        bytes += Array(String(repeating: "x", count: 300).utf8) + Array("\t1\nfine\t0\nbad id\t12\n".utf8)
        let path = write(bytes)
        var options = TextTSV.Options()
        options.maxLineBytes = 200
        options.labelNames = ["zero", "one", "two"]
        do {
            _ = try TextTSV.read(path, options: options)
            Issue.record("malformed lines were accepted")
        } catch {
            let message = error.description
            #expect(message.hasPrefix("6 malformed line(s):"))
            #expect(message.contains("\(path):2: 1 field(s)"))
            #expect(message.contains("\(path):3: empty text (field 1)"))
            #expect(message.contains("\(path):4: empty label (field 2)"))
            #expect(message.contains("\(path):5: not UTF-8 text"))
            #expect(message.contains("\(path):6: line longer than 200 bytes"))
            #expect(message.contains("\(path):8: label \"12\" is neither a name of --label-names nor an id in 0…2"))
            #expect(!message.contains(":1:") && !message.contains(":7:"))
        }
        options.maxReported = 2
        do {
            _ = try TextTSV.read(path, options: options)
            Issue.record("malformed lines were accepted")
        } catch {
            #expect(error.description.contains("(4 more malformed line(s) not listed)"))
        }
        #expect(throws: TextDataError.self) { try TextTSV.read(write("\n \n"), options: TextTSV.Options()) }
        #expect(throws: TextDataError.self) { try TextTSV.read("/nonexistent/file.tsv", options: TextTSV.Options()) }
    }

    @Test("label names: names or 0-based ids; duplicates and a single class refused")
    func labelNames() throws {
        let names = try TextTSV.labelNames(write("finance\nrealty\n\nstocks"))
        #expect(names == ["finance", "realty", "stocks"])
        #expect(TextTSV.classID("realty", names: names) == 1 && TextTSV.classID("2", names: names) == 2)
        #expect(TextTSV.classID("3", names: names) == nil && TextTSV.classID("-1", names: names) == nil)
        #expect(throws: TextDataError.self) { try TextTSV.labelNames(write("a\nb\na\n")) }
        #expect(throws: TextDataError.self) { try TextTSV.labelNames(write("only\n")) }
    }

    @Test("tokens: char keeps inner whitespace and drops the ends; char-bigram pairs; one scalar; word")
    func tokens() {
        #expect(Tokenizer.lineTokens("  港股 缩量\t", kind: .char, lowercase: false) == ["港", "股", " ", "缩", "量"])
        #expect(Tokenizer.lineTokens("港股缩量", kind: .charBigram, lowercase: false) == ["港股", "股缩", "缩量"])
        #expect(Tokenizer.lineTokens(" 港 ", kind: .charBigram, lowercase: false) == ["港"])
        #expect(Tokenizer.lineTokens(" \u{3000} ", kind: .char, lowercase: false).isEmpty)
        #expect(Tokenizer.lineTokens("A股首秀", kind: .char, lowercase: true) == ["a", "股", "首", "秀"])
        #expect(Tokenizer.lineTokens("Don't stop, OK?", kind: .word, lowercase: true) == ["don't", "stop", ",", "ok", "?"])
    }

    @Test("vocabulary: <unk> first, then by count (ties in scalar order), min count; unknown tokens become 0")
    func vocabulary() {
        let v = TextVocabulary(lines: ["abca", "bcd", "ab"], kind: .char, lowercase: false, minCount: 2)
        #expect(v.tokens == ["<unk>", "a", "b", "c"])
        #expect(v.encode("dcba x") == [0, 3, 2, 1, 0, 0])
        let bigrams = TextVocabulary(lines: ["abc", "abd"], kind: .charBigram, lowercase: false, minCount: 1)
        #expect(bigrams.tokens == ["<unk>", "ab", "bc", "bd"])
        #expect(bigrams.encode("abd") == [1, 3] && bigrams.encode("b") == [0])
    }

    @Test("split: stratified per class, seeded, disjoint; the same seed gives the same parts")
    func split() {
        var labels: [Int] = []
        for c in 0..<3 { labels += [Int](repeating: c, count: 20 + 10 * c) }  // 20, 30, 40 examples
        let parts = TextSplit.assign(labels: labels, classes: 3, testFraction: 0.1, validationFraction: 0.2, seed: 5)
        for c in 0..<3 {
            let n = 20 + 10 * c
            let mine = labels.indices.filter { labels[$0] == c }.map { parts[$0] }
            let test = mine.filter { $0 == 2 }.count, validation = mine.filter { $0 == 1 }.count
            #expect(test == Int((Double(n) * 0.1).rounded()), "class \(c)")
            #expect(validation == Int((Double(n) * 0.2).rounded()), "class \(c)")
            #expect(mine.filter { $0 == 0 }.count == n - test - validation)
        }
        #expect(parts == TextSplit.assign(labels: labels, classes: 3, testFraction: 0.1, validationFraction: 0.2, seed: 5))
        #expect(parts != TextSplit.assign(labels: labels, classes: 3, testFraction: 0.1, validationFraction: 0.2, seed: 6))
        // A class of three keeps one example in each part; of two, both train.
        let small = TextSplit.assign(labels: [0, 0, 0, 1, 1], classes: 2, testFraction: 0.01, validationFraction: 0.01, seed: 1)
        #expect(small[0..<3].sorted() == [0, 1, 2] && Array(small[3...]) == [0, 0])
    }
}
