import Foundation

/// The seeded generator behind task data, shuffling and initialisation (SplitMix64).
///
/// Its whole state is one `UInt64`, which a checkpoint stores so that a resumed run draws the
/// same numbers as an uninterrupted one.
public struct TaskRandom: RandomNumberGenerator, Sendable, Codable, Equatable {
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

    /// A float uniformly in [lower, upper).
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float {
        Float.random(in: lower..<upper, using: &self)
    }

    /// A standard normal sample (Box–Muller): `sqrt(-2 ln u1) · cos(2π u2)`.
    public mutating func normal() -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
