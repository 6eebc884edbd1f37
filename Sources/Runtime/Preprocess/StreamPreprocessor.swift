/// Computes derived input channels from raw IMU frames, one frame at a time.
///
/// `gravity_split_iir2` runs one biquad low-pass per accelerometer axis in
/// direct form II transposed (coefficients `[b0, b1, b2, a1, a2]`, `a0 = 1`):
///
///     y[n]     = b0·x[n] + s1[n]
///     s1[n+1]  = b1·x[n] − a1·y[n] + s2[n]
///     s2[n+1]  = b2·x[n] − a2·y[n]
///
/// The filter runs on the deviation from the first frame after `init` or
/// `reset()`: with `x0` that frame's acceleration,
///
///     d[n]       = x[n] − x0
///     y[n]       = LowPass(d)[n]          (state starts at 0)
///     gravity[n] = x0 + y[n]
///     body[n]    = d[n] − y[n]
///
/// With unity DC gain this is the filter started in its steady state for `x0`
/// (as if the phone had been still forever), so gravity is right from the first
/// sample instead of rising from zero over seconds. Working on the deviation
/// also keeps f32 rounding small: poles this close to z = 1 amplify rounding of
/// an O(1 g) state by 1/(1 + a1 + a2) ≈ 700 (≈ 5e-5 g), but a still phone has
/// d = 0 and an exact zero state. Only the first frame is used, so the filter
/// stays causal and a recording filtered frame by frame equals the same
/// recording filtered whole. The gyroscope passes through. Output frame:
/// `[body_acc xyz, gyro xyz, gravity xyz]`.
///
/// Every operation is a separate IEEE f32 multiply or add in a fixed order (Swift
/// does not contract them into FMAs), so the trainer, the desktop runtime and the
/// board compute the same bits. `process` allocates nothing.
public struct StreamPreprocessor: Sendable {
    /// What this preprocessor computes.
    public let kind: PreprocessKind
    /// The coefficients as stored in the file: `[b0, b1, b2, a1, a2]`.
    public let coefficients: [Float]

    private let b0: Float
    private let b1: Float
    private let b2: Float
    private let a1: Float
    private let a2: Float
    /// Filter state per accelerometer axis: (s1, s2) for x, y, z.
    private var state: (Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0)
    /// The first frame's acceleration x0 (x, y, z), subtracted before filtering.
    private var origin: (Float, Float, Float) = (0, 0, 0)
    /// True until the first frame after init/reset has been seen.
    private var awaitingFirstFrame = true

    /// Creates a preprocessor and validates its coefficients.
    ///
    /// - Parameters:
    ///   - kind: the computation (`recur.preprocess`).
    ///   - coefficients: `recur.preprocess.coefficients`: `[b0, b1, b2, a1, a2]`.
    /// - Throws: `RecurError.badKeyValue` on the coefficients key when the count is
    ///   wrong, a value is not finite, the filter is unstable, or its DC gain is
    ///   not 1 within 1e-3 (gravity must pass unchanged for `body = acc − gravity`).
    public init(kind: PreprocessKind, coefficients: [Float]) throws(RecurError) {
        let key = PreprocessKind.coefficientsKey
        guard coefficients.count == kind.coefficientCount else {
            throw .badKeyValue(
                key: key,
                reason: "\(kind.name) needs \(kind.coefficientCount) values [b0, b1, b2, a1, a2], found \(coefficients.count)")
        }
        for index in 0..<coefficients.count where !coefficients[index].isFinite {
            throw .badKeyValue(key: key, reason: "value \(index) is not a finite number")
        }
        let b0 = coefficients[0], b1 = coefficients[1], b2 = coefficients[2]
        let a1 = coefficients[3], a2 = coefficients[4]
        // A biquad is stable iff both poles are inside the unit circle:
        // |a2| < 1 and |a1| < 1 + a2 (the stability triangle).
        guard a2 < 1, a2 > -1, a1 < 1 + a2, a1 > -(1 + a2) else {
            throw .badKeyValue(key: key, reason: "the filter is unstable (poles outside the unit circle: needs |a2| < 1 and |a1| < 1 + a2)")
        }
        // H(1) = (b0 + b1 + b2) / (1 + a1 + a2); (1 + a1) + a2 is exact for a low-pass near z = 1.
        let denominator = (1 + a1) + a2
        let gain = ((b0 + b1) + b2) / denominator
        guard gain > 0.999, gain < 1.001 else {
            throw .badKeyValue(key: key, reason: "the low-pass DC gain must be 1 (gravity passes unchanged); these coefficients give a different gain")
        }
        self.kind = kind
        self.coefficients = coefficients
        self.b0 = b0
        self.b1 = b1
        self.b2 = b2
        self.a1 = a1
        self.a2 = a2
    }

    /// Raw values read per frame (6).
    public var inputSize: Int { kind.inputSize }

    /// Values written per frame (9).
    public var outputSize: Int { kind.outputSize }

    /// Forgets the stream: the next frame starts the filter afresh.
    public mutating func reset() {
        state = (0, 0, 0, 0, 0, 0)
        origin = (0, 0, 0)
        awaitingFirstFrame = true
    }

    /// Processes one frame.
    ///
    /// - Parameters:
    ///   - raw: `inputSize` values: `acc_x acc_y acc_z` (g), `gyro_x gyro_y gyro_z` (rad/s).
    ///   - output: room for `outputSize` values: `[body_acc xyz, gyro xyz, gravity xyz]`.
    /// - Complexity: O(1); no allocation.
    public mutating func process(raw: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        if awaitingFirstFrame {
            awaitingFirstFrame = false
            origin = (raw[0], raw[1], raw[2])
        }
        // d = x − x0 ; y = LowPass(d) ; gravity = x0 + y ; body = d − y
        let deviationX = raw[0] - origin.0
        let deviationY = raw[1] - origin.1
        let deviationZ = raw[2] - origin.2
        let lowX = lowPass(deviationX, &state.0, &state.1)
        let lowY = lowPass(deviationY, &state.2, &state.3)
        let lowZ = lowPass(deviationZ, &state.4, &state.5)
        output[0] = deviationX - lowX
        output[1] = deviationY - lowY
        output[2] = deviationZ - lowZ
        output[3] = raw[3]
        output[4] = raw[4]
        output[5] = raw[5]
        output[6] = origin.0 + lowX
        output[7] = origin.1 + lowY
        output[8] = origin.2 + lowZ
    }

    /// One DF2T biquad step: returns y[n] and advances (s1, s2).
    @inline(__always)
    private func lowPass(_ x: Float, _ s1: inout Float, _ s2: inout Float) -> Float {
        // y = b0·x + s1
        let y = b0 * x + s1
        // s1' = b1·x − a1·y + s2
        s1 = (b1 * x - a1 * y) + s2
        // s2' = b2·x − a2·y
        s2 = b2 * x - a2 * y
        return y
    }
}
