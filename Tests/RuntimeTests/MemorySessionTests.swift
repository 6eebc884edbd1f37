import Foundation
import Testing
import TestSupport
@testable import RecurRuntime
@testable import Trainer

/// `Model.makeMemorySession` / `MemorySession` on a small memory network exported by the trainer (the bAbI
/// fixture's vocabulary, random weights): parity with the trainer, the ring's overflow, a question
/// before any sentence, an over-long line, unknown words and random bytes (docs/MEMORY.md).
@Suite struct MemorySessionTests {
    static let fixtures: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TrainerTests/Fixtures/babi").standardized.path

    /// A capacity-3 network with larger-than-initial weights (so answers depend on the memory).
    static func make(quantized: Bool) throws -> (MemoryNetwork, Model, BabiData) {
        var settings = BabiSettings()
        settings.data = fixtures
        settings.memory = 3
        settings.dim = 8
        settings.maxWords = 6
        let data = try BabiData.load(settings)
        let network = MemoryNetwork(vocabulary: data.vocabulary, dim: 8, hops: 3, capacity: 3, seed: 5)
        for p in network.parameters { p.value = p.value.map { $0 * 8 } }
        let model = try MemoryExport.export(network, settings: settings, data: data, quantized: quantized, to: nil).model
        return (network, model, data)
    }

    func read(_ session: MemorySession, _ text: String) throws(RecurError) -> MemorySession.Outcome {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (b) throws(RecurError) in try session.read(line: b) }
    }

    @Test func runtimeMatchesTrainerF32() throws {
        let (network, model, data) = try Self.make(quantized: false)
        var none = SeededRandom(seed: 0)
        let examples = BabiTraining.examples(data.parts[0].test, network: network, random: &none)
        let session = try model.makeMemorySession()
        for example in examples.prefix(30) {
            var tokens: [Int32] = []
            for s in example.sentences { tokens += s.map { Int32($0) } + [-1] }
            let runtime = session.run(tokens: tokens + example.question.map { Int32($0) })
            let trainer = network.probabilities(example)
            for (a, b) in zip(runtime, trainer) { #expect(abs(a - b) <= 1e-5) }
        }
        #expect(try model.verifySelfTests().cases > 0)
    }

    @Test func int8AnswersAgreeWithF32() throws {
        let (_, f32, data) = try Self.make(quantized: false)
        let (_, int8, _) = try Self.make(quantized: true)
        #expect(int8.memory?.weightType == .int8)
        let a = try MemoryExport.runtimeAccuracy(f32, stories: data.parts[0].test)
        let b = try MemoryExport.runtimeAccuracy(int8, stories: data.parts[0].test)
        #expect(abs(a - b) <= 0.1)
    }

    @Test func overflowDropsTheOldestSentence() throws {
        let (_, model, _) = try Self.make(quantized: false)
        let session = try model.makeMemorySession()
        let lines = ["Anna went to the attic.", "Bert ran to the porch.", "Cleo walked to the studio.",
                     "Dirk went to the garage.", "Anna ran to the cellar."]
        var outcomes: [MemorySession.Outcome] = []
        for line in lines { outcomes.append(try read(session, line)) }
        #expect(outcomes == [.stored(dropped: false), .stored(dropped: false), .stored(dropped: false),
                             .stored(dropped: true), .stored(dropped: true)])
        #expect(session.count == 3)
        guard case .answer = try read(session, "Where is Anna?") else { Issue.record("no answer"); return }
        let full = session.probabilities
        // The same answer as a fresh story of the last three sentences only.
        let fresh = try model.makeMemorySession()
        for line in lines.suffix(3) { _ = try read(fresh, line) }
        _ = try read(fresh, "Where is Anna?")
        #expect(fresh.probabilities.map(\.bitPattern) == full.map(\.bitPattern))
    }

    @Test func questionBeforeAnyStoryIsAnsweredFromTheQuestionAlone() throws {
        let (network, model, _) = try Self.make(quantized: false)
        let session = try model.makeMemorySession()
        guard case .answer(let token, let p) = try read(session, "1 Where is Anna?") else {
            Issue.record("no answer"); return
        }
        #expect(session.count == 0)
        let trainer = network.probabilities(MemoryNetwork.Example(sentences: [], question: ["where", "is", "anna"].map(network.id), answer: 0))
        #expect(abs(trainer[token] - p) <= 1e-5)
        #expect(abs(session.probabilities.reduce(0, +) - 1) <= 1e-4)
    }

    @Test func newStoriesAndUnknownWords() throws {
        let (_, model, _) = try Self.make(quantized: false)
        let session = try model.makeMemorySession()
        _ = try read(session, "1 Anna went to the attic.")
        _ = try read(session, "2 Bert went to the porch.")
        #expect(session.count == 2)
        #expect(try read(session, "1 Cleo went to the studio.") == .stored(dropped: false))
        #expect(session.count == 1)
        #expect(try read(session, "   ") == .newStory)
        #expect(session.count == 0)
        // Unknown words are <unk> (id 0): "Zorro" and "Xavier" give the same answer distribution.
        _ = try read(session, "Zorro went to the attic.")
        _ = try read(session, "Where is Zorro?")
        let first = session.probabilities
        session.reset()
        _ = try read(session, "XAVIER went to the attic.")
        _ = try read(session, "Where is xavier?")
        #expect(session.probabilities == first)
        #expect(try read(session, "... !!") == .empty)
    }

    @Test func overLongLineIsRefusedAndStoresNothing() throws {
        let (_, model, _) = try Self.make(quantized: false)
        let session = try model.makeMemorySession()
        _ = try read(session, "Anna went to the attic.")
        #expect(throws: RecurError.inputTooLong(tokens: 8, limit: 6)) {
            _ = try read(session, "Anna went to the attic and then home.")
        }
        #expect(session.count == 1)
        #expect(throws: RecurError.inputTooLong(tokens: 7, limit: 6)) {
            _ = try read(session, "Where is Anna now and then and?")
        }
    }

    @Test func randomBytesNeverCrash() throws {
        let (_, model, _) = try Self.make(quantized: true)
        let session = try model.makeMemorySession()
        var generator = SeededGenerator(seed: 11)
        var answers = 0
        for round in 0..<2000 {
            let length = Int(generator.next() % 40)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Every fifth line ends in `?` (a question made of noise, unless a TAB cuts it short).
            if round % 5 == 0 { bytes.append(0x3F) }
            let outcome = try? bytes.withUnsafeBufferPointer { (b) throws(RecurError) in try session.read(line: b) }
            #expect(session.count <= model.memory!.capacity)
            if case .answer(let token, let p)? = outcome {
                answers += 1
                #expect(token >= 0 && token < model.memory!.vocabulary.count && p.isFinite && p > 0)
            }
            _ = try? read(session, "Where is Anna?")
            #expect(session.probabilities.allSatisfy { $0.isFinite })
        }
        #expect(answers > 0)
    }
}
