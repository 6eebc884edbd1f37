/// The seeded generator of the benchmark fixtures (SplitMix64): the same
/// weights on every run, so medians compare across runs and machines.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float in [lower, upper) from the top 24 bits.
    mutating func uniform(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * Float(next() >> 40) * (1.0 / 16_777_216.0)
    }
}
