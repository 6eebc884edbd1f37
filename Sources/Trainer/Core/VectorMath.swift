/// Elementwise kernels over raw f32 buffers: SIMD8 bodies, scalar tails.
///
/// exp follows the CRuntime recipe (Cody–Waite range reduction, Cephes degree-6 polynomial),
/// vectorised: relative error ~1e-7, no libm call. tanh uses an odd polynomial for |x| < 0.625
/// and `1 - 2/(exp(2|x|) + 1)` above. No `addProduct` (it calls `fmaf` without an FMA target).
enum VectorMath {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// exp(x) for x clamped to [-87, 88].
    @inline(__always)
    static func exp(_ x0: V) -> V {
        // Clamp with selects: `clamped` goes through the generic pointwiseMin/Max, which the
        // optimizer leaves as calls (a sixth of the classifier's training time in perf).
        var x = x0.replacing(with: V(repeating: -87), where: x0 .< -87)
        x.replace(with: V(repeating: 88), where: x .> 88)
        // n = round(x / ln2): adding and removing 1.5·2^23 rounds to nearest even,
        // and the bits of (t + 1.5·2^23) hold n in their low mantissa.
        let shifted = x * 1.442_695_04 + 12_582_912.0
        let n = shifted - 12_582_912.0
        // r = x − n ln2 with ln2 in two parts.
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_40e-4
        var p = V(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        p = p * (r * r) + r
        p = p + 1
        // 2^n from its exponent bits; n ∈ [-126, 127] after the clamp.
        let ni = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let pow2 = unsafeBitCast((ni &+ 127) &<< 23, to: V.self)
        return p * pow2
    }

    @inline(__always)
    static func sigmoid(_ x: V) -> V {
        // σ(x) = 1 / (1 + e^(−x))
        1 / (1 + exp(-x))
    }

    @inline(__always)
    static func tanh(_ x: V) -> V {
        let a = x.replacing(with: -x, where: x .< 0)
        let isSmall = a .< 0.625
        // Each branch is computed only when some lane needs it (the values are the same either way).
        if all(isSmall) { return tanhSmall(x) }
        // large |x|: tanh|x| = 1 − 2 / (e^(2|x|) + 1), sign restored
        let t = 1 - 2 / (exp(a + a) + 1)
        let negated = -t
        let large = t.replacing(with: negated, where: x .< 0)
        if !any(isSmall) { return large }
        return large.replacing(with: tanhSmall(x), where: isSmall)
    }

    /// tanh for |x| < 0.625: x + x·z·P(z), z = x² (Cephes tanhf coefficients).
    @inline(__always)
    static func tanhSmall(_ x: V) -> V {
        let z = x * x
        var p = V(repeating: -5.704_988_727_45e-3)
        p = p * z + 2.063_908_879_54e-2
        p = p * z - 5.373_971_555_31e-2
        p = p * z + 1.333_144_220_36e-1
        p = p * z - 3.333_328_194_22e-1
        return (p * z) * x + x
    }

    @inline(__always)
    static func scalar(_ f: (V) -> V, _ x: Float) -> Float {
        f(V(repeating: x))[0]
    }

    /// x[i] = σ(x[i]) for i < n.
    static func sigmoid(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n { store(sigmoid(load(x + i)), x + i); i += 8 }
        while i < n { x[i] = scalar(sigmoid, x[i]); i += 1 }
    }

    /// x[i] = tanh(x[i]) for i < n.
    static func tanh(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n { store(tanh(load(x + i)), x + i); i += 8 }
        while i < n { x[i] = scalar(tanh, x[i]); i += 1 }
    }

    /// x[i] = max(x[i], 0) for i < n.
    static func relu(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let zero = V(repeating: 0)
        while i + 8 <= n { let v = load(x + i); store(v.replacing(with: zero, where: v .< 0), x + i); i += 8 }
        while i < n { x[i] = max(x[i], 0); i += 1 }
    }

    /// y[i] += x[i] for i < n.
    static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n { store(load(y + i) + load(x + i), y + i); i += 8 }
        while i < n { y[i] += x[i]; i += 1 }
    }

    /// y[i] *= x[i] for i < n.
    static func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n { store(load(y + i) * load(x + i), y + i); i += 8 }
        while i < n { y[i] *= x[i]; i += 1 }
    }

    /// Adds `row` (n) to each of the `rows` rows of `m` (rows, n).
    static func addRow(_ row: UnsafePointer<Float>, to m: UnsafeMutablePointer<Float>, rows: Int, _ n: Int) {
        for r in 0..<rows { add(row, into: m + r * n, n) }
    }

    /// sum[j] += Σ_r m[r, j] over the `rows` rows of `m` (rows, n), rows added in order.
    static func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, _ n: Int, into sum: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { add(m + r * n, into: sum, n) }
    }

    /// Σ x[i]² in double-free SIMD form with four accumulators (fixed order: deterministic).
    static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        var i = 0
        while i + 32 <= n {
            let v0 = load(x + i), v1 = load(x + i + 8), v2 = load(x + i + 16), v3 = load(x + i + 24)
            a0 += v0 * v0; a1 += v1 * v1; a2 += v2 * v2; a3 += v3 * v3
            i += 32
        }
        while i + 8 <= n { let v = load(x + i); a0 += v * v; i += 8 }
        var s = ((a0 + a1) + (a2 + a3)).sum()
        while i < n { s += x[i] * x[i]; i += 1 }
        return s
    }

    /// x[i] *= s for i < n.
    static func scale(_ x: UnsafeMutablePointer<Float>, _ s: Float, _ n: Int) {
        var i = 0
        let sv = V(repeating: s)
        while i + 8 <= n { store(load(x + i) * sv, x + i); i += 8 }
        while i < n { x[i] *= s; i += 1 }
    }
}
