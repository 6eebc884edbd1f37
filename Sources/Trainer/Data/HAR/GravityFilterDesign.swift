import Foundation

/// Designs the f32 low-pass coefficients stored in `recur.preprocess.coefficients`.
public enum GravityFilterDesign {
    /// A 2nd-order Butterworth low-pass by the bilinear transform with pre-warping.
    ///
    ///     K  = tan(π·fc/fs)
    ///     n  = 1 / (1 + √2·K + K²)
    ///     a1 = 2·(K² − 1)·n,   a2 = (1 − √2·K + K²)·n
    ///     b0 = b2 = K²·n,      b1 = 2·b0
    ///
    /// Rounding to f32 is done so the DC gain stays 1 to f32 precision: a1 and a2
    /// are rounded first, then `b = k·[1, 2, 1]` with `k = (1 + a1 + a2) / 4`
    /// computed from the rounded a's (so `Σb = 1 + a1 + a2`). With fc/fs = 0.006
    /// the denominator sum is ~1.4e-3, and rounding the b's independently would
    /// move the gain by ~1e-4; this way gravity passes unchanged.
    ///
    /// - Returns: `[b0, b1, b2, a1, a2]` as f32.
    public static func butterworthLowPass(cutoffHz: Double, sampleRateHz: Double) -> [Float] {
        precondition(cutoffHz > 0 && cutoffHz < sampleRateHz / 2, "cut-off must be inside (0, fs/2)")
        let k = tan(Double.pi * cutoffHz / sampleRateHz)
        let root2 = 2.0.squareRoot()
        let norm = 1 / (1 + root2 * k + k * k)
        let a1 = Float(2 * (k * k - 1) * norm)
        let a2 = Float((1 - root2 * k + k * k) * norm)
        let quarter = (1 + Double(a1) + Double(a2)) / 4
        let b0 = Float(quarter)
        return [b0, 2 * b0, b0, a1, a2]
    }
}
