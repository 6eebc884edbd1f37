import Foundation
import RecurRuntime

/// An end-to-end memory network (Sukhbaatar et al. 2015, "End-To-End Memory Networks") with
/// adjacent weight tying, position encoding and temporal encoding (docs/MEMORY.md):
///
///     s_k(x) = Σ_j l_j ⊙ E_k[x_j]                       (bag of words with position encoding)
///     l_j[e] = (1 − j/J) − (e/d)(1 − 2j/J)               (j = 1…J words, e = 1…d)
///     m_k(i) = s_k(sentence i) + T_k[age of i]          (age 0: the most recent sentence)
///     u_0 = s_0(question)                               (B = A¹ = E_0)
///     hop h = 0…K−1: p = softmax_i(m_h(i) · u_h),  u_{h+1} = u_h + Σ_i p_i m_{h+1}(i)
///     answer logits z_v = E_K[v] · u_K                   (Wᵀ = C^K = E_K)
///
/// E_0…E_K are V × d word tables, T_0…T_K are M × d temporal tables (M the memory's capacity):
/// hop h's input (A) embedding is E_h and its output (C) embedding E_{h+1}. With `linear` set
/// (the paper's linear start) the hops' softmax is left out: p = the scores themselves.
public final class MemoryNetwork {
    public let vocabulary: [String]
    public let dim: Int
    public let hops: Int
    public let capacity: Int
    /// E_0…E_K (`memory.{k}.embedding`), V × d.
    public let embeddings: [Parameter]
    /// T_0…T_K (`memory.{k}.temporal`), M × d.
    public let temporal: [Parameter]
    /// Linear start: no softmax in the hops.
    public var linear = false
    let index: [String: Int]

    /// The id of unknown words: `vocabulary[0]` is always `<unk>`.
    public static let unknownWord = "<unk>"

    public var parameters: [Parameter] { embeddings + temporal }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Weights drawn from N(0, 0.1²) with `seed` (the paper's initialisation).
    public init(vocabulary: [String], dim: Int, hops: Int, capacity: Int, seed: UInt64) {
        precondition(vocabulary.first == Self.unknownWord && dim > 0 && hops > 0 && capacity > 0)
        self.vocabulary = vocabulary
        self.dim = dim
        self.hops = hops
        self.capacity = capacity
        var index: [String: Int] = [:]
        for (i, word) in vocabulary.enumerated() { index[word] = i }
        self.index = index
        var random = SeededRandom(seed: seed)
        func table(_ name: String, rows: Int) -> Parameter {
            Parameter(name: name, rows: rows, cols: dim, value: (0..<(rows * dim)).map { _ in 0.1 * random.normal() })
        }
        embeddings = (0...hops).map { table("memory.\($0).embedding", rows: vocabulary.count) }
        temporal = (0...hops).map { table("memory.\($0).temporal", rows: capacity) }
    }

    /// A word's id (`<unk>`'s, 0, for words outside the vocabulary).
    public func id(_ word: String) -> Int { index[word] ?? 0 }

    /// One question with its memory: the sentences (word ids, oldest first, at most `capacity`;
    /// an empty sentence is an empty memory), the question's ids and the answer's id.
    public struct Example: Sendable {
        public var sentences: [[Int]]
        public var question: [Int]
        public var answer: Int

        public init(sentences: [[Int]], question: [Int], answer: Int) {
            self.sentences = sentences
            self.question = question
            self.answer = answer
        }
    }

    /// Position-encoding weight l_j[e] for word j (0-based) of `count`, dimension e (0-based).
    @inline(__always)
    static func position(_ j: Int, of count: Int, _ e: Int, dim: Int) -> Float {
        let jj = Float(j + 1), big = Float(count), ee = Float(e + 1), d = Float(dim)
        return (1 - jj / big) - (ee / d) * (1 - 2 * jj / big)
    }

    /// What the backward pass needs from the forward pass.
    struct Trace {
        /// m[k][i·d + e].
        var memories: [[Float]]
        /// u_0…u_K.
        var controls: [[Float]]
        /// The attention of each hop.
        var attention: [[Float]]
        /// The answer distribution.
        var probabilities: [Float]
    }

    /// Adds Σ_j l_j ⊙ table[ids_j] into `out` (d values).
    private func embed(_ ids: [Int], table: Parameter, into out: inout [Float], offset: Int = 0) {
        let d = dim
        let values = table.storage.data
        for (j, id) in ids.enumerated() {
            let row = values + id * d
            for e in 0..<d { out[offset + e] += Self.position(j, of: ids.count, e, dim: d) * row[e] }
        }
    }

    func forward(_ example: Example) -> Trace {
        let d = dim, n = example.sentences.count
        var memories: [[Float]] = []
        for k in 0...hops {
            var m = [Float](repeating: 0, count: n * d)
            let times = temporal[k].storage.data
            for (i, sentence) in example.sentences.enumerated() {
                embed(sentence, table: embeddings[k], into: &m, offset: i * d)
                let age = n - 1 - i
                for e in 0..<d { m[i * d + e] += times[age * d + e] }
            }
            memories.append(m)
        }
        var u = [Float](repeating: 0, count: d)
        embed(example.question, table: embeddings[0], into: &u)
        var controls = [u]
        var attention: [[Float]] = []
        for h in 0..<hops {
            var p = [Float](repeating: 0, count: n)
            for i in 0..<n {
                var s: Float = 0
                for e in 0..<d { s += memories[h][i * d + e] * u[e] }
                p[i] = s
            }
            if !linear { softmax(&p) }
            var next = u
            for i in 0..<n {
                for e in 0..<d { next[e] += p[i] * memories[h + 1][i * d + e] }
            }
            attention.append(p)
            u = next
            controls.append(u)
        }
        let table = embeddings[hops].storage.data
        var z = [Float](repeating: 0, count: vocabulary.count)
        for v in 0..<vocabulary.count {
            var s: Float = 0
            for e in 0..<d { s += table[v * d + e] * u[e] }
            z[v] = s
        }
        softmax(&z)
        return Trace(memories: memories, controls: controls, attention: attention, probabilities: z)
    }

    /// The answer distribution over the vocabulary.
    public func probabilities(_ example: Example) -> [Float] { forward(example).probabilities }

    /// −log p(answer).
    public func loss(_ example: Example) -> Double {
        -Math.log(max(Double(forward(example).probabilities[example.answer]), 1e-30))
    }

    /// Forward and backward for one example: adds `scale` · ∂loss/∂θ to every gradient and returns
    /// the loss and whether the most probable word is the answer.
    @discardableResult
    public func accumulate(_ example: Example, scale: Float) -> (loss: Double, correct: Bool) {
        let trace = forward(example)
        let d = dim, n = example.sentences.count, words = vocabulary.count
        let probabilities = trace.probabilities
        var best = 0
        for v in 1..<words where probabilities[v] > probabilities[best] { best = v }
        let loss = -Math.log(max(Double(probabilities[example.answer]), 1e-30))

        // Answer layer: z_v = E_K[v] · u_K.
        var dz = probabilities.map { $0 * scale }
        dz[example.answer] -= scale
        let uK = trace.controls[hops]
        var du = [Float](repeating: 0, count: d)
        let answerTable = embeddings[hops].storage.data, answerGrad = embeddings[hops].gradient.data
        for v in 0..<words where dz[v] != 0 {
            for e in 0..<d {
                answerGrad[v * d + e] += dz[v] * uK[e]
                du[e] += dz[v] * answerTable[v * d + e]
            }
        }
        // Hops, last first.
        var dm = [[Float]](repeating: [Float](repeating: 0, count: n * d), count: hops + 1)
        for h in stride(from: hops - 1, through: 0, by: -1) {
            let p = trace.attention[h], uh = trace.controls[h]
            var dp = [Float](repeating: 0, count: n)
            for i in 0..<n {
                var s: Float = 0
                for e in 0..<d {
                    s += trace.memories[h + 1][i * d + e] * du[e]
                    dm[h + 1][i * d + e] += p[i] * du[e]
                }
                dp[i] = s
            }
            var da = dp
            if !linear {
                var dot: Float = 0
                for i in 0..<n { dot += p[i] * dp[i] }
                for i in 0..<n { da[i] = p[i] * (dp[i] - dot) }
            }
            for i in 0..<n {
                for e in 0..<d {
                    dm[h][i * d + e] += da[i] * uh[e]
                    du[e] += da[i] * trace.memories[h][i * d + e]
                }
            }
        }
        scatter(example.question, gradient: du, offset: 0, table: embeddings[0])
        for k in 0...hops {
            let timeGrad = temporal[k].gradient.data
            for (i, sentence) in example.sentences.enumerated() {
                let age = n - 1 - i
                for e in 0..<d { timeGrad[age * d + e] += dm[k][i * d + e] }
                scatter(sentence, gradient: dm[k], offset: i * d, table: embeddings[k])
            }
        }
        return (loss, best == example.answer)
    }

    /// table.grad[ids_j] += l_j ⊙ gradient[offset ..< offset + d].
    private func scatter(_ ids: [Int], gradient: [Float], offset: Int, table: Parameter) {
        let d = dim
        let grads = table.gradient.data
        for (j, id) in ids.enumerated() {
            for e in 0..<d { grads[id * d + e] += Self.position(j, of: ids.count, e, dim: d) * gradient[offset + e] }
        }
    }

    private func softmax(_ x: inout [Float]) {
        guard let top = x.max() else { return }
        var sum: Float = 0
        for i in x.indices {
            x[i] = Float(Math.exp(Double(x[i] - top)))
            sum += x[i]
        }
        for i in x.indices { x[i] /= sum }
    }
}
