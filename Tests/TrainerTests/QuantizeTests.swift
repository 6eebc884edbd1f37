import Testing
import TestSupport
@testable import Trainer

/// Per-row int8 quantization on hand-made matrices whose answers are worked out by hand.
@Suite struct QuantizeTests {
    /// Row 0 peaks at 2.54 → scale 0.02; row 1 is all zero → scale 0, q 0; row 2 has a negative peak.
    @Test func handMadeMatrixScalesValuesAndErrors() {
        let weights: [Float] = [
            2.54, -1.27, 0.011,   // scale 0.02: q = 127, -63.5→-64 (away from zero), 0.55→1
            0, 0, 0,              // all-zero row
            -0.5, 0.25, 0.1,      // scale 0.5/127
        ]
        let m = Quantize.rows(weights, rows: 3, cols: 3)
        #expect(m.scales[0] == Float(2.54) / 127)
        #expect(m.scales[1] == 0)
        #expect(m.scales[2] == Float(0.5) / 127)
        #expect(Array(m.values[0..<3]) == [127, -64, 1])
        #expect(Array(m.values[3..<6]) == [0, 0, 0])
        #expect(m.values[6] == -127)
        // 0.25 / (0.5/127) = 63.5 → 64 ; 0.1 / (0.5/127) = 25.4 → 25
        #expect(Array(m.values[7..<9]) == [64, 25])

        // The error report is recomputed here independently in Double from the hand values.
        let dequantized = Quantize.dequantize(m)
        var maxError = 0.0
        var squares = 0.0
        for (w, d) in zip(weights, dequantized) {
            let e = abs(Double(d) - Double(w))
            maxError = max(maxError, e)
            squares += e * e
        }
        #expect(abs(Double(m.error.maxAbs) - maxError) < 1e-7)
        #expect(abs(Double(m.error.rms) - (squares / 9).squareRoot()) < 1e-7)
        // The worst element is -1.27 → -64 · 0.02 = -1.28: error 0.01, about half a step.
        #expect(abs(m.error.maxAbs - 0.01) < 1e-5)
    }

    /// No value is ever -128, and every error is at most half a quantization step of its row.
    @Test func randomMatricesStayInRangeAndWithinHalfAStep() {
        var random = SeededGenerator(seed: 7)
        for (rows, cols) in [(1, 1), (3, 7), (17, 33), (64, 5)] {
            let weights = random.uniforms(rows * cols, -3, 3)
            let m = Quantize.rows(weights, rows: rows, cols: cols)
            #expect(!m.values.contains(-128))
            let back = Quantize.dequantize(m)
            for r in 0..<rows {
                for c in 0..<cols {
                    let i = r * cols + c
                    #expect(abs(back[i] - weights[i]) <= m.scales[r] / 2 * 1.0001)
                }
            }
        }
    }
}
