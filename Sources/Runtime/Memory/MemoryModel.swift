import CRuntime

/// A memory-network question-answering model (`recur.task = memory_qa`, docs/FORMAT.md "memory_qa"):
/// an end-to-end memory network with adjacent weight tying, position and temporal encoding
/// (docs/MEMORY.md). Immutable after loading; sessions (`MemorySession`) hold the memory.
///
/// Int8 word tables are expanded to f32 once, at load (`q · scale`, the value every product would
/// compute); the tables are small (vocabulary × width per hop).
public final class MemoryModel: @unchecked Sendable {
    // @unchecked: every stored property is immutable after init.
    public let name: String
    /// `recur.vocab`: word id → word (or answer token); id 0 is `<unk>` (`recur.token.unk`).
    public let vocabulary: [String]
    public let unknownToken: Int
    /// d, K, M and the longest sentence (words) a line may have.
    public let dim: Int
    public let hops: Int
    public let capacity: Int
    public let maxWords: Int
    /// I8 or F32 (all word tables share one type).
    public let weightType: WeightType
    /// E_0…E_K, V × d row-major (f32, dequantized from int8 when the file stores int8).
    let embeddings: [[Float]]
    /// T_0…T_K, M × d.
    let temporal: [[Float]]
    /// Vocabulary ids sorted by their words' bytes (lookup without allocation).
    let sortedIDs: [Int]
    let wordBytes: [[UInt8]]
    /// Embedded self-tests: token ids (−1 ends a sentence; the last run is the question) and the
    /// expected answer distribution.
    public let selfTests: [(input: [Int32], expected: [Float])]

    public var parameterCount: Int { (hops + 1) * (vocabulary.count + capacity) * dim }

    /// The key `recur.task` holds for this model.
    public static let taskName = "memory_qa"
    static let maximumSize = 1 << 20

    public convenience init(contentsOf path: String, limit: Int = 256 << 20) throws(RecurError) {
        let file = try FileContents.withBytes(ofFile: path, limit: limit) {
            (bytes) throws(RecurError) -> GGUFFile in try Rnnz.decode(bytes, limit: limit)
        }
        try self.init(file: file)
    }

    public init(file: GGUFFile) throws(RecurError) {
        let task = try file.string("recur.task")
        if task != Self.taskName {
            throw .badKeyValue(key: "recur.task", reason: "\"\(task)\" is not a memory_qa model")
        }
        func size(_ key: String, _ maximum: Int = 1 << 20) throws(RecurError) -> Int {
            let value = Int(try file.uint32(key))
            if value < 1 || value > maximum { throw .badKeyValue(key: key, reason: "\(value) is not in 1...\(maximum)") }
            return value
        }
        name = try file.optionalString("general.name") ?? ""
        dim = try size("recur.memory.dim", 4096)
        hops = try size("recur.memory.hops", 64)
        capacity = try size("recur.memory.capacity", 1 << 16)
        maxWords = try size("recur.memory.max_words", 4096)
        for (key, expected) in [("recur.memory.encoding", "position"), ("recur.memory.tying", "adjacent")] {
            let value = try file.string(key)
            if value != expected { throw .badKeyValue(key: key, reason: "\"\(value)\"; this runtime knows \"\(expected)\"") }
        }
        vocabulary = try file.strings("recur.vocab")
        if vocabulary.isEmpty || vocabulary.count > Self.maximumSize {
            throw .badKeyValue(key: "recur.vocab", reason: "has \(vocabulary.count) words; expected 1...\(Self.maximumSize)")
        }
        let unknown = Int(try file.uint32("recur.token.unk"))
        if unknown >= vocabulary.count {
            throw .badKeyValue(key: "recur.token.unk", reason: "token \(unknown) is outside the vocabulary of \(vocabulary.count)")
        }
        unknownToken = unknown
        let words = vocabulary.count
        var tables: [[Float]] = []
        var times: [[Float]] = []
        var type: WeightType? = nil
        for k in 0...hops {
            let name = "memory.\(k).embedding"
            let info = try file.tensor(name)
            if info.dims != [dim, words] { throw .wrongTensorShape(tensor: name, expected: [dim, words], found: info.dims) }
            let tableType: WeightType
            var table: [Float]
            switch info.type {
            case .i8:
                tableType = .int8
                let q = try file.int8s(of: info)
                let scaleInfo = try file.tensor(name + ".scale")
                if scaleInfo.type != .f32 { throw .wrongTensorType(tensor: name + ".scale", expected: "F32", found: scaleInfo.type.name) }
                if scaleInfo.dims != [words] { throw .wrongTensorShape(tensor: name + ".scale", expected: [words], found: scaleInfo.dims) }
                let scale = try file.floats(of: scaleInfo)
                table = [Float](repeating: 0, count: words * dim)
                for v in 0..<words {
                    if !scale[v].isFinite { throw .badKeyValue(key: name + ".scale", reason: "value \(v) is not finite") }
                    for e in 0..<dim { table[v * dim + e] = Float(q[v * dim + e]) * scale[v] }
                }
            case .f32:
                tableType = .f32
                table = try file.floats(of: info)
            default:
                throw .wrongTensorType(tensor: name, expected: "I8 or F32", found: info.type.name)
            }
            if let type, type != tableType { throw .wrongTensorType(tensor: name, expected: type.fileName, found: info.type.name) }
            type = tableType
            for value in table where !value.isFinite { throw .badKeyValue(key: name, reason: "holds a value that is not finite") }
            tables.append(table)
            let timeName = "memory.\(k).temporal"
            let timeInfo = try file.tensor(timeName)
            if timeInfo.type != .f32 { throw .wrongTensorType(tensor: timeName, expected: "F32", found: timeInfo.type.name) }
            if timeInfo.dims != [dim, capacity] {
                throw .wrongTensorShape(tensor: timeName, expected: [dim, capacity], found: timeInfo.dims)
            }
            let time = try file.floats(of: timeInfo)
            for value in time where !value.isFinite { throw .badKeyValue(key: timeName, reason: "holds a value that is not finite") }
            times.append(time)
        }
        embeddings = tables
        temporal = times
        weightType = type ?? .f32
        var bytes: [[UInt8]] = []
        for word in vocabulary { bytes.append(Array(word.utf8)) }
        wordBytes = bytes
        var order: [Int] = []
        for i in 0..<words { order.append(i) }
        order.sort { (a: Int, b: Int) -> Bool in MemoryModel.less(bytes[a], bytes[b]) }
        sortedIDs = order
        var tests: [(input: [Int32], expected: [Float])] = []
        let count = Int(try file.optionalUInt32("recur.selftest.count") ?? 0)
        if count > 4096 { throw .badKeyValue(key: "recur.selftest.count", reason: "\(count) is over the limit of 4096") }
        for t in 0..<count {
            let inputName = "selftest.\(t).input", outputName = "selftest.\(t).output"
            let inputInfo = try file.tensor(inputName)
            if inputInfo.type != .i32 { throw .wrongTensorType(tensor: inputName, expected: "I32", found: inputInfo.type.name) }
            let input = try file.int32s(of: inputInfo)
            for token in input where token < -1 || Int(token) >= words {
                throw .badKeyValue(key: inputName, reason: "token \(token) is outside the vocabulary of \(words)")
            }
            let outputInfo = try file.tensor(outputName)
            if outputInfo.type != .f32 || outputInfo.dims != [words] {
                throw .wrongTensorShape(tensor: outputName, expected: [words], found: outputInfo.dims)
            }
            tests.append((input, try file.floats(of: outputInfo)))
        }
        selfTests = tests
    }

    static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var i = 0
        while i < a.count && i < b.count {
            if a[i] != b[i] { return a[i] < b[i] }
            i += 1
        }
        return a.count < b.count
    }

    /// The id of the word `bytes[range]` compared lowercased (ASCII), or `unknownToken`.
    func id(of bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var low = 0, high = sortedIDs.count
        while low < high {
            let mid = (low + high) / 2
            let word = wordBytes[sortedIDs[mid]]
            var order = 0   // −1: word < key, 1: word > key
            var i = 0
            while order == 0 && i < word.count && i < range.count {
                let key = MemoryLine.lowercased(bytes[range.lowerBound + i])
                if word[i] != key { order = word[i] < key ? -1 : 1 }
                i += 1
            }
            if order == 0 { order = word.count < range.count ? -1 : (word.count > range.count ? 1 : 0) }
            if order == 0 { return sortedIDs[mid] }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return unknownToken
    }

    public func makeSession() -> MemorySession { MemorySession(model: self) }

    /// Recomputes every self-test; returns the number of cases (all bit-identical) or throws
    /// `selfTestMismatch`.
    public func verifySelfTests() throws(RecurError) -> Int {
        let session = makeSession()
        for (t, test) in selfTests.enumerated() {
            session.reset()
            let p = session.run(tokens: test.input)
            var largest: Float = 0
            var first = -1
            for i in 0..<p.count where p[i].bitPattern != test.expected[i].bitPattern {
                if first < 0 { first = i }
                largest = max(largest, abs(p[i] - test.expected[i]))
            }
            if first >= 0 {
                throw .selfTestMismatch(testCase: t, index: first, expected: test.expected[first], found: p[first], maxDifference: largest)
            }
        }
        return selfTests.count
    }
}
