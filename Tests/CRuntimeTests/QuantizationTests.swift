import CRuntime
import TestSupport
import Testing

/// Proves the per-vector quantization contract of recur_core.h: s = max|x| / 127,
/// q = clamp(round(x / s)) with ties away from zero, the largest element maps
/// to ±127, a zero vector gives s = 0 and all zeros, NaN is ignored and maps to 0.
@Suite("Quantization")
struct QuantizationTests {
    static func quantize(_ x: [Float]) -> (scale: Float, q: [Int8]) {
        var q = [Int8](repeating: 99, count: x.count)
        let s = rc_quantize_q8(x, x.count, &q)
        return (s, q)
    }

    @Test("A zero vector gives scale 0 and all-zero codes")
    func zeroVector() {
        let (s, q) = Self.quantize([0, -0, 0, 0, 0])
        #expect(s == 0)
        #expect(q == [0, 0, 0, 0, 0])
    }

    @Test("Ties round away from zero")
    func ties() {
        // max = 127 makes s = 1 exactly, so x / s = x and the halves are exact ties.
        let (s, q) = Self.quantize([127, 2.5, -2.5, 0.5, -0.5, 1.5, -1.5, 126.5, 0.49999997])
        #expect(s == 1)
        #expect(q == [127, 3, -3, 1, -1, 2, -2, 127, 0])
    }

    @Test("The largest magnitude maps to ±127 and the codes follow round(x / s)")
    func extremes() {
        var rng = SeededGenerator(seed: 3)
        for n in [1, 3, 8, 17, 64, 257] {
            var x = rng.uniforms(n, -5, 5)
            let (s, q) = Self.quantize(x)
            let m = x.map(abs).max()!
            #expect(s == m / 127)
            let i = x.firstIndex { abs($0) == m }!
            #expect(q[i] == (x[i] > 0 ? 127 : -127), "n = \(n)")
            for j in 0..<n {
                let want = Int8(max(-127, min(127, (x[j] / s).rounded(.toNearestOrAwayFromZero))))
                #expect(q[j] == want, "n = \(n), index \(j)")
            }
            x = x.map { -$0 }
            #expect(Self.quantize(x).q[i] == (x[i] > 0 ? 127 : -127))
        }
    }

    @Test("NaN is ignored for the scale and quantizes to 0")
    func nan() {
        let (s, q) = Self.quantize([.nan, 63.5, -127])
        #expect(s == 1)
        #expect(q == [0, 64, -127])
    }

    /// Path `path`'s quantizer must give the reference's scale bits and codes:
    /// random vectors at odd lengths (every tail), exact ties, a NaN, zeros.
    static func checkPath(_ path: rc_path) {
        let kernels = KernelPaths.table(path)
        var rng = SeededGenerator(seed: 0xC0DE)
        for n in KernelPaths.sizes + [2, 4, 5, 6, 24, 40, 100] {
            var cases = [rng.uniforms(n, -4, 4)]
            var ties = (0..<n).map { Float($0 % 254 - 126) + 0.5 }
            ties[n / 2] = 127
            cases.append(ties)
            var withNaN = rng.uniforms(n, -1, 1)
            withNaN[n / 3] = .nan
            cases.append(withNaN)
            cases.append([Float](repeating: 0, count: n))
            for (kind, x) in cases.enumerated() {
                let (s, q) = Self.quantize(x)
                var qp = [Int8](repeating: 99, count: n)
                let sp = rc_quantize_q8_with(kernels, x, n, &qp)
                #expect(s.bitPattern == sp.bitPattern && q == qp, "\(KernelPaths.name(path)) n = \(n) case \(kind)")
            }
        }
    }

    @Test("avx2 quantizer = scalar", .enabled(if: KernelPaths.available(RC_PATH_AVX2), "needs AVX2"))
    func avx2() { Self.checkPath(RC_PATH_AVX2) }

    @Test("avx512-vnni quantizer = scalar", .enabled(if: KernelPaths.available(RC_PATH_AVX512_VNNI), "needs AVX-512 VNNI"))
    func avx512Vnni() { Self.checkPath(RC_PATH_AVX512_VNNI) }

    @Test("neon quantizer = scalar", .enabled(if: KernelPaths.available(RC_PATH_NEON), "needs aarch64"))
    func neon() { Self.checkPath(RC_PATH_NEON) }

    @Test("neon-dotprod quantizer = scalar", .enabled(if: KernelPaths.available(RC_PATH_NEON_DOTPROD), "needs aarch64 with dotprod"))
    func neonDotprod() { Self.checkPath(RC_PATH_NEON_DOTPROD) }

    @Test("armv7-neon quantizer = scalar", .enabled(if: KernelPaths.available(RC_PATH_ARMV7_NEON), "needs 32-bit ARM with NEON"))
    func armv7Neon() { Self.checkPath(RC_PATH_ARMV7_NEON) }

    @Test("A single negative element maps to -127")
    func single() {
        let (s, q) = Self.quantize([-0.003])
        #expect(s == Float(0.003) / 127)
        #expect(q == [-127])
    }
}
