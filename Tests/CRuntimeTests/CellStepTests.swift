import CRuntime
import Foundation
import TestSupport
import Testing

/// Proves that whole LSTM/GRU/RNN/dense steps give identical bits on every
/// path (int8 and f32 weights; one and several vectors; shared and separate
/// inputs), that a multi-vector step equals nvec single steps, and that the
/// f32 cells compute the header's equations (checked against a plain
/// double-precision Swift version of them).
@Suite("Cell steps")
struct CellStepTests {
    static let shapes: [(rc_cell, Int, Int)] = [
        (RC_CELL_LSTM, 9, 64), (RC_CELL_LSTM, 17, 33), (RC_CELL_GRU, 9, 64), (RC_CELL_GRU, 31, 15),
        (RC_CELL_RNN_TANH, 7, 17), (RC_CELL_RNN_RELU, 33, 8), (RC_CELL_LSTM, 3, 1),
    ]

    /// (nvec, x_stride) cases; a stride wider than the input leaves gaps on purpose.
    static func cases(input: Int) -> [(Int, Int)] {
        [(1, 0), (1, input), (3, 0), (3, input + 2)]
    }

    /// Four timesteps from a seeded state; the states after each step, concatenated.
    static func run(_ layer: TestLayer, _ kernels: OpaquePointer, nvec: Int, xStride: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var state = rng.uniforms(nvec * layer.stateFloats, -0.5, 0.5)
        var trace: [Float] = []
        for t in 0..<4 {
            let count = xStride == 0 ? layer.input : (nvec - 1) * xStride + layer.input
            var x = rng.uniforms(count, -2, 2)
            if t == 2 { for i in 0..<layer.input { x[i] = 0 } } // a zero input vector
            let status = layer.step(kernels, x: x, xStride: xStride, nvec: nvec, state: &state)
            #expect(status == RC_OK)
            trace += state
        }
        return trace
    }

    static func checkSteps(_ path: rc_path) {
        let kernels = KernelPaths.table(path)
        for (i, (cell, input, hidden)) in shapes.enumerated() {
            for quantized in [true, false] {
                let layer = TestLayer(cell: cell, input: input, hidden: hidden, quantized: quantized, seed: UInt64(i))
                for (nvec, stride) in cases(input: input) {
                    let expected = run(layer, KernelPaths.scalar, nvec: nvec, xStride: stride, seed: 5)
                    let actual = run(layer, kernels, nvec: nvec, xStride: stride, seed: 5)
                    let same = sameBits(expected, actual)
                    #expect(same, "\(quantized ? "int8" : "f32") cell \(cell.rawValue) \(input)→\(hidden) nvec \(nvec) stride \(stride) on \(KernelPaths.name(path))")
                }
            }
        }
        for activation in [RC_ACT_NONE, RC_ACT_RELU, RC_ACT_TANH, RC_ACT_SOFTMAX] {
            for quantized in [true, false] {
                let dense = TestLayer(denseInput: 33, output: 17, activation: activation, quantized: quantized, seed: 11)
                var rng = SeededGenerator(seed: 12)
                let x = rng.uniforms(3 * 33, -2, 2)
                for (nvec, stride) in [(1, 0), (3, 0), (3, 33)] {
                    let same = sameBits(dense.apply(KernelPaths.scalar, x: x, xStride: stride, nvec: nvec),
                                        dense.apply(kernels, x: x, xStride: stride, nvec: nvec))
                    #expect(same, "\(quantized ? "int8" : "f32") dense act \(activation.rawValue) nvec \(nvec) on \(KernelPaths.name(path))")
                }
            }
        }
    }

    @Test("avx2 steps = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_AVX2), "needs AVX2"))
    func avx2() { Self.checkSteps(RC_PATH_AVX2) }

    @Test("avx512-vnni steps = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_AVX512_VNNI), "needs AVX-512 VNNI"))
    func avx512Vnni() { Self.checkSteps(RC_PATH_AVX512_VNNI) }

    @Test("neon steps = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_NEON), "needs aarch64"))
    func neon() { Self.checkSteps(RC_PATH_NEON) }

    @Test("neon-dotprod steps = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_NEON_DOTPROD), "needs aarch64 with dotprod"))
    func neonDotprod() { Self.checkSteps(RC_PATH_NEON_DOTPROD) }

    @Test("armv7-neon steps = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_ARMV7_NEON), "needs 32-bit ARM with NEON"))
    func armv7Neon() { Self.checkSteps(RC_PATH_ARMV7_NEON) }

    @Test("A multi-vector step equals nvec single steps (scalar and best path)")
    func multiVector() {
        for kernels in [KernelPaths.scalar, rc_kernels_best()!] {
            for (i, (cell, input, hidden)) in Self.shapes.enumerated() {
                for quantized in [true, false] {
                    let layer = TestLayer(cell: cell, input: input, hidden: hidden, quantized: quantized, seed: 40 + UInt64(i))
                    var rng = SeededGenerator(seed: 41)
                    let nvec = 3, sf = layer.stateFloats
                    let start = rng.uniforms(nvec * sf, -0.5, 0.5)
                    let x = rng.uniforms(nvec * input)
                    for stride in [0, input] {
                        var together = start
                        #expect(layer.step(kernels, x: x, xStride: stride, nvec: nvec, state: &together) == RC_OK)
                        var apart: [Float] = []
                        for v in 0..<nvec {
                            var one = Array(start[v * sf..<(v + 1) * sf])
                            let xv = Array(x[(v * stride)..<(v * stride + input)])
                            #expect(layer.step(kernels, x: xv, xStride: 0, nvec: 1, state: &one) == RC_OK)
                            apart += one
                        }
                        let same = sameBits(together, apart)
                        #expect(same, "cell \(cell.rawValue) quantized \(quantized) stride \(stride)")
                    }
                }
            }
        }
    }

    /// The header's equations in double precision: the f32 step must stay within
    /// 2e-5 of them per step (approximated σ/tanh ≤ 1e-6 plus float rounding of
    /// sums over ≤ 64 terms of magnitude ≤ 1).
    static let f32Tolerance = 2e-5

    @Test("f32 cells follow the equations (double-precision reference, tolerance 2e-5 per step)")
    func f32Equations() {
        for (i, (cell, input, hidden)) in Self.shapes.enumerated() {
            let layer = TestLayer(cell: cell, input: input, hidden: hidden, quantized: false, seed: 70 + UInt64(i))
            var rng = SeededGenerator(seed: 71)
            var state = rng.uniforms(layer.stateFloats, -0.5, 0.5)
            for _ in 0..<3 {
                let x = rng.uniforms(input, -2, 2)
                let want = ReferenceCell.step(layer, x: x.map(Double.init), state: state.map(Double.init))
                for kernels in [KernelPaths.scalar, rc_kernels_best()!] {
                    var got = state
                    #expect(layer.step(kernels, x: x, xStride: 0, nvec: 1, state: &got) == RC_OK)
                    let err = zip(got, want).map { abs(Double($0) - $1) }.max() ?? 0
                    #expect(err <= Self.f32Tolerance, "cell \(cell.rawValue) \(input)→\(hidden): max error \(err)")
                }
                var next = state
                _ = layer.step(KernelPaths.scalar, x: x, xStride: 0, nvec: 1, state: &next)
                state = next
            }
        }
    }

    @Test("Invalid layers and arguments return RC_ERR_ARGUMENT")
    func invalidArguments() {
        let layer = TestLayer(cell: RC_CELL_GRU, input: 5, hidden: 4, quantized: true, seed: 1)
        #expect(layer.validate() == RC_OK)
        var state = [Float](repeating: 0, count: 4)
        #expect(layer.step(KernelPaths.scalar, x: [1, 2, 3, 4, 5], xStride: 0, nvec: 0, state: &state) == RC_ERR_ARGUMENT)
        var broken = rc_recurrent()
        #expect(rc_recurrent_validate(&broken) == RC_ERR_ARGUMENT)
        #expect(rc_recurrent_validate(nil) == RC_ERR_ARGUMENT)
    }
}
