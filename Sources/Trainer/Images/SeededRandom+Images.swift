/// Integer draws for the image generators, defined here (not with `Int.random(in:using:)`,
/// whose algorithm the standard library may change) so a seed gives the same data set on every
/// Swift version.
extension SeededRandom {
    /// A uniform integer in 0..<n (n ≤ 2³²: the modulo bias is below 2⁻³²).
    mutating func below(_ n: Int) -> Int {
        precondition(n >= 1 && n <= 1 << 32, "below(\(n))")
        return Int(next() % UInt64(n))
    }

    /// A uniform integer in the closed range.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniformly chosen element of a non-empty array.
    mutating func element<T>(of items: [T]) -> T {
        items[below(items.count)]
    }
}
