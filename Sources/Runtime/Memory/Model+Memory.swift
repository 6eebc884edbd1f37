extension Model {
    /// Makes a session for a memory network: the memory ring for `recur.memory.capacity`
    /// sentences and the scratch of one question.
    ///
    /// - Throws: `wrongTask` for a model that is not `memory_qa`.
    public func makeMemorySession() throws(RecurError) -> MemorySession {
        guard let configuration = memory, let compute = memoryCompute else {
            throw .wrongTask(expected: "memory_qa", found: task.rawValue)
        }
        return MemorySession(model: self, configuration: configuration, compute: compute)
    }

    /// The memory network's self-test: the answer distribution of the ids (−1 ends a sentence,
    /// the last run is the question), by a fresh session.
    func memorySelfTestOutputs(for input: SelfTestInput) throws(RecurError) -> [Float] {
        guard case .tokens(let ids) = input else {
            throw .wrongTask(expected: "memory_qa (token ids)", found: "frames")
        }
        return try makeMemorySession().run(tokens: ids)
    }
}

extension ModelLoader {
    /// `memory_qa`: the `recur.memory.*` keys, the vocabulary and the K + 1 word and temporal
    /// tables (docs/FORMAT.md "memory_qa").
    mutating func loadMemory() throws(RecurError) {
        let dim = try size("recur.memory.dim", maximum: 4096)
        let hops = try size("recur.memory.hops", maximum: 64)
        let capacity = try size("recur.memory.capacity", maximum: 1 << 16)
        let maxWords = try size("recur.memory.max_words", maximum: 4096)
        for (key, expected) in [("recur.memory.encoding", "position"), ("recur.memory.tying", "adjacent")] {
            let value = try file.string(key)
            if value != expected { throw .badKeyValue(key: key, reason: "\"\(value)\"; this runtime knows \"\(expected)\"") }
        }
        let vocabulary = try file.strings("recur.vocab")
        if vocabulary.isEmpty || vocabulary.count > 1 << 20 {
            throw .badKeyValue(key: "recur.vocab", reason: "has \(vocabulary.count) words; expected 1...\(1 << 20)")
        }
        let unknown = Int(try file.uint32("recur.token.unk"))
        if unknown >= vocabulary.count {
            throw .badKeyValue(key: "recur.token.unk", reason: "token \(unknown) is outside the vocabulary of \(vocabulary.count)")
        }
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
                try expect(scaleInfo, type: .f32)
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
            try expect(timeInfo, type: .f32)
            if timeInfo.dims != [dim, capacity] {
                throw .wrongTensorShape(tensor: timeName, expected: [dim, capacity], found: timeInfo.dims)
            }
            let time = try file.floats(of: timeInfo)
            for value in time where !value.isFinite { throw .badKeyValue(key: timeName, reason: "holds a value that is not finite") }
            times.append(time)
        }
        parts.memory = MemoryConfiguration(
            vocabulary: vocabulary, unknownToken: unknown, dim: dim, hops: hops, capacity: capacity,
            maxWords: maxWords, weightType: type ?? .f32)
        parts.memoryCompute = MemoryCompute(embeddings: tables, temporal: times, vocabulary: vocabulary, unknownToken: unknown)
    }
}
