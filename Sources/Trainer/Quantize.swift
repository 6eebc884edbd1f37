import CRuntime

/// Per-row symmetric int8 quantization of weight matrices (docs/ARCHITECTURE.md, "Numerics").
///
/// For each output row `r` of a `rows × cols` matrix:
/// `scale_r = max_c |w_rc| / 127`, `q_rc = clamp(round(w_rc / scale_r), -127, 127)`;
/// an all-zero row gets `scale_r = 0` and all `q = 0`. The real weight is `q_rc * scale_r`.
/// Values are never -128, so the kernels' sign tricks stay exact. Each row goes through the
/// C core's `rc_quantize_q8`, so weights and activations are quantized by one definition.
public enum Quantize {
    /// The int8 form of one matrix and how far it is from the original.
    public struct Matrix: Sendable, Equatable {
        /// (rows, cols) row-major, values in [-127, 127].
        public var values: [Int8]
        /// (rows) one scale per output row.
        public var scales: [Float]
        public var rows: Int
        public var cols: Int
        public var error: QuantizationError
    }

    /// Quantizes a `rows × cols` row-major matrix per row.
    ///
    /// - Parameter weights: (rows, cols) row-major f32.
    /// - Complexity: O(rows · cols).
    public static func rows(_ weights: [Float], rows: Int, cols: Int) -> Matrix {
        precondition(weights.count == rows * cols, "weights hold \(weights.count) values, expected \(rows)×\(cols)")
        var values = [Int8](repeating: 0, count: rows * cols)  // (rows, cols)
        var scales = [Float](repeating: 0, count: rows)         // (rows)
        var maxAbsError: Float = 0
        var squaredError: Double = 0
        weights.withUnsafeBufferPointer { w in
            values.withUnsafeMutableBufferPointer { q in
                for r in 0..<rows {
                    let base = r * cols
                    // The C core's quantizer, the one the runtime applies to activations:
                    // scale = max|row| / 127, q = clamp(round(w / scale)), zero row → 0.
                    let scale = rc_quantize_q8(w.baseAddress! + base, cols, q.baseAddress! + base)
                    scales[r] = scale
                    for c in 0..<cols {
                        let difference = abs(Float(q[base + c]) * scale - w[base + c])
                        maxAbsError = max(maxAbsError, difference)
                        squaredError += Double(difference) * Double(difference)
                    }
                }
            }
        }
        let count = rows * cols
        let rms = count > 0 ? Float((squaredError / Double(count)).squareRoot()) : 0
        return Matrix(values: values, scales: scales, rows: rows, cols: cols,
                      error: QuantizationError(maxAbs: maxAbsError, rms: rms))
    }

    /// Reconstructs the f32 matrix `q * scale[row]` (for error reports and tests).
    public static func dequantize(_ matrix: Matrix) -> [Float] {
        var out = [Float](repeating: 0, count: matrix.rows * matrix.cols)  // (rows, cols)
        for r in 0..<matrix.rows {
            for c in 0..<matrix.cols {
                out[r * matrix.cols + c] = Float(matrix.values[r * matrix.cols + c]) * matrix.scales[r]
            }
        }
        return out
    }
}

/// How far a quantized tensor is from its f32 original.
public struct QuantizationError: Sendable, Equatable, Codable {
    /// max |q * scale - w| over all elements.
    public var maxAbs: Float
    /// sqrt(mean((q * scale - w)^2)).
    public var rms: Float

    public init(maxAbs: Float, rms: Float) {
        self.maxAbs = maxAbs
        self.rms = rms
    }
}

/// One line of the quantization report: which tensor and its error.
public struct QuantizationReportLine: Sendable, Equatable {
    public var tensor: String
    public var rows: Int
    public var cols: Int
    public var error: QuantizationError

    public init(tensor: String, rows: Int, cols: Int, error: QuantizationError) {
        self.tensor = tensor
        self.rows = rows
        self.cols = cols
        self.error = error
    }

    /// `enc.1.weight_ih  512×64  max 1.23e-03  rms 4.56e-04`
    public var formatted: String {
        "\(tensor.padding(toLength: 24))\(rows)×\(cols)".padding(toLength: 40)
            + "max \(Format.scientific(error.maxAbs))  rms \(Format.scientific(error.rms))"
    }
}
