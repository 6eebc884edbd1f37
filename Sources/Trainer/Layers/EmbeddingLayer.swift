/// A lookup table: token id k → row k of the weight (V, D).
final class EmbeddingLayer {
    let vocabulary: Int
    let dimension: Int
    /// (V, D)
    let weight: Parameter
    /// (N, D) rows looked up by the last forward.
    let output = Tensor()
    private var tokens: [Int32] = []

    init(index: Int, vocabulary: Int, dimension: Int, random: inout SeededRandom, prefix: String? = nil) {
        self.vocabulary = vocabulary
        self.dimension = dimension
        // PyTorch nn.Embedding: N(0, 1).
        weight = Parameter(name: "\(prefix ?? "enc.\(index).")weight", rows: vocabulary, cols: dimension,
                           value: (0..<(vocabulary * dimension)).map { _ in random.normal() })
    }

    var parameters: [Parameter] { [weight] }

    /// out[n] = W[token[n]] for the N tokens (ids already checked against the vocabulary).
    func forward(_ ids: [Int32]) {
        tokens = ids
        let d = dimension
        output.resize(ids.count * d)
        let w = weight.storage.data
        for (n, id) in ids.enumerated() {
            (output.data + n * d).update(from: w + Int(id) * d, count: d)
        }
    }

    /// dW[token[n]] += dOut[n], rows in order (a repeated token accumulates deterministically).
    func backward(_ dOut: UnsafePointer<Float>) {
        let d = dimension
        let g = weight.gradient.data
        for (n, id) in tokens.enumerated() {
            VectorMath.add(dOut + n * d, into: g + Int(id) * d, d)
        }
    }
}
