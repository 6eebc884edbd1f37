import CRuntime
import TestSupport
import Testing

/// Proves that each vector path's int8 and f32 products equal the scalar
/// reference exactly (int32 and float bits) at odd shapes, so every SIMD tail
/// is exercised, for one and several input vectors; the int8 product also at
/// every column count 1...130 and at large shapes (`checkInt8Tails`).
@Suite("Products match the scalar reference")
struct ProductTests {
    /// Every rows × cols pair of the odd sizes, nvec 1 and 3, int8 and f32.
    static func checkProducts(_ path: rc_path) {
        let kernels = KernelPaths.table(path)
        let scalar = KernelPaths.scalar
        var rng = SeededGenerator(seed: 0x51DE + UInt64(path.rawValue))
        for rows in KernelPaths.sizes where rows <= 65 {
            for cols in KernelPaths.sizes {
                for nvec in [1, 3] {
                    // (rows, cols) row-major, (nvec, cols) inputs
                    let w = rng.int8Weights(rows * cols)
                    let x = rng.int8Weights(nvec * cols)
                    // Compared as one Bool so that a failure prints the shape, not two arrays.
                    let equal = matvecQ8(scalar, w, rows, cols, x, nvec) == matvecQ8(kernels, w, rows, cols, x, nvec)
                    #expect(equal, "matvec_q8 \(rows)x\(cols) nvec \(nvec)")
                    // Extremes: every product is ±127·127, the largest the int16 pairs see.
                    let we = (0..<rows * cols).map { $0 % 3 == 0 ? Int8(-127) : 127 }
                    let xe = (0..<nvec * cols).map { $0 % 2 == 0 ? Int8(127) : -127 }
                    let equalExtremes = matvecQ8(scalar, we, rows, cols, xe, nvec) == matvecQ8(kernels, we, rows, cols, xe, nvec)
                    #expect(equalExtremes, "matvec_q8 extremes \(rows)x\(cols) nvec \(nvec)")
                    let wf = rng.uniforms(rows * cols)
                    let xf = rng.uniforms(nvec * cols, -3, 3)
                    let expected = matvecF32(scalar, wf, rows, cols, xf, nvec)
                    let actual = matvecF32(kernels, wf, rows, cols, xf, nvec)
                    let same = sameBits(expected, actual)
                    #expect(same, "matvec_f32 \(rows)x\(cols) nvec \(nvec)")
                }
            }
        }
        checkInt8Tails(path)
    }

    /// The int8 product at every column count 1...130 for rows 1...17 (fewer
    /// than, exactly and more than one group of eight rows, so a last group
    /// overlaps the one before), every tail of 16-, 32- and 64-byte blocks, nvec
    /// 1 and 2; then at large shapes where rows are long and the matrix exceeds
    /// 32 KiB (the AVX-512 path prefetches the next rows there), with row counts
    /// that are not multiples of eight.
    static func checkInt8Tails(_ path: rc_path) {
        let kernels = KernelPaths.table(path)
        let scalar = KernelPaths.scalar
        var rng = SeededGenerator(seed: 0x7A11 + UInt64(path.rawValue))
        var shapes: [(Int, Int)] = []
        for rows in 1...17 {
            for cols in 1...130 { shapes.append((rows, cols)) }
        }
        shapes += [(300, 130), (261, 257), (1027, 256), (1031, 64)]
        var failures = 0
        for (rows, cols) in shapes {
            for nvec in [1, 2] {
                // (rows, cols) row-major, (nvec, cols) inputs; every third input byte zero
                let w = rng.int8Weights(rows * cols)
                var x = rng.int8Weights(nvec * cols)
                for i in stride(from: 0, to: x.count, by: 3) { x[i] = 0 }
                let equal = matvecQ8(scalar, w, rows, cols, x, nvec) == matvecQ8(kernels, w, rows, cols, x, nvec)
                if !equal {
                    failures += 1
                    // Reported for the first few shapes only, so one broken accumulator does not print thousands.
                    if failures <= 5 { Issue.record("matvec_q8 \(rows)x\(cols) nvec \(nvec) differs on \(KernelPaths.name(path))") }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(shapes.count * 2) int8 products differ on \(KernelPaths.name(path))")
    }

    static func matvecQ8(_ k: OpaquePointer, _ w: [Int8], _ rows: Int, _ cols: Int,
                         _ x: [Int8], _ nvec: Int) -> [Int32] {
        var acc = [Int32](repeating: 0, count: rows * nvec)
        rc_matvec_q8(k, w, rows, cols, x, nvec, &acc)
        return acc
    }

    static func matvecF32(_ k: OpaquePointer, _ w: [Float], _ rows: Int, _ cols: Int,
                          _ x: [Float], _ nvec: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * nvec)
        rc_matvec_f32(k, w, rows, cols, x, nvec, &y)
        return y
    }

    // One test per path, so a path this machine lacks shows up as skipped by name.

    @Test("avx2 products", .enabled(if: KernelPaths.available(RC_PATH_AVX2), "needs an x86-64 CPU with AVX2"))
    func avx2() { Self.checkProducts(RC_PATH_AVX2) }

    @Test("avx512-vnni products", .enabled(if: KernelPaths.available(RC_PATH_AVX512_VNNI), "needs an x86-64 CPU with AVX-512 VNNI"))
    func avx512Vnni() { Self.checkProducts(RC_PATH_AVX512_VNNI) }

    @Test("neon products", .enabled(if: KernelPaths.available(RC_PATH_NEON), "needs aarch64"))
    func neon() { Self.checkProducts(RC_PATH_NEON) }

    @Test("neon-dotprod products", .enabled(if: KernelPaths.available(RC_PATH_NEON_DOTPROD), "needs aarch64 with dotprod"))
    func neonDotprod() { Self.checkProducts(RC_PATH_NEON_DOTPROD) }

    @Test("armv7-neon products", .enabled(if: KernelPaths.available(RC_PATH_ARMV7_NEON), "needs 32-bit ARM with NEON"))
    func armv7Neon() { Self.checkProducts(RC_PATH_ARMV7_NEON) }

    @Test("Unavailable paths have no table and cannot be forced")
    func unavailablePaths() {
        for path in KernelPaths.vector where !KernelPaths.available(path) {
            #expect(rc_kernels_for(path) == nil, "\(KernelPaths.name(path))")
            #expect(rc_force_path(path) == RC_ERR_UNAVAILABLE, "\(KernelPaths.name(path))")
        }
        #expect(rc_kernels_for(rc_path(rawValue: 99)) == nil)
        #expect(KernelPaths.name(rc_path(rawValue: 99)) == "unknown")
        #expect(rc_path_available(RC_PATH_SCALAR) == 1)
    }

    @Test("The best path is the most preferred available one")
    func bestPath() {
        let preference = [RC_PATH_NEON_DOTPROD, RC_PATH_NEON, RC_PATH_ARMV7_NEON, RC_PATH_AVX512_VNNI, RC_PATH_AVX2]
        let expected = preference.first(where: KernelPaths.available) ?? RC_PATH_SCALAR
        #expect(rc_kernels_path(rc_kernels_best()) == expected)
    }
}
