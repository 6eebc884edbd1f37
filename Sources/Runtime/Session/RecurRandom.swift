/// A seeded random number generator for sampling: PCG-XSH-RR 64/32.
///
/// Integer arithmetic only, so a seed gives the same sequence on every machine
/// (x86-64, aarch64, armv7) and in Embedded Swift. Never seeded from the system.
public struct RecurRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// The stream selector (odd).
    private let increment: UInt64

    private static let multiplier: UInt64 = 6_364_136_223_846_793_005

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        increment = (seed << 1) | 1
        state = 0
        _ = next32()
        state &+= 0x853C_49E6_748F_EA9B ^ seed
        _ = next32()
    }

    /// The next 32 random bits.
    ///
    /// state' = state · 6364136223846793005 + increment;
    /// output = rotr32(((state ^ (state >> 18)) >> 27), state >> 59).
    public mutating func next32() -> UInt32 {
        let old = state
        state = old &* Self.multiplier &+ increment
        let xorShifted = UInt32(truncatingIfNeeded: ((old >> 18) ^ old) >> 27)
        let rotation = UInt32(truncatingIfNeeded: old >> 59)
        return (xorShifted >> rotation) | (xorShifted << ((~rotation &+ 1) & 31))
    }

    /// 64 random bits (two 32-bit outputs, high first).
    public mutating func next() -> UInt64 {
        let high = UInt64(next32())
        return (high << 32) | UInt64(next32())
    }

    /// A Float uniformly in [0, 1): the top 24 bits of one output times 2^-24.
    public mutating func nextUnitFloat() -> Float {
        Float(next32() >> 8) * (1.0 / 16_777_216.0)
    }
}
