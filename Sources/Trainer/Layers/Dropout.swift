/// Inverted dropout between layers: y = x ⊙ m / (1 − p), m ~ Bernoulli(1 − p), seeded.
final class Dropout {
    let probability: Float
    /// (N) the scaled mask of the last training forward: 0 or 1/(1 − p).
    private let mask = Tensor()
    /// (N) x ⊙ mask.
    let output = Tensor()

    init(probability: Float) {
        self.probability = probability
    }

    /// Draws a fresh mask from `random` and applies it to x (N).
    func forward(_ x: UnsafePointer<Float>, count n: Int, random: inout SeededRandom) {
        mask.resize(n)
        output.resize(n)
        let keep = 1 - probability, scale = 1 / keep
        for j in 0..<n { mask[j] = random.unit() < keep ? scale : 0 }
        output.data.update(from: x, count: n)
        VectorMath.multiply(mask.data, into: output.data, n)
    }

    /// dX = dY ⊙ mask, in place.
    func backward(_ dY: UnsafeMutablePointer<Float>, count n: Int) {
        VectorMath.multiply(mask.data, into: dY, n)
    }
}
