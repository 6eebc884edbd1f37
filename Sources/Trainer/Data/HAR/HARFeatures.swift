import RecurRuntime

/// The channels a HAR model sees per timestep.
public enum HARFeatures: Sendable, Equatable {
    /// The six raw values: acc xyz (g), gyro xyz (rad/s).
    case raw
    /// Nine channels from the runtime's `gravity_split_iir2` preprocessor:
    /// `[body_acc xyz, gyro xyz, gravity xyz]`, computed in the stream with these
    /// f32 coefficients `[b0, b1, b2, a1, a2]` (stored in the model file).
    case gravitySplit(coefficients: [Float])

    /// The default gravity split: 2nd-order Butterworth low-pass at 0.3 Hz for 50 Hz
    /// data (UCI HAR's gravity cut-off; UCI HAR used a 3rd-order filter offline).
    public static var gravitySplitButterworth: HARFeatures {
        .gravitySplit(coefficients: GravityFilterDesign.butterworthLowPass(cutoffHz: 0.3, sampleRateHz: 50))
    }

    /// Values per timestep.
    public var channels: Int { channelNames.count }

    /// Channel names, in order.
    public var channelNames: [String] {
        switch self {
        case .raw: HARRecording.channelNames
        case .gravitySplit: PreprocessKind.gravitySplitIIR2.outputNames
        }
    }

    /// The runtime preprocessor these features need, or nil for raw input.
    ///
    /// - Throws: `HARDataError.unsupported` when the coefficients are rejected.
    public func makePreprocessor() throws(HARDataError) -> StreamPreprocessor? {
        switch self {
        case .raw:
            return nil
        case let .gravitySplit(coefficients):
            do {
                return try StreamPreprocessor(kind: .gravitySplitIIR2, coefficients: coefficients)
            } catch {
                throw .unsupported("gravity split coefficients rejected: \(error)")
            }
        }
    }

    /// Computes these features over a whole recording, in order, from a reset
    /// state: exactly what the runtime computes when the recording is streamed.
    ///
    /// - Returns: `[recording.count × channels]` row-major.
    public func compute(on recording: HARRecording) throws(HARDataError) -> [Float] {
        guard var preprocessor = try makePreprocessor() else { return recording.samples }
        let inputSize = preprocessor.inputSize
        let outputSize = preprocessor.outputSize
        var output = [Float](repeating: 0, count: recording.count * outputSize)
        recording.samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for step in 0..<recording.count {
                    preprocessor.process(
                        raw: input.baseAddress! + step * inputSize,
                        into: out.baseAddress! + step * outputSize)
                }
            }
        }
        return output
    }
}
