import CRuntime
import Foundation
import TestSupport
import Testing

/// Proves the image layers after a convolution: max-pool against a direct Swift
/// reference (exact: a maximum has one answer), its window and stride rules and NaN
/// propagation; the global average pool against the same sum in Swift (same bits)
/// and in double precision; relu's rule; hostile shapes refused.
@Suite("Pooling and relu")
struct PoolingTests {
    /// H, W, C, window SZH × SZW, stride SH × SW.
    static let shapes: [[Int]] = [
        [1, 1, 1, 1, 1, 1, 1], [2, 2, 1, 2, 2, 2, 2], [5, 7, 3, 2, 2, 2, 2], [7, 5, 17, 3, 3, 2, 2],
        [9, 9, 33, 3, 2, 3, 1], [4, 11, 5, 4, 1, 1, 3], [6, 6, 16, 6, 6, 1, 1], [13, 3, 7, 2, 3, 5, 1],
        [32, 32, 16, 2, 2, 2, 2], [3, 31, 65, 1, 5, 1, 4],
    ]

    static func pool(_ s: [Int]) -> rc_pool2d {
        rc_pool2d(height: UInt32(s[0]), width: UInt32(s[1]), channels: UInt32(s[2]), size_h: UInt32(s[3]),
                  size_w: UInt32(s[4]), stride_h: UInt32(s[5]), stride_w: UInt32(s[6]))
    }

    /// The maximum of each window, directly: NaN if the window has one.
    static func maxPoolReference(_ s: [Int], _ x: [Float]) -> [Float] {
        let (h, w, c, kh, kw, sh, sw) = (s[0], s[1], s[2], s[3], s[4], s[5], s[6])
        let oh = (h - kh) / sh + 1, ow = (w - kw) / sw + 1
        var y: [Float] = []
        for oy in 0..<oh {
            for ox in 0..<ow {
                for ch in 0..<c {
                    let window = (0..<kh).flatMap { ky in (0..<kw).map { kx in x[((oy * sh + ky) * w + ox * sw + kx) * c + ch] } }
                    y.append(window.contains { $0.isNaN } ? .nan : window.max()!)
                }
            }
        }
        return y
    }

    @Test("max-pool: each window's maximum per channel; partial windows dropped; NaN propagates")
    func maxPool() {
        var rng = SeededGenerator(seed: 0x900)
        for s in Self.shapes {
            var p = Self.pool(s)
            var oh: UInt32 = 0, ow: UInt32 = 0
            #expect(rc_pool2d_out_shape(&p, &oh, &ow) == RC_OK)
            #expect(Int(oh) == (s[0] - s[3]) / s[5] + 1 && Int(ow) == (s[1] - s[4]) / s[6] + 1, "\(s)")
            var x = rng.uniforms(s[0] * s[1] * s[2], -3, 3)
            if x.count > 4 { x[x.count / 3] = .nan; x[x.count / 2] = -.infinity; x[1] = .infinity }
            var y = [Float](repeating: 42, count: Int(oh) * Int(ow) * s[2] + 1)
            #expect(rc_maxpool2d(&p, x, &y) == RC_OK)
            #expect(y.last == 42, "\(s): wrote past the output")
            let expected = Self.maxPoolReference(s, x)
            #expect(sameBits(Array(y.dropLast()), expected), "\(s)")
        }
        // By hand: 3 × 4, one channel, 2 × 2 windows, stride 2: the last row is dropped.
        var p = rc_pool2d(height: 3, width: 4, channels: 1, size_h: 2, size_w: 2, stride_h: 2, stride_w: 2)
        var y = [Float](repeating: 0, count: 2)
        #expect(rc_maxpool2d(&p, [1, 5, 2, 0, -3, 4, 7, 6, 99, 99, 99, 99], &y) == RC_OK)
        #expect(y == [5, 7])
        // NaN first or later in a window gives NaN; -0 and +0 keep the first one seen.
        var q = rc_pool2d(height: 1, width: 2, channels: 3, size_h: 1, size_w: 2, stride_h: 1, stride_w: 1)
        var z = [Float](repeating: 0, count: 3)
        #expect(rc_maxpool2d(&q, [.nan, 1, -0.0, 1, .nan, 0], &z) == RC_OK)
        #expect(z[0].isNaN && z[1].isNaN && z[2].bitPattern == (-0.0 as Float).bitPattern)
    }

    @Test("global average pool: the pixel-order sum over H·W, divided once")
    func globalAverage() {
        var rng = SeededGenerator(seed: 0xA76)
        for s in Self.shapes {
            let (h, w, c) = (s[0], s[1], s[2])
            let x = rng.uniforms(h * w * c, -3, 3)
            var y = [Float](repeating: 42, count: c + 1)
            #expect(rc_global_avgpool(UInt32(h), UInt32(w), UInt32(c), x, &y) == RC_OK)
            #expect(y.last == 42, "\(s): wrote past the output")
            let n = Float(h * w)
            let sameOrder = (0..<c).map { ch in (0..<h * w).reduce(Float(0)) { $0 + x[$1 * c + ch] } / n }
            #expect(sameBits(Array(y.dropLast()), sameOrder), "\(s)")
            for ch in 0..<c {
                let mean = (0..<h * w).reduce(0.0) { $0 + Double(x[$1 * c + ch]) } / Double(h * w)
                let mass = (0..<h * w).reduce(0.0) { $0 + abs(Double(x[$1 * c + ch])) } / Double(h * w)
                #expect(abs(Double(y[ch]) - mean) <= 1e-6 * mass * Double(h * w).squareRoot() + 1e-7, "\(s) channel \(ch)")
            }
        }
    }

    @Test("relu: positive values kept, negatives, ±0 and NaN become +0")
    func relu() {
        var x: [Float] = [1.5, -2, 0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        rc_relu(&x, x.count)
        #expect(x.map(\.bitPattern) == ([1.5, 0, 0, 0, 0, .infinity, 0, .leastNonzeroMagnitude, 0] as [Float]).map(\.bitPattern))
        rc_relu(nil, 3) // no crash
    }

    @Test("hostile pooling shapes are refused with RC_ERR_ARGUMENT, and nothing is written")
    func refusals() {
        let negative = UInt32(bitPattern: -1)
        let bad: [(String, rc_pool2d)] = [
            ("height 0", rc_pool2d(height: 0, width: 4, channels: 1, size_h: 1, size_w: 1, stride_h: 1, stride_w: 1)),
            ("channels 0", rc_pool2d(height: 4, width: 4, channels: 0, size_h: 1, size_w: 1, stride_h: 1, stride_w: 1)),
            ("window 0", rc_pool2d(height: 4, width: 4, channels: 1, size_h: 0, size_w: 1, stride_h: 1, stride_w: 1)),
            ("stride 0", rc_pool2d(height: 4, width: 4, channels: 1, size_h: 2, size_w: 2, stride_h: 2, stride_w: 0)),
            ("width -1", rc_pool2d(height: 4, width: negative, channels: 1, size_h: 2, size_w: 2, stride_h: 2, stride_w: 2)),
            ("stride -1", rc_pool2d(height: 4, width: 4, channels: 1, size_h: 2, size_w: 2, stride_h: negative, stride_w: 2)),
            ("window taller than the image", rc_pool2d(height: 4, width: 4, channels: 1, size_h: 5, size_w: 2, stride_h: 1, stride_w: 1)),
            ("window wider than the image", rc_pool2d(height: 4, width: 4, channels: 1, size_h: 2, size_w: 5, stride_h: 1, stride_w: 1)),
            ("H·W·C·4 overflows size_t", rc_pool2d(height: UInt32(Int32.max), width: UInt32(Int32.max), channels: 8,
                                                   size_h: 1, size_w: 1, stride_h: 1, stride_w: 1)),
        ]
        for (what, shape) in bad {
            var p = shape
            var oh: UInt32 = 77, ow: UInt32 = 77
            #expect(rc_pool2d_out_shape(&p, &oh, &ow) == RC_ERR_ARGUMENT && oh == 77 && ow == 77, "\(what)")
            var y = [Float](repeating: 42, count: 16)
            #expect(rc_maxpool2d(&p, [Float](repeating: 1, count: 16), &y) == RC_ERR_ARGUMENT, "\(what)")
            #expect(y.allSatisfy { $0 == 42 }, "\(what): output written")
        }
        var p = rc_pool2d(height: 2, width: 2, channels: 1, size_h: 2, size_w: 2, stride_h: 1, stride_w: 1)
        var y: [Float] = [42]
        #expect(rc_maxpool2d(nil, [1, 2, 3, 4], &y) == RC_ERR_ARGUMENT)
        #expect(rc_maxpool2d(&p, nil, &y) == RC_ERR_ARGUMENT)
        #expect(rc_maxpool2d(&p, [1, 2, 3, 4], nil) == RC_ERR_ARGUMENT)
        #expect(rc_global_avgpool(0, 2, 1, [1, 2], &y) == RC_ERR_ARGUMENT)
        #expect(rc_global_avgpool(2, 2, negative, [1, 2, 3, 4], &y) == RC_ERR_ARGUMENT)
        #expect(rc_global_avgpool(2, negative, 1, [1, 2, 3, 4], &y) == RC_ERR_ARGUMENT)
        #expect(rc_global_avgpool(UInt32(Int32.max), UInt32(Int32.max), 8, [1, 2, 3, 4], &y) == RC_ERR_ARGUMENT)
        #expect(rc_global_avgpool(1, 2, 1, nil, &y) == RC_ERR_ARGUMENT)
        #expect(rc_global_avgpool(1, 2, 1, [1, 2], nil) == RC_ERR_ARGUMENT)
        #expect(y == [42])
    }
}
