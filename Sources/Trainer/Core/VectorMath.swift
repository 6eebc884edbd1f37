import CTrainer

/// Elementwise kernels over raw f32 buffers: SIMD8 bodies, scalar tails. exp and tanh are
/// CTrainer's (`cells.c`, shared with the cells' row kernels). No `addProduct` (it calls `fmaf`
/// without an FMA target).
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

    /// x[i] = tanh(x[i]) for i < n (CTrainer's tanh, eight lanes wide on AVX2).
    static func tanh(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        rt_tanh_in_place(PackedMatrix.bestPath, x, n)
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
