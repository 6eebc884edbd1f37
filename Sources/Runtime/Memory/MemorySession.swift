import CRuntime

/// A story being read by a memory network (docs/MEMORY.md): a ring of the last M sentences'
/// embeddings and the scratch of one question, all allocated by `Model.makeMemorySession`, which
/// is also where the task is checked (once). Reading a sentence embeds it into the ring
/// (overwriting the oldest when full) and allocates nothing; a question is answered from the
/// sentences in the ring. The network has no recurrent layers, so no `LayerStack`: its hops are
/// dot products over the ring. A session is used from one thread at a time.
public final class MemorySession {
    public let model: Model
    /// What the model's file says about the network (`Model.memory`).
    public let configuration: MemoryConfiguration
    /// The word and temporal tables.
    private let compute: MemoryCompute
    /// Per slot and table k = 0…K: Σ_j l_j ⊙ E_k[word j] (d values).
    private var ring: [Float]
    /// The next slot written, and how many slots hold sentences.
    private var head = 0
    public private(set) var count = 0
    private var ids: [Int]
    private var wordCount = 0
    private var control: [Float]
    private var next: [Float]
    private var scores: [Float]
    /// The answer distribution of the last question.
    public private(set) var probabilities: [Float]

    /// What one line did.
    public enum Outcome: Equatable, Sendable {
        /// A blank line: the memory is empty now.
        case newStory
        /// A sentence went into memory (`dropped`: the oldest sentence left to make room).
        case stored(dropped: Bool)
        /// A line with no words: nothing stored.
        case empty
        /// A question: the most probable word and its probability (`probabilities` has them all).
        case answer(token: Int, probability: Float)
    }

    init(model: Model, configuration: MemoryConfiguration, compute: MemoryCompute) {
        self.model = model
        self.configuration = configuration
        self.compute = compute
        let d = configuration.dim
        ring = [Float](repeating: 0, count: configuration.capacity * (configuration.hops + 1) * d)
        ids = [Int](repeating: 0, count: configuration.maxWords)
        control = [Float](repeating: 0, count: d)
        next = [Float](repeating: 0, count: d)
        scores = [Float](repeating: 0, count: configuration.capacity)
        probabilities = [Float](repeating: 0, count: configuration.vocabulary.count)
    }

    /// Empties the memory (a new story).
    public func reset() {
        head = 0
        count = 0
    }

    /// Reads one line (without its newline): bAbI-numbered or plain, `MemoryLine`'s rules.
    /// A line numbered 1 or a blank line starts a new story; a line ending in `?` is answered
    /// and not stored; any other line is stored.
    ///
    /// - Throws: `inputTooLong` for a line of more than `configuration.maxWords` words (nothing is stored).
    public func read(line bytes: UnsafeBufferPointer<UInt8>) throws(RecurError) -> Outcome {
        let line = MemoryLine.parse(bytes)
        if line.startsStory { reset() }
        if line.isBlank { return .newStory }
        var words = 0
        MemoryLine.forEachWord(in: bytes, range: line.text) { _ in words += 1 }
        if words > configuration.maxWords { throw .inputTooLong(tokens: words, limit: configuration.maxWords) }
        wordCount = 0
        MemoryLine.forEachWord(in: bytes, range: line.text) { range in
            ids[wordCount] = compute.id(of: bytes, range)
            wordCount += 1
        }
        if line.isQuestion { return answer() }
        if wordCount == 0 { return .empty }
        let dropped = store()
        return .stored(dropped: dropped)
    }

    /// Adds Σ_j l_j ⊙ table[ids_j] (the first `wordCount` ids) into `out[offset…]`.
    private func embed(_ k: Int, into out: inout [Float], offset: Int) {
        let d = configuration.dim
        let n = wordCount
        compute.embeddings[k].withUnsafeBufferPointer { table in
            for j in 0..<n {
                let row = ids[j] * d
                for e in 0..<d {
                    let jj = Float(j + 1), big = Float(n), ee = Float(e + 1), dd = Float(d)
                    let weight = (1 - jj / big) - (ee / dd) * (1 - 2 * jj / big)
                    out[offset + e] += weight * table[row + e]
                }
            }
        }
    }

    private func store() -> Bool {
        let d = configuration.dim, tables = configuration.hops + 1
        let base = head * tables * d
        for i in base..<(base + tables * d) { ring[i] = 0 }
        for k in 0..<tables { embed(k, into: &ring, offset: base + k * d) }
        head = (head + 1) % configuration.capacity
        let dropped = count == configuration.capacity
        if !dropped { count += 1 }
        return dropped
    }

    /// m_k(i)[e] for the i-th oldest sentence in memory.
    @inline(__always)
    private func memory(_ k: Int, _ i: Int, _ e: Int) -> Float {
        let d = configuration.dim, m = configuration.capacity
        let slot = (head - count + i + m) % m
        let age = count - 1 - i
        return ring[(slot * (configuration.hops + 1) + k) * d + e] + compute.temporal[k][age * d + e]
    }

    private func answer() -> Outcome {
        let d = configuration.dim, n = count
        for e in 0..<d { control[e] = 0 }
        embed(0, into: &control, offset: 0)
        for h in 0..<configuration.hops {
            for i in 0..<n {
                var s: Float = 0
                for e in 0..<d { s += memory(h, i, e) * control[e] }
                scores[i] = s
            }
            if n > 0 { scores.withUnsafeMutableBufferPointer { rc_softmax($0.baseAddress!, n) } }
            for e in 0..<d { next[e] = control[e] }
            for i in 0..<n {
                for e in 0..<d { next[e] += scores[i] * memory(h + 1, i, e) }
            }
            for e in 0..<d { control[e] = next[e] }
        }
        let words = configuration.vocabulary.count
        compute.embeddings[configuration.hops].withUnsafeBufferPointer { table in
            for v in 0..<words {
                var s: Float = 0
                for e in 0..<d { s += table[v * d + e] * control[e] }
                probabilities[v] = s
            }
        }
        probabilities.withUnsafeMutableBufferPointer { rc_softmax($0.baseAddress!, words) }
        var best = 0
        for v in 1..<max(words, 1) where probabilities[v] > probabilities[best] { best = v }
        return .answer(token: best, probability: probabilities[best])
    }

    /// Self-tests and trainer scores: token ids, −1 ends a sentence; the last run of ids (after
    /// the last −1) is the question. Returns the answer distribution.
    public func run(tokens: [Int32]) -> [Float] {
        reset()
        wordCount = 0
        for token in tokens {
            if token < 0 {
                if wordCount > 0 { _ = store() }
                wordCount = 0
            } else if wordCount < configuration.maxWords {
                ids[wordCount] = Int(token)
                wordCount += 1
            }
        }
        _ = answer()
        return probabilities
    }
}
