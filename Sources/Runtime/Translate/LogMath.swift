import CRuntime

/// Logarithms and powers from IEEE operations in a fixed order, so log-probabilities
/// and beam scores have the same bits on every architecture (no libm, which differs
/// between C libraries; the C core has exp but no log).
public enum LogMath {
    /// ln(x) for x > 0 (0 → -inf, NaN or negative → NaN): e · ln 2 + ln m.
    public static func ln(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        return Double(x.exponent) * ln2 + lnSignificand(x.significand)
    }

    /// log2(x) for finite x > 0: e + ln m / ln 2.
    public static func log2(_ x: Double) -> Double {
        Double(x.exponent) + lnSignificand(x.significand) / ln2
    }

    private static let ln2 = 0.693_147_180_559_945_309_4

    /// ln m for m in [1, 2), where x = m · 2^e.
    ///
    /// ln m = 2 atanh(s) = 2 (s + s³/3 + s⁵/5 + …) with s = (m − 1)/(m + 1) in [0, 1/3):
    /// 16 terms leave an error below 1e-15.
    private static func lnSignificand(_ m: Double) -> Double {
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var power = s
        var sum = 0.0
        var k = 1.0
        for _ in 0..<16 {
            sum += power / k
            power *= s2
            k += 2
        }
        return 2 * sum
    }

    /// The length penalty `length^alpha` of a beam score: `length` for alpha 1, 1 for
    /// alpha 0, else `rc_exp(alpha · ln length)`.
    public static func lengthPenalty(_ length: Int, alpha: Float) -> Float {
        if alpha == 1 { return Float(length) }
        if alpha == 0 || length <= 1 { return 1 }
        return rc_exp(alpha * Float(ln(Double(length))))
    }

    /// Turns logits into log-probabilities in place:
    /// log p_i = (z_i − m) − ln Σ_j exp(z_j − m), m = max z, the sum in index order with the
    /// C core's exp (the logarithm of `rc_softmax`'s p_i, without its underflow to 0).
    static func logSoftmax(_ z: UnsafeMutablePointer<Float>, count: Int) {
        var m = z[0]
        for i in 1..<count where z[i] > m { m = z[i] }
        var sum: Float = 0
        for i in 0..<count { sum += rc_exp(z[i] - m) }
        let logSum = Float(ln(Double(sum)))
        for i in 0..<count { z[i] = (z[i] - m) - logSum }
    }
}
