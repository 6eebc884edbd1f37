import CRuntime
import TestSupport
import Testing

/// Proves rc_conv2d_apply: the layout, stride and padding by hand-computed cases;
/// int8 outputs equal to a double-precision direct convolution of the quantized
/// image (up to the float rescale) and within the quantization bound of the
/// float image; f32 outputs within 1e-5 of the direct convolution; every vector
/// path bit for bit equal to scalar at odd shapes, from the packed and the
/// row-major weights; hostile shapes refused with RC_ERR_ARGUMENT.
@Suite("Convolution")
struct ConvolutionTests {
    /// Odd shapes: a 1×1 image, a kernel as large as the image, one larger than the
    /// image but inside the padding, padding wider than the kernel, 1×1 kernels,
    /// P = 260 (a column tail), F around the 16-row groups, strides that skip pixels.
    static let shapes: [ConvShape] = [
        ConvShape(1, 1, 1, 1, 1, 1, 1, 1, 0, 0), ConvShape(5, 7, 3, 5, 3, 3, 1, 1, 1, 1),
        ConvShape(9, 11, 2, 17, 3, 5, 2, 3, 1, 2), ConvShape(13, 6, 5, 33, 5, 2, 3, 1, 2, 0),
        ConvShape(7, 7, 1, 1, 7, 7, 1, 1, 0, 0), ConvShape(4, 4, 1, 3, 6, 6, 1, 1, 1, 1),
        ConvShape(3, 17, 31, 7, 1, 1, 1, 2, 0, 0), ConvShape(6, 5, 65, 4, 2, 2, 2, 2, 0, 0),
        ConvShape(3, 3, 2, 2, 2, 2, 1, 1, 3, 3), ConvShape(32, 32, 3, 16, 3, 3, 1, 1, 1, 1),
        ConvShape(15, 9, 4, 16, 4, 3, 3, 2, 2, 1), ConvShape(1, 31, 9, 15, 1, 3, 1, 1, 0, 1),
        ConvShape(17, 3, 7, 31, 3, 1, 2, 1, 1, 0),
    ] + randomShapes

    /// 40 seeded shapes: H, W 1…13, C 1…9, F 1…35, kernels 1…5, strides 1…3, padding 0…2.
    static var randomShapes: [ConvShape] {
        var rng = SeededGenerator(seed: 0xC0_4E)
        var shapes: [ConvShape] = []
        while shapes.count < 40 {
            let s = ConvShape(Int.random(in: 1...13, using: &rng), Int.random(in: 1...13, using: &rng),
                              Int.random(in: 1...9, using: &rng), Int.random(in: 1...35, using: &rng),
                              Int.random(in: 1...5, using: &rng), Int.random(in: 1...5, using: &rng),
                              Int.random(in: 1...3, using: &rng), Int.random(in: 1...3, using: &rng),
                              Int.random(in: 0...2, using: &rng), Int.random(in: 0...2, using: &rng))
            if s.kh <= s.h + 2 * s.ph && s.kw <= s.w + 2 * s.pw { shapes.append(s) }
        }
        return shapes
    }

    /// Seeded images: uniform in ±2, all zeros, and one with a NaN (ignored by the quantizer).
    static func images(_ shape: ConvShape, seed: UInt64) -> [[Float]] {
        var rng = SeededGenerator(seed: seed)
        var nan = rng.uniforms(shape.inputCount, -2, 2)
        nan[shape.inputCount / 2] = .nan
        return [rng.uniforms(shape.inputCount, -2, 2), [Float](repeating: 0, count: shape.inputCount), nan]
    }

    // MARK: semantics

    @Test("3×3 image, 2×2 ones: stride 1 without padding, stride 2 with padding 1")
    func handComputed() throws {
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let plain = TestConv(ConvShape(3, 3, 1, 1, 2, 2, 1, 1, 0, 0), weights: [1, 1, 1, 1], bias: [0])
        #expect(try #require(plain.apply(KernelPaths.scalar, x)) == [12, 16, 24, 28])
        // Windows at rows/columns -1 and 1: {1}, {2, 3}, {4, 7}, {5, 6, 8, 9}.
        let padded = TestConv(ConvShape(3, 3, 1, 1, 2, 2, 2, 2, 1, 1), weights: [1, 1, 1, 1], bias: [0.5])
        #expect(try #require(padded.apply(KernelPaths.scalar, x)) == [1.5, 5.5, 11.5, 28.5])
    }

    @Test("NHWC in and out; weights in (ky, kx, c) order per filter")
    func layout() throws {
        // 1 × 2 image, 2 channels: pixel 0 = (1, 10), pixel 1 = (2, 20).
        let x: [Float] = [1, 10, 2, 20]
        // Filter 0 reads channel 1 of the right pixel; filter 1 channel 0 of the left one.
        let conv = TestConv(ConvShape(1, 2, 2, 2, 1, 2, 1, 1, 0, 0), weights: [0, 0, 0, 1, 1, 0, 0, 0], bias: [0, 0])
        #expect(try #require(conv.apply(KernelPaths.scalar, x)) == [20, 1])
        // A 1×1 kernel with padding 1 on a 1×1 image: a 3×3 output, NHWC, two filters.
        let ring = TestConv(ConvShape(1, 1, 1, 2, 1, 1, 1, 1, 1, 1), weights: [2, -1], bias: [0.25, 0])
        let y = try #require(ring.apply(KernelPaths.scalar, [3]))
        #expect(y.count == 18)
        #expect(Array(y[8..<10]) == [6.25, -3])                                 // the centre pixel, both filters
        #expect((0..<9).filter { $0 != 4 }.allSatisfy { y[2 * $0] == 0.25 && y[2 * $0 + 1] == 0 })
    }

    @Test("scratch sizes: int8 = image codes + one row of patches + its sums; f32 = one row of patches")
    func scratchSizes() {
        // 5×7×3 → 5 filters of 3×3, padding 1: OW = 7, P = 27 (28 padded), F padded to 16.
        let q = TestConv(ConvShape(5, 7, 3, 5, 3, 3, 1, 1, 1, 1), quantized: true, seed: 1)
        #expect(rc_conv2d_scratch_bytes(&q.layer) == 128 + 256 + 448)  // align64(105) + align64(7·28) + align64(7·16·4)
        let f = TestConv(ConvShape(5, 7, 3, 5, 3, 3, 1, 1, 1, 1), quantized: false, seed: 1)
        #expect(rc_conv2d_scratch_bytes(&f.layer) == 768)              // align64(7·27·4)
        var oh: UInt32 = 0, ow: UInt32 = 0
        #expect(rc_conv2d_out_shape(&q.layer, &oh, &ow) == RC_OK && oh == 5 && ow == 7)
    }

    @Test("int8: the f64 convolution of the quantized image, and the float image within the quantization bound")
    func int8AgainstDouble() throws {
        var worstRescale = 0.0, worstBound = 0.0
        for (i, shape) in Self.shapes.enumerated() {
            let conv = TestConv(shape, quantized: true, seed: 100 + UInt64(i))
            for (j, x) in Self.images(shape, seed: 200 + UInt64(i)).enumerated() {
                let y = try #require(conv.apply(KernelPaths.scalar, x), "\(shape)")
                let (s, codes) = quantizeReference(x)
                // Exactly what the int8 product sees: codes · s.
                let (exact, size) = conv.reference(codes.map { Double($0) * Double(s) })
                // The float image (NaN read as 0, as the quantizer codes it).
                let (real, _) = conv.reference(x.map { $0.isNaN ? 0 : Double($0) })
                for (k, v) in y.enumerated() {
                    let f = k % shape.f
                    // The rescale's float roundings: (float)acc, scale · s, the product, + bias.
                    let rescale = abs(Double(v) - exact[k]) / (size[k] + 1e-30)
                    // Each input is off by at most s/2, so each output by at most (s/2) Σ|w|.
                    let bound = 0.5 * Double(s) * conv.weightMass(f) + 4e-7 * size[k] + 1e-30
                    worstRescale = max(worstRescale, rescale)
                    worstBound = max(worstBound, abs(Double(v) - real[k]) / bound)
                    #expect(rescale <= 5e-7, "\(shape) image \(j) output \(k): \(v) vs \(exact[k])")
                    #expect(abs(Double(v) - real[k]) <= bound, "\(shape) image \(j) output \(k): \(v) vs \(real[k])")
                }
            }
        }
        // The bound is reached only in the worst case; a mean error near it would mean a bias.
        #expect(worstBound > 0.01 && worstBound <= 1, "worst error / bound \(worstBound)")
        #expect(worstRescale < 5e-7)
    }

    @Test("f32: the f64 convolution within 1e-5 of Σ|w·x|")
    func f32AgainstDouble() throws {
        for (i, shape) in Self.shapes.enumerated() {
            let conv = TestConv(shape, quantized: false, seed: 300 + UInt64(i))
            let x = Self.images(shape, seed: 400 + UInt64(i))[0]
            let y = try #require(conv.apply(KernelPaths.scalar, x), "\(shape)")
            let (exact, size) = conv.reference(x.map(Double.init))
            let worst = zip(y, zip(exact, size)).map { abs(Double($0) - $1.0) / ($1.1 + 1e-30) }.max() ?? 0
            #expect(worst <= 1e-5, "\(shape): relative error \(worst)")
        }
    }

    @Test("an all-zero image gives the bias everywhere (scale 0, every code 0)")
    func zeroImage() throws {
        let shape = ConvShape(5, 4, 3, 6, 3, 2, 1, 2, 1, 0)
        let conv = TestConv(shape, quantized: true, seed: 9)
        let y = try #require(conv.apply(KernelPaths.scalar, [Float](repeating: 0, count: shape.inputCount)))
        #expect(y == (0..<shape.outH * shape.outW).flatMap { _ in conv.bias })
    }

    // MARK: paths

    /// Path `path` against scalar, bit for bit: every shape, int8 and f32, three
    /// images, from the packed weights and from the row-major ones.
    static func checkPath(_ path: rc_path) {
        var failures = 0, cases = 0
        for (i, shape) in shapes.enumerated() {
            for quantized in [true, false] {
                let conv = TestConv(shape, quantized: quantized, seed: 500 + UInt64(i))
                for x in images(shape, seed: 600 + UInt64(i)) {
                    let expected = conv.apply(KernelPaths.scalar, x)
                    for packed in [true, false] {
                        cases += 1
                        guard let e = expected, let y = conv.apply(KernelPaths.table(path), x, packed: packed), sameBits(e, y) else {
                            failures += 1
                            if failures <= 5 {
                                Issue.record("\(quantized ? "int8" : "f32") conv2d \(shape) packed \(packed) differs on \(KernelPaths.name(path))")
                            }
                            continue
                        }
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(cases) conv2d outputs differ on \(KernelPaths.name(path))")
    }

    @Test("avx2 conv2d = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_AVX2), "needs an x86-64 CPU with AVX2"))
    func avx2() { Self.checkPath(RC_PATH_AVX2) }

    @Test("avx512-vnni conv2d = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_AVX512_VNNI), "needs an x86-64 CPU with AVX-512 VNNI"))
    func avx512Vnni() { Self.checkPath(RC_PATH_AVX512_VNNI) }

    @Test("neon conv2d = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_NEON), "needs aarch64"))
    func neon() { Self.checkPath(RC_PATH_NEON) }

    @Test("neon-dotprod conv2d = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_NEON_DOTPROD), "needs aarch64 with dotprod"))
    func neonDotprod() { Self.checkPath(RC_PATH_NEON_DOTPROD) }

    @Test("armv7-neon conv2d = scalar bits", .enabled(if: KernelPaths.available(RC_PATH_ARMV7_NEON), "needs 32-bit ARM with NEON"))
    func armv7Neon() { Self.checkPath(RC_PATH_ARMV7_NEON) }

    // MARK: refusals

    @Test("hostile shapes are refused with RC_ERR_ARGUMENT, and nothing is written")
    func refusals() {
        let good = TestConv(ConvShape(4, 5, 2, 3, 3, 2, 1, 1, 1, 0), quantized: true, seed: 3)
        #expect(rc_conv2d_validate(&good.layer) == RC_OK)
        let negative = UInt32(bitPattern: -1)
        let edits: [(String, (inout rc_conv2d) -> Void)] = [
            ("height 0", { $0.height = 0 }), ("width 0", { $0.width = 0 }),
            ("channels 0", { $0.channels = 0 }), ("filters 0", { $0.filters = 0 }),
            ("kernel_h 0", { $0.kernel_h = 0 }), ("kernel_w 0", { $0.kernel_w = 0 }),
            ("stride_h 0", { $0.stride_h = 0 }), ("stride_w 0", { $0.stride_w = 0 }),
            ("height -1", { $0.height = negative }), ("channels -1", { $0.channels = negative }),
            ("stride_w -1", { $0.stride_w = negative }), ("pad_h -1", { $0.pad_h = negative }),
            ("pad_w -2", { $0.pad_w = UInt32(bitPattern: -2) }),
            // 4 + 2·1 padded rows < 7: the kernel is larger than the padded input.
            ("kernel_h 7 > padded 6", { $0.kernel_h = 7; $0.w.cols = 7 * 2 * 2 }),
            ("kernel_w 6 > width 5", { $0.kernel_w = 6; $0.w.cols = 3 * 6 * 2 }),
            // The weights do not match the shape.
            ("weight columns ≠ KH·KW·C", { $0.w.cols += 1 }), ("weight rows ≠ F", { $0.filters = 4 }),
            ("no bias", { $0.bias = nil }), ("no weights", { $0.w.q8 = nil }), ("no scales", { $0.w.scale = nil }),
            // P = 257 · 256 · 1 > 65536: the int32 sums could overflow.
            ("patch over 65536", { $0.height = 300; $0.width = 300; $0.kernel_h = 257; $0.kernel_w = 256; $0.channels = 1; $0.w.cols = 257 * 256 }),
            ("KH·KW over 65536 before C", { $0.kernel_h = 65537; $0.kernel_w = 65537; $0.height = 65537; $0.width = 65537; $0.channels = 1 }),
            // H · W · C · 4 bytes does not fit in size_t (2^31-1)² · 8 > 2^64.
            ("image bytes overflow", { $0.height = UInt32(Int32.max); $0.width = UInt32(Int32.max); $0.channels = 8; $0.kernel_h = 1; $0.kernel_w = 1; $0.w.cols = 8 }),
            // The output: OH · OW · F · 4 with OH, OW ≈ 2^31 (padding) and F = 3 overflows.
            ("output bytes overflow", { $0.height = 1; $0.width = 1; $0.channels = 2; $0.kernel_h = 1; $0.kernel_w = 1; $0.w.cols = 2
                                        $0.pad_h = UInt32(Int32.max) / 2; $0.pad_w = UInt32(Int32.max) / 2 }),
            // An output side above INT32_MAX: padding 2^30 on both sides of 2^31-1 rows.
            ("output height over INT32_MAX", { $0.height = UInt32(Int32.max); $0.pad_h = 1 << 30; $0.kernel_h = 1; $0.kernel_w = 1; $0.w.cols = 2 }),
        ]
        for (what, edit) in edits {
            var l = good.layer
            edit(&l)
            #expect(rc_conv2d_validate(&l) == RC_ERR_ARGUMENT, "\(what)")
            #expect(rc_conv2d_scratch_bytes(&l) == 0, "\(what)")
            var oh: UInt32 = 77, ow: UInt32 = 77
            #expect(rc_conv2d_out_shape(&l, &oh, &ow) == RC_ERR_ARGUMENT && oh == 77 && ow == 77, "\(what)")
            var y = [Float](repeating: 42, count: 64)
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 64)
            defer { scratch.deallocate() }
            #expect(rc_conv2d_apply(KernelPaths.scalar, &l, [Float](repeating: 1, count: 64), &y, scratch) == RC_ERR_ARGUMENT, "\(what)")
            #expect(y.allSatisfy { $0 == 42 }, "\(what): output written")
        }
        // Null pointers and misaligned scratch.
        let x = [Float](repeating: 1, count: good.shape.inputCount)
        var y = [Float](repeating: 42, count: good.shape.outputCount)
        let bytes = rc_conv2d_scratch_bytes(&good.layer)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
        defer { scratch.deallocate() }
        #expect(rc_conv2d_apply(nil, &good.layer, x, &y, scratch) == RC_ERR_ARGUMENT)
        #expect(rc_conv2d_apply(KernelPaths.scalar, nil, x, &y, scratch) == RC_ERR_ARGUMENT)
        #expect(rc_conv2d_apply(KernelPaths.scalar, &good.layer, nil, &y, scratch) == RC_ERR_ARGUMENT)
        #expect(rc_conv2d_apply(KernelPaths.scalar, &good.layer, x, nil, scratch) == RC_ERR_ARGUMENT)
        #expect(rc_conv2d_apply(KernelPaths.scalar, &good.layer, x, &y, nil) == RC_ERR_ARGUMENT)
        #expect(rc_conv2d_apply(KernelPaths.scalar, &good.layer, x, &y, scratch + 4) == RC_ERR_ARGUMENT)
        #expect(y.allSatisfy { $0 == 42 })
        #expect(rc_conv2d_apply(KernelPaths.scalar, &good.layer, x, &y, scratch) == RC_OK)
        #expect(rc_conv2d_validate(nil) == RC_ERR_ARGUMENT)
    }
}
