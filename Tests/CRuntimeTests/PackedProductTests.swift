import CRuntime
import TestSupport
import Testing

/// The interleaved int8 layout (`rc_pack_q8`, recur_core.h) and every path's product
/// from it (`rc_matvec_q8_packed`) against the scalar row-major product: exact int32
/// sums at every row count around the 16-row groups and the 2- and 4-group blocks,
/// every column count around the 4-column chunks, nvec 1 to 3, random and extreme
/// values, inputs with zero bytes.
@Suite("Packed int8 products match the scalar reference")
struct PackedProductTests {
    static let rowCounts = Array(1...40) + [47, 48, 49, 63, 64, 65, 100, 129, 257, 1027]
    static let colCounts = Array(1...36) + [63, 64, 65, 127, 128, 129, 256, 257]

    static func padded(_ n: Int, _ to: Int) -> Int { (n + to - 1) / to * to }

    /// The packed form of w (rows × cols), in 64-byte aligned memory the caller frees.
    static func pack(_ w: [Int8], _ rows: Int, _ cols: Int) -> (rc_matrix, UnsafeMutableRawPointer) {
        let bytes = rc_pack_q8_bytes(UInt32(rows), UInt32(cols))
        let layout = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        var m = rc_matrix(type: RC_W_Q8, rows: UInt32(rows), cols: UInt32(cols), f32: nil, q8: nil, scale: nil, packed: nil)
        w.withUnsafeBufferPointer { m.q8 = $0.baseAddress; _ = rc_pack_q8(&m, layout, bytes) }
        m.q8 = nil  // the packed product must not need the row-major form
        m.packed = UnsafeRawPointer(layout)
        return (m, layout)
    }

    /// Path `path`'s packed product, as nvec row blocks of `rows` sums (padding dropped).
    static func packedProduct(_ path: rc_path, _ w: [Int8], _ rows: Int, _ cols: Int, _ x: [Int8], _ nvec: Int) -> [Int32] {
        let (m0, layout) = pack(w, rows, cols)
        defer { layout.deallocate() }
        var m = m0
        let c4 = padded(cols, 4), r16 = padded(rows, 16)
        var xp = [Int8](repeating: 0, count: nvec * c4)
        for v in 0..<nvec { for c in 0..<cols { xp[v * c4 + c] = x[v * cols + c] } }
        var acc = [Int32](repeating: 0x5555, count: nvec * r16)
        rc_matvec_q8_packed(KernelPaths.table(path), &m, xp, nvec, &acc)
        return (0..<nvec).flatMap { v in acc[v * r16..<v * r16 + rows] }
    }

    static func check(_ path: rc_path) {
        var rng = SeededGenerator(seed: 0xB10C + UInt64(path.rawValue))
        var failures = 0
        var shapes = 0
        for rows in rowCounts {
            for cols in colCounts where rows * cols <= 300_000 {
                for nvec in 1...3 where nvec == 1 || rows % 7 == 1 {
                    let extreme = (rows + cols) % 5 == 0
                    let w = extreme ? (0..<rows * cols).map { $0 % 3 == 0 ? Int8(-127) : 127 } : rng.int8Weights(rows * cols)
                    var x = extreme ? (0..<nvec * cols).map { $0 % 2 == 0 ? Int8(127) : -127 } : rng.int8Weights(nvec * cols)
                    if !extreme { for i in stride(from: 0, to: x.count, by: 3) { x[i] = 0 } }
                    shapes += 1
                    let expected = ProductTests.matvecQ8(KernelPaths.scalar, w, rows, cols, x, nvec)
                    if packedProduct(path, w, rows, cols, x, nvec) != expected {
                        failures += 1
                        if failures <= 5 { Issue.record("packed \(rows)x\(cols) nvec \(nvec) differs on \(KernelPaths.name(path))") }
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(shapes) packed products differ on \(KernelPaths.name(path))")
    }

    /// Path `path`'s f32 product from the packed f32 layout, against the scalar
    /// row-major product bit for bit, at every row count around the 8-row groups and
    /// every column count around the 8-column blocks and their tails.
    static func checkF32(_ path: rc_path) {
        var rng = SeededGenerator(seed: 0xF32 + UInt64(path.rawValue))
        var failures = 0
        var shapes = 0
        for rows in Array(1...20) + [31, 32, 33, 64, 65, 257] {
            for cols in Array(1...20) + [31, 32, 33, 63, 64, 65, 257] where rows * cols <= 70_000 {
                for nvec in [1, 3] where nvec == 1 || rows % 4 == 1 {
                    let w = rng.uniforms(rows * cols)
                    let x = rng.uniforms(nvec * cols, -3, 3)
                    let expected = ProductTests.matvecF32(KernelPaths.scalar, w, rows, cols, x, nvec)
                    let bytes = rc_pack_f32_bytes(UInt32(rows), UInt32(cols))
                    let layout = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
                    defer { layout.deallocate() }
                    var y = [Float](repeating: .nan, count: rows * nvec)
                    w.withUnsafeBufferPointer { wp in
                        var m = rc_matrix(type: RC_W_F32, rows: UInt32(rows), cols: UInt32(cols), f32: wp.baseAddress,
                                          q8: nil, scale: nil, packed: nil)
                        precondition(rc_pack_f32(&m, layout, bytes) == RC_OK)
                        m.f32 = nil  // the packed product must not need the row-major form
                        m.packed = UnsafeRawPointer(layout)
                        rc_matvec_f32_packed(KernelPaths.table(path), &m, x, nvec, &y)
                    }
                    shapes += 1
                    if !sameBits(expected, y) {
                        failures += 1
                        if failures <= 5 { Issue.record("packed f32 \(rows)x\(cols) nvec \(nvec) differs on \(KernelPaths.name(path))") }
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(shapes) packed f32 products differ on \(KernelPaths.name(path))")
    }

    @Test("avx2 packed f32 products", .enabled(if: KernelPaths.available(RC_PATH_AVX2), "needs an x86-64 CPU with AVX2"))
    func avx2F32() { Self.checkF32(RC_PATH_AVX2) }

    @Test("avx512-vnni packed f32 products", .enabled(if: KernelPaths.available(RC_PATH_AVX512_VNNI), "needs an x86-64 CPU with AVX-512 VNNI"))
    func avx512VnniF32() { Self.checkF32(RC_PATH_AVX512_VNNI) }

    @Test("neon packed f32 products", .enabled(if: KernelPaths.available(RC_PATH_NEON), "needs aarch64"))
    func neonF32() { Self.checkF32(RC_PATH_NEON) }

    @Test("The layout: block (g, k) holds columns 4k..4k+3 of rows 16g..16g+15, zero padding, then 128 × row sums")
    func layout() {
        let rows = 19, cols = 6
        let w = (0..<rows * cols).map { Int8(truncatingIfNeeded: ($0 * 37) % 255 - 127) }
        #expect(rc_pack_q8_bytes(UInt32(rows), UInt32(cols)) == 32 * 8 + 32 * 4)
        let (_, layout) = Self.pack(w, rows, cols)
        defer { layout.deallocate() }
        let bytes = layout.assumingMemoryBound(to: Int8.self)
        let chunks = 2
        for r in 0..<32 {
            for c in 0..<8 {
                let at = ((r / 16) * chunks + c / 4) * 64 + (r % 16) * 4 + c % 4
                let expected: Int8 = r < rows && c < cols ? w[r * cols + c] : 0
                #expect(bytes[at] == expected, "row \(r) column \(c)")
            }
        }
        let sums = (layout + 32 * 8).assumingMemoryBound(to: Int32.self)
        for r in 0..<32 {
            let expected = r < rows ? 128 * (0..<cols).reduce(Int32(0)) { $0 + Int32(w[r * cols + $1]) } : 0
            #expect(sums[r] == expected, "sum of row \(r)")
        }
    }

    @Test("rc_pack_q8 refuses what it cannot pack")
    func refusals() {
        let w = [Int8](repeating: 1, count: 64)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 64)
        defer { buffer.deallocate() }
        w.withUnsafeBufferPointer { wp in
            var m = rc_matrix(type: RC_W_Q8, rows: 8, cols: 8, f32: nil, q8: wp.baseAddress, scale: nil, packed: nil)
            let need = rc_pack_q8_bytes(8, 8)
            #expect(rc_pack_q8(&m, buffer, need) == RC_OK)
            #expect(rc_pack_q8(&m, buffer, need - 1) == RC_ERR_ARGUMENT)          // too small
            #expect(rc_pack_q8(&m, buffer + 4, need) == RC_ERR_ARGUMENT)          // misaligned
            #expect(rc_pack_q8(&m, nil, need) == RC_ERR_ARGUMENT)
            m.type = RC_W_F32
            #expect(rc_pack_q8(&m, buffer, need) == RC_ERR_ARGUMENT)              // not int8
        }
        #expect(rc_pack_q8_bytes(0, 8) == 0)
        #expect(rc_pack_q8_bytes(8, 65537) == 0)                                  // sums could overflow
        #expect(rc_pack_q8_bytes(1, 65536) > 0)
    }

    @Test("scalar: the packed entry point falls back to the row-major product")
    func scalarFallback() {
        // With q8 present the scalar table reads it; the packed form is ignored.
        var rng = SeededGenerator(seed: 5)
        let rows = 33, cols = 17
        let w = rng.int8Weights(rows * cols)
        let x = rng.int8Weights(cols)
        let (m0, layout) = Self.pack(w, rows, cols)
        defer { layout.deallocate() }
        var m = m0
        var xp = x + [Int8](repeating: 0, count: 3)
        var acc = [Int32](repeating: 0, count: 48)
        w.withUnsafeBufferPointer { wp in
            m.q8 = wp.baseAddress
            rc_matvec_q8_packed(KernelPaths.scalar, &m, &xp, 1, &acc)
        }
        #expect(Array(acc[0..<rows]) == ProductTests.matvecQ8(KernelPaths.scalar, w, rows, cols, x, 1))
    }

    @Test("avx2 packed products", .enabled(if: KernelPaths.available(RC_PATH_AVX2), "needs an x86-64 CPU with AVX2"))
    func avx2() { Self.check(RC_PATH_AVX2) }

    @Test("avx512-vnni packed products", .enabled(if: KernelPaths.available(RC_PATH_AVX512_VNNI), "needs an x86-64 CPU with AVX-512 VNNI"))
    func avx512Vnni() { Self.check(RC_PATH_AVX512_VNNI) }

    @Test("neon packed products", .enabled(if: KernelPaths.available(RC_PATH_NEON), "needs aarch64"))
    func neon() { Self.check(RC_PATH_NEON) }

    @Test("neon-dotprod packed products", .enabled(if: KernelPaths.available(RC_PATH_NEON_DOTPROD), "needs aarch64 with dotprod"))
    func neonDotprod() { Self.check(RC_PATH_NEON_DOTPROD) }

    @Test("armv7-neon packed products", .enabled(if: KernelPaths.available(RC_PATH_ARMV7_NEON), "needs 32-bit ARM with NEON"))
    func armv7Neon() { Self.check(RC_PATH_ARMV7_NEON) }
}
