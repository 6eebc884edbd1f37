import CRuntime
import TestSupport

/// The shape of a conv2d layer (recur_core.h, "image layers"): input H × W × C,
/// F filters of KH × KW, stride SH × SW, zero padding PH × PW.
struct ConvShape: CustomStringConvertible {
    var h, w, c, f, kh, kw, sh, sw, ph, pw: Int

    init(_ h: Int, _ w: Int, _ c: Int, _ f: Int, _ kh: Int, _ kw: Int, _ sh: Int, _ sw: Int, _ ph: Int, _ pw: Int) {
        (self.h, self.w, self.c, self.f, self.kh, self.kw, self.sh, self.sw, self.ph, self.pw) = (h, w, c, f, kh, kw, sh, sw, ph, pw)
    }

    var patch: Int { kh * kw * c }
    var outH: Int { (h + 2 * ph - kh) / sh + 1 }
    var outW: Int { (w + 2 * pw - kw) / sw + 1 }
    var inputCount: Int { h * w * c }
    var outputCount: Int { outH * outW * f }
    var description: String { "\(h)x\(w)x\(c) -> \(f) k\(kh)x\(kw) s\(sh)x\(sw) p\(ph)x\(pw)" }
}

/// A seeded conv2d layer for the tests: owns its weights (with the packed layout a
/// loaded model has) and bias in stable memory, and applies them on a chosen table.
final class TestConv {
    let shape: ConvShape
    let quantized: Bool
    /// (F, P) row-major: the dequantized int8 weights, or the f32 ones.
    let weights: [Float]
    let bias: [Float]
    private let storage: [UnsafeMutableRawPointer]
    var layer: rc_conv2d

    /// Seeded weights: int8 in [-127, 127] with per-filter scales, or f32 in ±0.4.
    init(_ shape: ConvShape, quantized: Bool, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var pointers: [UnsafeMutableRawPointer] = []
        let m = TestLayer.matrix(rows: shape.f, cols: shape.patch, quantized: quantized, rng: &rng, keep: &pointers)
        bias = rng.uniforms(shape.f, -0.3, 0.3)
        let b = TestLayer.copy(bias, keep: &pointers)
        self.shape = shape
        self.quantized = quantized
        weights = m.values
        storage = pointers
        layer = Self.layer(shape, m.matrix, b)
    }

    /// Given f32 weights (F, P) and bias, without a packed layout.
    init(_ shape: ConvShape, weights: [Float], bias: [Float]) {
        var pointers: [UnsafeMutableRawPointer] = []
        let w = TestLayer.copy(weights, keep: &pointers)
        let b = TestLayer.copy(bias, keep: &pointers)
        let m = rc_matrix(type: RC_W_F32, rows: UInt32(shape.f), cols: UInt32(shape.patch), f32: w, q8: nil, scale: nil, packed: nil)
        self.shape = shape
        quantized = false
        self.weights = weights
        self.bias = bias
        storage = pointers
        layer = Self.layer(shape, m, b)
    }

    deinit {
        for p in storage { p.deallocate() }
    }

    private static func layer(_ s: ConvShape, _ m: rc_matrix, _ bias: UnsafePointer<Float>) -> rc_conv2d {
        rc_conv2d(height: UInt32(s.h), width: UInt32(s.w), channels: UInt32(s.c), filters: UInt32(s.f),
                  kernel_h: UInt32(s.kh), kernel_w: UInt32(s.kw), stride_h: UInt32(s.sh), stride_w: UInt32(s.sw),
                  pad_h: UInt32(s.ph), pad_w: UInt32(s.pw), w: m, bias: bias)
    }

    /// The layer's output on `kernels` (from the packed weights, or the row-major
    /// ones when `packed` is false), in exactly rc_conv2d_scratch_bytes of scratch;
    /// nil when rc_conv2d_apply refuses.
    func apply(_ kernels: OpaquePointer, _ x: [Float], packed: Bool = true) -> [Float]? {
        var l = layer
        if !packed { l.w.packed = nil }
        let bytes = rc_conv2d_scratch_bytes(&l)
        guard bytes > 0 else { return nil }
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Int(RC_SCRATCH_ALIGN))
        defer { scratch.deallocate() }
        var y = [Float](repeating: .nan, count: shape.outputCount)
        return rc_conv2d_apply(kernels, &l, x, &y, scratch) == RC_OK ? y : nil
    }

    /// The header's equation in double precision, directly over the image (no
    /// im2col): each output, and Σ |w · x| over its terms (for tolerances).
    func reference(_ x: [Double]) -> (y: [Double], magnitude: [Double]) {
        let s = shape
        var y = [Double](repeating: 0, count: s.outputCount)
        var magnitude = y
        for oy in 0..<s.outH {
            for ox in 0..<s.outW {
                for f in 0..<s.f {
                    var sum = Double(bias[f])
                    var size = abs(Double(bias[f]))
                    for ky in 0..<s.kh {
                        let iy = oy * s.sh + ky - s.ph
                        guard iy >= 0 && iy < s.h else { continue }
                        for kx in 0..<s.kw {
                            let ix = ox * s.sw + kx - s.pw
                            guard ix >= 0 && ix < s.w else { continue }
                            for c in 0..<s.c {
                                let term = Double(weights[f * s.patch + (ky * s.kw + kx) * s.c + c]) * x[(iy * s.w + ix) * s.c + c]
                                sum += term
                                size += abs(term)
                            }
                        }
                    }
                    y[(oy * s.outW + ox) * s.f + f] = sum
                    magnitude[(oy * s.outW + ox) * s.f + f] = size
                }
            }
        }
        return (y, magnitude)
    }

    /// Σ_patch |w| of filter f: how far the outputs move per unit of input error.
    func weightMass(_ f: Int) -> Double {
        (0..<shape.patch).reduce(0.0) { $0 + abs(Double(weights[f * shape.patch + $1])) }
    }
}

/// The contract's quantizer, written out independently of CRuntime: one scale for
/// the whole vector, s = max|x| / 127, codes clamp(round(x / s)), ties away from zero.
func quantizeReference(_ x: [Float]) -> (scale: Float, codes: [Int8]) {
    let m = x.reduce(Float(0)) { $1.isNaN ? $0 : max($0, abs($1)) }
    guard m > 0 else { return (0, [Int8](repeating: 0, count: x.count)) }
    let s = m / 127
    let codes = x.map { v -> Int8 in
        guard !v.isNaN else { return 0 }
        return Int8(min(127, max(-127, (v / s).rounded(.toNearestOrAwayFromZero))))
    }
    return (s, codes)
}
