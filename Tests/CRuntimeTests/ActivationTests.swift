import CRuntime
import Foundation
import TestSupport
import Testing

/// Proves the accuracy of the library's own exp, sigmoid and tanh against
/// double-precision libm over a dense sweep, their documented special values,
/// and that every path's vector forms give the scalar functions' bits.
@Suite("Activations")
struct ActivationTests {
    /// A dense sweep of [-lo, hi] plus special values: ±0, subnormals, the
    /// branch points of rc_tanh and rc_exp, huge magnitudes and ±inf.
    static func sweep() -> [Float] {
        var xs: [Float] = [0, -0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                           .leastNormalMagnitude, 0.625, -0.625, Float(0.625).nextDown, Float(-0.625).nextUp,
                           88.72283, Float(88.72283).nextUp, -87.33654, Float(-87.33654).nextDown,
                           1e30, -1e30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                           .infinity, -.infinity]
        var x: Float = -30
        while x <= 30 {
            xs.append(x)
            x += 1.0 / 512
        }
        // Every binade: bit patterns stepped through the whole positive range, and negated.
        var bits: UInt32 = 0
        while bits < 0x7F80_0000 {
            xs.append(Float(bitPattern: bits))
            xs.append(-Float(bitPattern: bits))
            bits += 0x0001_2345
        }
        return xs
    }

    @Test("exp: relative error ≤ 4e-7 on [-87, 88], 0 below, +inf above")
    func expAccuracy() {
        for x in Self.sweep() where x.isFinite {
            let got = rc_exp(x)
            if x > 88.72283 {
                #expect(got == .infinity, "exp(\(x))")
            } else if x < -87.33654 {
                #expect(got == 0, "exp(\(x))")
            } else if x >= -87, x <= 88 {
                let want = Foundation.exp(Double(x))
                #expect(abs(Double(got) - want) <= 4e-7 * want, "exp(\(x)) = \(got), want \(want)")
            }
        }
        #expect(rc_exp(.infinity) == .infinity)
        #expect(rc_exp(-.infinity) == 0)
        #expect(rc_exp(.nan).isNaN)
    }

    @Test("sigmoid: absolute error ≤ 1e-6 everywhere; σ(±inf) = 1, 0; NaN → NaN")
    func sigmoidAccuracy() {
        for x in Self.sweep() {
            let got = Double(rc_sigmoid(x))
            let want = 1 / (1 + Foundation.exp(-Double(x)))
            #expect(abs(got - want) <= 1e-6, "sigmoid(\(x)) = \(got), want \(want)")
        }
        #expect(rc_sigmoid(.infinity) == 1)
        #expect(rc_sigmoid(-.infinity) == 0)
        #expect(rc_sigmoid(0) == 0.5)
        #expect(rc_sigmoid(.nan).isNaN)
    }

    @Test("tanh: absolute error ≤ 1e-6, odd, ±0 kept, tanh(±inf) = ±1, NaN → NaN")
    func tanhAccuracy() {
        for x in Self.sweep() {
            let got = rc_tanh(x)
            let want = Foundation.tanh(Double(x))
            #expect(abs(Double(got) - want) <= 1e-6, "tanh(\(x)) = \(got), want \(want)")
            #expect(rc_tanh(-x).bitPattern == (-got).bitPattern, "tanh is odd at \(x)")
        }
        #expect(rc_tanh(0).bitPattern == Float(0).bitPattern)
        #expect(rc_tanh(-0.0).bitPattern == Float(-0.0).bitPattern)
        #expect(rc_tanh(.infinity) == 1)
        #expect(rc_tanh(-.infinity) == -1)
        #expect(rc_tanh(.nan).isNaN)
    }

    @Test("softmax matches exp(x_i - m) / Σ in double precision within 1e-6 and sums to 1")
    func softmax() {
        var rng = SeededGenerator(seed: 7)
        for n in [1, 2, 17, 64] {
            let x = rng.uniforms(n, -10, 10)
            var y = x
            rc_softmax(&y, y.count)
            let m = Double(x.max()!)
            let e = x.map { Foundation.exp(Double($0) - m) }
            let total = e.reduce(0, +)
            for i in 0..<n {
                #expect(abs(Double(y[i]) - e[i] / total) <= 1e-6, "softmax n = \(n), index \(i)")
            }
            #expect(abs(y.reduce(0.0) { $0 + Double($1) } - 1) < 1e-5)
        }
        // Huge inputs do not overflow: the maximum is subtracted first.
        var big: [Float] = [1e30, 1e30, -1e30]
        rc_softmax(&big, 3)
        #expect(big == [0.5, 0.5, 0])
    }

    /// The vector kernels of `path` on the sweep, cut into runs of odd lengths so
    /// every tail length is hit, must equal rc_sigmoid / rc_tanh bit for bit.
    static func checkVectorForms(_ path: rc_path) {
        let kernels = KernelPaths.table(path)
        var rng = SeededGenerator(seed: 99)
        let xs = sweep() + rng.uniforms(5000, -12, 12) + [.nan, -.nan]
        for (name, scalar, vector) in [("sigmoid", rc_sigmoid, rc_sigmoid_vec), ("tanh", rc_tanh, rc_tanh_vec)]
            as [(String, (Float) -> Float, (OpaquePointer?, UnsafeMutablePointer<Float>?, Int) -> Void)] {
            let expected = xs.map(scalar)
            var actual = xs
            actual.withUnsafeMutableBufferPointer { buffer in
                var at = 0, length = 1
                while at < buffer.count {
                    let n = min(length, buffer.count - at)
                    vector(kernels, buffer.baseAddress! + at, n)
                    at += n
                    length = length % 37 + 2
                }
            }
            let diff = firstDifference(expected, actual)
            #expect(diff == nil, "\(name) on \(KernelPaths.name(path)) differs at x = \(diff.map { xs[$0] } ?? 0)")
        }
    }

    @Test("avx2 sigmoid/tanh = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_AVX2), "needs AVX2"))
    func avx2() { Self.checkVectorForms(RC_PATH_AVX2) }

    @Test("avx512-vnni sigmoid/tanh = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_AVX512_VNNI), "needs AVX-512 VNNI"))
    func avx512Vnni() { Self.checkVectorForms(RC_PATH_AVX512_VNNI) }

    @Test("neon sigmoid/tanh = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_NEON), "needs aarch64"))
    func neon() { Self.checkVectorForms(RC_PATH_NEON) }

    @Test("neon-dotprod sigmoid/tanh = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_NEON_DOTPROD), "needs aarch64 with dotprod"))
    func neonDotprod() { Self.checkVectorForms(RC_PATH_NEON_DOTPROD) }

    @Test("armv7-neon sigmoid/tanh = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_ARMV7_NEON), "needs 32-bit ARM with NEON"))
    func armv7Neon() { Self.checkVectorForms(RC_PATH_ARMV7_NEON) }
}
