import Foundation
import RecurRuntime

/// Writes a trained `MemoryNetwork` as a `memory_qa` .rnnz (docs/FORMAT.md "memory_qa"): word
/// tables int8 per row (or f32), temporal tables f32, self-tests computed by the Runtime on the
/// file's own weights, then the file read back and its self-tests verified before it is written.
public enum MemoryExport {
    public struct Result {
        public var model: Model
        public var bytes: Int
        public var selfTests: Int
    }

    public static func f32Path(_ out: String) -> String {
        RnnzWriter.f32TwinPath(out)
    }

    /// The self-test inputs: the first test questions of the first parts (`-1` ends a sentence).
    static func selfTestInputs(_ network: MemoryNetwork, data: BabiData, count: Int = 4) -> [[Int32]] {
        var inputs: [[Int32]] = []
        var none = SeededRandom(seed: 0)
        for part in data.parts {
            let examples = BabiTraining.examples(Array(part.test.prefix(1)), network: network, random: &none)
            for example in examples.prefix(max(1, count / data.parts.count)) {
                var tokens: [Int32] = []
                for sentence in example.sentences where !sentence.isEmpty {
                    tokens += sentence.map { Int32($0) }
                    tokens.append(-1)
                }
                inputs.append(tokens + example.question.map { Int32($0) })
            }
            if inputs.count >= count { break }
        }
        return inputs
    }

    /// The GGUF bytes (without self-tests when `tests` is empty).
    static func gguf(_ network: MemoryNetwork, settings: BabiSettings, quantized: Bool,
                     tests: [(input: [Int32], output: [Float])]) -> [UInt8] {
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("general.name", .string(settings.tasks.count == 1 ? "babi-qa\(settings.tasks[0])" : "babi"))
        builder.set("recur.format_version", .uint32(Rnnz.formatVersion))
        builder.set("recur.task", .string(ModelTask.memoryQA.rawValue))
        builder.set("recur.vocab", .array(.string(network.vocabulary)))
        builder.set("recur.token.unk", .uint32(0))
        builder.set("recur.memory.dim", .uint32(UInt32(network.dim)))
        builder.set("recur.memory.hops", .uint32(UInt32(network.hops)))
        builder.set("recur.memory.capacity", .uint32(UInt32(network.capacity)))
        builder.set("recur.memory.max_words", .uint32(UInt32(settings.maxWords)))
        builder.set("recur.memory.encoding", .string("position"))
        builder.set("recur.memory.tying", .string("adjacent"))
        builder.set(settingsKey, .string(settingsJSON(settings)))
        let words = network.vocabulary.count, d = network.dim
        for k in 0...network.hops {
            let table = network.embeddings[k]
            if quantized {
                let q = Quantize.rows(table.value, rows: words, cols: d)
                builder.addI8(name: table.name, rows: words, cols: d, q.values)
                builder.addF32(name: table.name + ".scale", q.scales)
            } else {
                builder.addF32(name: table.name, rows: words, cols: d, table.value)
            }
            builder.addF32(name: network.temporal[k].name, rows: network.capacity, cols: d, network.temporal[k].value)
        }
        if !tests.isEmpty {
            builder.set("recur.selftest.count", .uint32(UInt32(tests.count)))
            for (t, test) in tests.enumerated() {
                builder.addI32(name: "selftest.\(t).input", test.input)
                builder.addF32(name: "selftest.\(t).output", test.output)
            }
        }
        return builder.encode()
    }

    /// The key of the training settings (JSON, the data path left out) in a memory network's file.
    public static let settingsKey = "recur.train.babi"

    /// The tasks a stored settings record names. Only `tasks` is read, so files written before a
    /// later setting existed still evaluate.
    public static func storedTasks(json: String) -> [Int]? {
        struct Stored: Decodable { var tasks: [Int] }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)),
              !stored.tasks.isEmpty, stored.tasks.allSatisfy({ (1...20).contains($0) }) else { return nil }
        return stored.tasks
    }

    static func settingsJSON(_ settings: BabiSettings) -> String {
        var stored = settings
        stored.data = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(stored), let text = String(data: json, encoding: .utf8) else { return "{}" }
        return text
    }

    /// Exports, verifies and (when `path` is given) writes the file atomically.
    public static func export(_ network: MemoryNetwork, settings: BabiSettings, data: BabiData, quantized: Bool,
                              to path: String?) throws -> Result {
        try export(network, settings: settings, selfTestInputs: selfTestInputs(network, data: data), quantized: quantized, to: path)
    }

    /// `export` with the self-test inputs given (token ids, −1 ends a sentence, the question last).
    public static func export(_ network: MemoryNetwork, settings: BabiSettings, selfTestInputs inputs: [[Int32]],
                              quantized: Bool, to path: String?) throws -> Result {
        let bare = try Rnnz.decodeUncompressedCopy(gguf(network, settings: settings, quantized: quantized, tests: []))
        let session = try Model(file: bare).makeMemorySession()
        let tests = inputs.map { (input: $0, output: session.run(tokens: $0)) }
        let compressed = try RnnzWriter.compress(gguf(network, settings: settings, quantized: quantized, tests: tests))
        let file = try compressed.withUnsafeBytes { bytes in try Rnnz.decode(bytes) }
        try Rnnz.checkRecurHeader(file)
        try Rnnz.checkInt8Range(file)
        let model = try Model(file: file)
        let verified = try model.verifySelfTests().cases
        if let path { try RnnzWriter.writeAtomically(compressed, to: path) }
        return Result(model: model, bytes: compressed.count, selfTests: verified)
    }

    /// The share of `stories`' questions whose answer the Runtime gets right, reading each story
    /// line by line as recur-run does (numbered lines, questions answered and not stored).
    public static func runtimeAccuracy(_ model: Model, stories: [BabiStory]) throws -> Double {
        let score = try runtimeScore(model, stories: stories)
        return Double(score.correct) / Double(max(score.total, 1))
    }

    /// `runtimeAccuracy` as counts: questions answered right, questions asked.
    public static func runtimeScore(_ model: Model, stories: [BabiStory]) throws -> (correct: Int, total: Int) {
        let session = try model.makeMemorySession()
        let vocabulary = session.configuration.vocabulary
        var correct = 0, total = 0
        for story in stories {
            session.reset()
            var next = 0
            for question in story.questions {
                while next < question.context {
                    _ = try read(session, story.sentences[next].joined(separator: " ") + ".")
                    next += 1
                }
                let outcome = try read(session, question.words.joined(separator: " ") + "?")
                if case .answer(let token, _) = outcome, vocabulary[token] == question.answer { correct += 1 }
                total += 1
            }
        }
        return (correct, total)
    }

    static func read(_ session: MemorySession, _ text: String) throws -> MemorySession.Outcome {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in try session.read(line: buffer) }
    }
}

extension Rnnz {
    /// Decodes uncompressed GGUF bytes held in an array.
    static func decodeUncompressedCopy(_ bytes: [UInt8]) throws -> GGUFFile {
        try bytes.withUnsafeBytes { raw in try Rnnz.decodeUncompressed(raw) }
    }
}
