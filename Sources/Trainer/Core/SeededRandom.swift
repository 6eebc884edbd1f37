/// The trainer's random number generator: SplitMix64, seeded, with a state that can be saved.
///
/// Initialisation, shuffling and dropout each draw from one of these, so the same seed gives
/// the same model bit for bit, and a checkpoint that stores `state` resumes the same stream.
public struct SeededRandom: RandomNumberGenerator, Codable, Sendable, Equatable {
    /// The whole generator state.
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float uniformly in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func unit() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A float uniformly in [lower, upper).
    @inline(__always)
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * unit()
    }

    /// A standard normal sample (Box–Muller, one of the pair).
    public mutating func normal() -> Float {
        // u1 in (0, 1] so the logarithm is finite.
        let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        // z = sqrt(-2 ln u1) · cos(2π u2)
        return Float((-2 * Math.log(u1)).squareRoot() * Math.cos(2 * Double.pi * u2))
    }

    /// A derived generator for an independent stream (e.g. one per purpose).
    public mutating func split() -> SeededRandom {
        SeededRandom(seed: next())
    }
}
