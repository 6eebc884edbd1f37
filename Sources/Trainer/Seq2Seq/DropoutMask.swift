/// Inverted dropout whose mask is drawn once for a whole (T, B, W) buffer and applied step by
/// step or all at once: y = x ⊙ m / (1 − p), m ~ Bernoulli(1 − p). Seq2seq's decoder with input
/// feeding produces a layer's output one step at a time, so the mask must outlive the step.
final class DropoutMask {
    let probability: Float
    /// (N) 0 or 1/(1 − p) per element of the last draw.
    private let mask = Tensor()
    /// False when the last `draw` was for inference (no dropout): `apply` and `backward` do nothing.
    private(set) var active = false

    init(probability: Float) {
        self.probability = probability
    }

    /// Draws a fresh mask for `count` elements from `random` (training), or switches dropout off.
    func draw(count: Int, training: Bool, random: inout SeededRandom) {
        active = training && probability > 0
        guard active else { return }
        mask.resize(count)
        let keep = 1 - probability, scale = 1 / keep
        for j in 0..<count { mask[j] = random.unit() < keep ? scale : 0 }
    }

    /// x[j] *= mask[offset + j] for j < n (forward in place, or the gradient in backward).
    func apply(_ x: UnsafeMutablePointer<Float>, offset: Int, count n: Int) {
        if active { VectorMath.multiply(mask.data + offset, into: x, n) }
    }
}
