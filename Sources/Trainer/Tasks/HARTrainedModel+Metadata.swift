import RecurRuntime

extension HARTrainedModel {
    /// The raw stream contract: six numbers per line, in this order and these units.
    public static let rawInputNames = HARRecording.channelNames

    /// HAPT's sample rate.
    public static let sampleRateHz: Float = 50

    /// The `.rnnz` task keys of this classifier (docs/HAR.md), for the exporter's `taskKeys`.
    ///
    /// `recur.input.size`, `.names`, `.mean`, `.std` describe the network's input (after the
    /// preprocessor); the `recur.preprocess.*` keys, present only for derived channels, tell the
    /// runtime to compute that input from `recur.preprocess.input_size` raw values per line.
    ///
    /// - Parameter hop: timesteps between window results when streaming.
    public func taskKeys(hop: Int) -> [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = [
            ("recur.input.size", .uint32(UInt32(features.channels))),
            ("recur.input.names", .array(.string(features.channelNames))),
            ("recur.input.mean", .array(.float32(mean))),
            ("recur.input.std", .array(.float32(std))),
            ("recur.window", .uint32(UInt32(window))),
            ("recur.hop", .uint32(UInt32(hop))),
            ("recur.sample_rate_hz", .float32(HARTrainedModel.sampleRateHz)),
            ("recur.labels", .array(.string(classNames))),
        ]
        if case let .gravitySplit(coefficients) = features {
            let kind = PreprocessKind.gravitySplitIIR2
            keys += [
                (PreprocessKind.key, .string(kind.name)),
                (PreprocessKind.coefficientsKey, .array(.float32(coefficients))),
                (PreprocessKind.inputSizeKey, .uint32(UInt32(kind.inputSize))),
                (PreprocessKind.outputSizeKey, .uint32(UInt32(kind.outputSize))),
                (PreprocessKind.inputNamesKey, .array(.string(HARTrainedModel.rawInputNames))),
            ]
        }
        return keys
    }
}
