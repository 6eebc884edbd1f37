import Foundation
import Testing
@testable import RecurRuntime
@testable import Trainer

/// The committed memory_qa golden file (Fixtures/memory-golden.rnnz): the format cannot drift
/// silently. Its GGUF content must equal what the fixture below writes today; it must load, verify
/// and answer the story below as committed.
///
/// To re-record after a deliberate format change: `RECUR_RECORD_GOLDEN=1 swift test --filter
/// MemoryGoldenTests` rewrites the file, prints the new answers to paste below, and fails.
@Suite struct MemoryGoldenTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/memory-golden.rnnz").path

    static let vocabulary = ["<unk>", "attic", "anna", "bert", "is", "porch", "the", "to", "went", "where"]
    static let story = ["1 Anna went to the attic.", "2 Bert went to the porch.", "3 Where is Anna?\tattic\t1",
                        "Where is Bert?", "Anna went to the porch.", "Where is Anna?"]
    static let expected: [String] = ["anna 0.47848818", "attic 0.6327325", "attic 0.52948093"]

    static func network() -> (MemoryNetwork, BabiSettings) {
        var settings = BabiSettings()
        settings.tasks = [1]
        settings.memory = 4
        settings.dim = 6
        settings.hops = 2
        settings.maxWords = 8
        let network = MemoryNetwork(vocabulary: vocabulary, dim: 6, hops: 2, capacity: 4, seed: 2026)
        for p in network.parameters { p.value = p.value.map { $0 * 6 } }
        return (network, settings)
    }

    static let inputs: [[Int32]] = [[2, 8, 7, 6, 1, -1, 9, 4, 2], [3, 8, 7, 6, 5, -1, 2, 8, 7, 6, 5, -1, 9, 4, 3]]

    static func answers(_ model: Model) throws -> [String] {
        let session = try model.makeMemorySession()
        var result: [String] = []
        for line in story {
            let bytes = Array(line.utf8)
            let outcome = try bytes.withUnsafeBufferPointer { (b) throws(RecurError) in try session.read(line: b) }
            if case .answer(let token, let p) = outcome { result.append("\(session.configuration.vocabulary[token]) \(p)") }
        }
        return result
    }

    @Test func golden() throws {
        let (network, settings) = Self.network()
        let exported = try MemoryExport.export(network, settings: settings, selfTestInputs: Self.inputs, quantized: true, to: nil)
        let tests = exported.model.selfTests.map { (test) -> (input: [Int32], output: [Float]) in
            guard case .tokens(let ids) = test.input else { return ([], []) }
            return (ids, test.expected)
        }
        let bytes = MemoryExport.gguf(network, settings: settings, quantized: true, tests: tests)
        if ProcessInfo.processInfo.environment["RECUR_RECORD_GOLDEN"] == "1" {
            try RnnzWriter.writeAtomically(try RnnzWriter.compress(bytes), to: Self.path)
            print("static let expected: [String] = \(try Self.answers(try Model(contentsOf: Self.path)))")
            Issue.record("recorded \(Self.path); paste the answers above into the test and run it again")
            return
        }
        let file = try FileContents.withBytes(ofFile: Self.path, limit: 1 << 20) {
            (raw) throws(RecurError) -> GGUFFile in try Rnnz.decode(raw)
        }
        #expect(Array(file.storage.bytes) == bytes, "the fixture or the writer no longer produces the committed file")
        let model = try Model(file: file)
        let memory = try #require(model.memory)
        #expect(model.task == .memoryQA && model.layers.isEmpty)
        #expect(memory.weightType == .int8 && memory.capacity == 4 && memory.hops == 2 && memory.dim == 6)
        #expect(try model.verifySelfTests().cases == 2)
        // The task is checked once, when a session is made.
        #expect(throws: RecurError.wrongTask(expected: "classifier or regressor (frames)", found: "memory_qa")) {
            try model.makeFrameSession()
        }
        #expect(try Self.answers(model) == Self.expected)
    }

    /// fuzz-model's finding (Fuzzing/regressions/model/memory-overflowing-weights): a memory_qa file
    /// without self-tests whose finite table values overflow Float in the hops. Reading a story does
    /// not trap; the answer is a word of the vocabulary and its distribution is NaN (recur-run --json
    /// prints `null`), as a frame or text model with such weights gives.
    @Test func overflowingWeightsAnswerWithoutTrapping() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzzing/regressions/model/memory-overflowing-weights").standardizedFileURL
        let bytes = [UInt8](try Data(contentsOf: url))
        let model = try bytes.withUnsafeBytes { (raw) throws(RecurError) in try Model(file: try Rnnz.decodeUncompressed(raw)) }
        #expect(model.task == .memoryQA && model.selfTests.isEmpty)
        let session = try model.makeMemorySession()
        var answers = 0
        for line in ["1 the one went there.", "2 where is the one?"] {
            let text = Array(line.utf8)
            let outcome = try text.withUnsafeBufferPointer { (b) throws(RecurError) in try session.read(line: b) }
            if case .answer(let token, let p) = outcome {
                answers += 1
                #expect(token >= 0 && token < session.configuration.vocabulary.count)
                #expect(p.isNaN && session.probabilities.allSatisfy(\.isNaN))
            }
        }
        #expect(answers == 1)
    }

    @Test func everyOtherSessionNamesTheTask() throws {
        let model = try Model(contentsOf: Self.path)
        #expect(throws: RecurError.wrongTask(expected: "lm", found: "memory_qa")) { try model.makeLanguageSession() }
        #expect(throws: RecurError.wrongTask(expected: "seq2seq", found: "memory_qa")) { try model.makeTranslator() }
        #expect(throws: RecurError.wrongTask(expected: "text_classifier", found: "memory_qa")) { try model.makeTextClassifier() }
        let text = try Model(contentsOf: Self.path.replacingOccurrences(of: "memory-golden", with: "text-classifier-golden"))
        #expect(throws: RecurError.wrongTask(expected: "memory_qa", found: "text_classifier")) { try text.makeMemorySession() }
    }
}
