/// What a `MemorySession` computes with (`Model.memoryCompute`): the word and temporal tables as
/// f32 and the vocabulary sorted for lookup. Immutable after loading.
///
/// Int8 word tables are expanded to f32 once, at load (`q · scale`, the value every product would
/// compute); the tables are small (vocabulary × width per hop).
struct MemoryCompute {
    /// E_0…E_K, V × d row-major.
    let embeddings: [[Float]]
    /// T_0…T_K, M × d.
    let temporal: [[Float]]
    /// Vocabulary ids sorted by their words' bytes (lookup without allocation).
    let sortedIDs: [Int]
    let wordBytes: [[UInt8]]
    /// `MemoryConfiguration.unknownToken`.
    let unknownToken: Int

    init(embeddings: [[Float]], temporal: [[Float]], vocabulary: [String], unknownToken: Int) {
        self.embeddings = embeddings
        self.temporal = temporal
        self.unknownToken = unknownToken
        var bytes: [[UInt8]] = []
        for word in vocabulary { bytes.append(Array(word.utf8)) }
        wordBytes = bytes
        var order: [Int] = []
        for i in 0..<vocabulary.count { order.append(i) }
        order.sort { (a: Int, b: Int) -> Bool in MemoryCompute.less(bytes[a], bytes[b]) }
        sortedIDs = order
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
}
