/// A small, fast, seeded random number generator (SplitMix64) for tests.
///
/// Every random number in tests comes from one of these, so a failure
/// reproduces from its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

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
    public mutating func uniform(_ lower: Float = -1, _ upper: Float = 1) -> Float {
        Float.random(in: lower..<upper, using: &self)
    }

    /// `count` floats uniformly in [lower, upper).
    public mutating func uniforms(_ count: Int, _ lower: Float = -1, _ upper: Float = 1) -> [Float] {
        (0..<count).map { _ in uniform(lower, upper) }
    }

    /// `count` int8 weights in [-127, 127].
    public mutating func int8Weights(_ count: Int) -> [Int8] {
        (0..<count).map { _ in Int8.random(in: -127...127, using: &self) }
    }
}
