/// The derived-channel computation a model asks the runtime to run on every raw frame.
///
/// A HAR model's input contract is the IMU's six raw numbers per timestep
/// (`acc_x acc_y acc_z` in g, `gyro_x gyro_y gyro_z` in rad/s, 50 Hz). When the
/// network was trained on derived channels, the file names the computation in
/// `recur.preprocess` and the runtime runs it in the stream, once per frame,
/// before normalization and windowing (docs/HAR.md).
public enum PreprocessKind: Equatable, Sendable {
    /// `"gravity_split_iir2"`: a 2nd-order IIR low-pass per accelerometer axis
    /// separates gravity; output `[body_acc xyz, gyro xyz, gravity xyz]`.
    case gravitySplitIIR2

    /// The `.rnnz` metadata key naming the kind (string).
    public static let key = "recur.preprocess"
    /// The `.rnnz` metadata key holding the filter coefficients (f32 array).
    public static let coefficientsKey = "recur.preprocess.coefficients"
    /// The `.rnnz` metadata key recording the raw values per frame (u32), checked on load.
    public static let inputSizeKey = "recur.preprocess.input_size"
    /// The `.rnnz` metadata key naming the raw values per frame (string[], optional).
    public static let inputNamesKey = "recur.preprocess.input_names"
    /// The `.rnnz` metadata key recording the output size (u32), checked on load.
    public static let outputSizeKey = "recur.preprocess.output_size"

    /// Parses the value of `recur.preprocess`.
    ///
    /// - Throws: `RecurError.badKeyValue` for a name this runtime does not know.
    public init(name: String) throws(RecurError) {
        switch name {
        case "gravity_split_iir2": self = .gravitySplitIIR2
        default:
            throw .badKeyValue(
                key: PreprocessKind.key,
                reason: "unknown preprocessor \"\(name)\" (known: gravity_split_iir2)")
        }
    }

    /// The name stored in `recur.preprocess`.
    public var name: String {
        switch self {
        case .gravitySplitIIR2: "gravity_split_iir2"
        }
    }

    /// Raw values per input frame.
    public var inputSize: Int {
        switch self {
        case .gravitySplitIIR2: 6
        }
    }

    /// Values per output frame (what the network's first layer sees).
    public var outputSize: Int {
        switch self {
        case .gravitySplitIIR2: 9
        }
    }

    /// Number of f32 values in `recur.preprocess.coefficients`.
    public var coefficientCount: Int {
        switch self {
        case .gravitySplitIIR2: 5
        }
    }

    /// Names of the output channels, in order.
    public var outputNames: [String] {
        switch self {
        case .gravitySplitIIR2:
            ["body_acc_x", "body_acc_y", "body_acc_z",
             "gyro_x", "gyro_y", "gyro_z",
             "gravity_x", "gravity_y", "gravity_z"]
        }
    }
}
