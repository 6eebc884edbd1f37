import Foundation
import RecurRuntime

/// `recur train frames` (and the `har` and `mnist` presets): a classifier or regressor over
/// windows of frames, or over whole variable-length segments.
public enum FramesTrainTask: TrainTask {
    /// The split examples with what the file needs to know.
    public struct Data: Sendable {
        public var split: FrameSplit
        /// Classifier: the class names; empty for a regressor.
        public var classNames: [String]
        /// Regressor: the target names.
        public var targetNames: [String]
        /// Per-channel normalisation from the training examples.
        public var mean: [Float]
        public var std: [Float]
        /// The stream preprocessor the examples were computed with.
        public var preprocessor: StreamPreprocessor?
        /// The channels a stdin line carries (before the preprocessor).
        public var rawChannelNames: [String]
        /// `--class-weights`: each class's loss weight in training, or nil.
        public var classWeights: [Float]? = nil
        /// `--augment-rotation`/`--augment-scale`, or nil.
        public var augmentation: FrameAugmentation? = nil

        public var outputs: Int { targetNames.count }
        public var isClassifier: Bool { targetNames.isEmpty }
    }

    /// Reads the table the settings name (CSV files, HAPT or MNIST folder).
    public static func table(_ frames: FramesSettings) throws -> FrameTable {
        switch frames.source {
        case .csv:
            var options = FrameCSV.Options()
            options.labelColumn = frames.labelColumn
            options.targetColumns = frames.targetColumns
            options.columns = frames.columns
            options.sequenceColumn = frames.sequenceColumn
            options.groupColumn = frames.groupColumn
            return try FrameCSV.load(frames.csv, options: options)
        case .hapt:
            return try HARDataset.frameTable(directory: frames.data ?? "", classes: frames.transitions ? .withTransitions : .basic,
                                             gravitySplit: frames.preprocess != nil)
        case .mnist:
            return try MNISTLoader.load(directory: frames.data ?? "")
        }
    }

    public static func makeData(_ settings: TrainSettings) throws -> Data {
        guard let frames = settings.frames else { throw SettingsError("frames needs its data options (--csv …)") }
        try frames.validate()
        let table = try table(frames)
        var cut = FrameCutOptions()
        cut.window = frames.window
        cut.hop = frames.effectiveHop
        cut.segments = frames.segments
        cut.testGroups = frames.testGroups
        cut.validationGroups = frames.validationGroups
        cut.testFraction = frames.testFraction
        cut.validationFraction = frames.validationFraction
        cut.seed = settings.seed
        cut.missingGroupsAllowed = frames.missingGroupsAllowed ?? false
        if frames.preprocess != nil, let rate = frames.rate {
            cut.preprocessor = try StreamPreprocessor(
                kind: .gravitySplitIIR2, coefficients: GravityFilterDesign.butterworthLowPass(cutoffHz: 0.3, sampleRateHz: Double(rate)))
        }
        let split = try table.split(cut)
        let (mean, std) = try split.normalisation()
        var data = Data(split: split, classNames: table.classNames, targetNames: table.targetNames, mean: mean, std: std,
                        preprocessor: cut.preprocessor, rawChannelNames: table.channelNames)
        if let text = frames.classWeights {
            guard data.isClassifier else { throw SettingsError("--class-weights needs a classifier, not a regressor") }
            data.classWeights = try FramesSettings.classWeights(text, classNames: data.classNames, labels: split.train.labels)
        }
        if frames.augments {
            data.augmentation = try FrameAugmentation(
                channelNames: split.channelNames, rotationDegrees: frames.augmentRotation ?? 0, scale: frames.augmentScale ?? 0,
                mean: mean, std: std)
        }
        return data
    }

    public static func summary(of data: Data, settings: TrainSettings) -> [String] {
        var lines = data.split.summary
        if data.isClassifier {
            var counts = [Int](repeating: 0, count: data.classNames.count)
            for label in data.split.train.labels { counts[label] += 1 }
            lines.append("classes (training examples): "
                + zip(data.classNames, counts).map { "\($0) \($1)" }.joined(separator: ", "))
            if let weights = data.classWeights {
                lines.append("class weights (training loss): "
                    + zip(data.classNames, weights).map { "\($0) \(Format.fixed(Double($1), digits: 3))" }.joined(separator: ", "))
            }
        } else {
            lines.append("targets: " + data.targetNames.joined(separator: ", "))
        }
        lines.append("inputs: " + data.split.channelNames.joined(separator: ", ")
            + (data.preprocessor != nil ? " (from " + data.rawChannelNames.joined(separator: ", ") + " in the stream)" : ""))
        return lines
    }

    public static func makeSpec(_ settings: TrainSettings, data: Data) throws -> ModelSpec {
        ModelSpec(input: .frames(size: data.split.train.channels), layers: settings.recurrentLayers,
                  dropout: settings.dropout ?? 0,
                  output: data.isClassifier ? .classifier(classes: data.classNames.count) : .regressor(outputs: data.outputs))
    }

    /// Batches of `set`, one per length (windows: one).
    static func buckets(_ set: FrameExampleSet, data: Data) -> [Batch] {
        set.lengthBuckets.map { set.batch($0, mean: data.mean, std: data.std, outputs: data.outputs) }
    }

    public static func fit(_ model: SequenceModel, data: Data, loop: TrainingLoop, resume: TrainingState?,
                           checkpoint: ((TrainingState) -> Void)?, observer: (TrainingEvent) -> Void) throws -> TrainingResult {
        var train = buckets(data.split.train, data: data)
        let validation = buckets(data.split.validation, data: data)
        if let weights = data.classWeights {
            for b in train.indices {
                if case .classes(let labels) = train[b].targets { train[b].mask = labels.map { weights[Int($0)] } }
            }
        }
        let augment: TrainingLoop.Augment? = data.augmentation.map { a in { batch, random in a.apply(batch, &random) } }
        if train.count == 1 && validation.count == 1 {
            return try loop.fit(model, train: train[0], validation: validation[0], resume: resume,
                                checkpoint: checkpoint, augment: augment, observer: observer)
        }
        return try loop.fitBuckets(model, train: train, validation: validation, resume: resume,
                                   checkpoint: checkpoint, augment: augment, observer: observer)
    }

    /// Scores outputs (probabilities or values, `width` per example, in example order).
    static func score(_ outputs: [Float], set: FrameExampleSet, data: Data) -> TaskScore {
        if data.isClassifier {
            let width = data.classNames.count
            let predicted = (0..<set.count).map { k in
                var best = 0
                for c in 1..<width where outputs[k * width + c] > outputs[k * width + best] { best = c }
                return best
            }
            return TaskScore(classification: HARMetrics(predicted: predicted, actual: set.labels, classNames: data.classNames))
        }
        var squares = 0.0, absolute = 0.0
        for (y, target) in zip(outputs, set.targets) {
            let e = Double(y) - Double(target)
            squares += e * e
            absolute += abs(e)
        }
        let n = Double(max(set.targets.count, 1))
        return TaskScore(metricName: "mse", value: squares / n, detail: "mae \(absolute / n)")
    }

    public static func trainerScore(_ model: SequenceModel, settings: TrainSettings, data: Data) throws -> TaskScore {
        let set = data.split.test
        let outputs = model.predict(count: set.count, buckets: set.lengthBuckets) {
            set.batch($0, mean: data.mean, std: data.std, outputs: data.outputs)
        }
        return score(outputs, set: set, data: data)
    }

    /// Each test example in a fresh session: its frames, then the result at its last frame (a
    /// window) or at the end of the segment — what the board computes.
    public static func runtimeScore(_ model: Model, settings: TrainSettings, data: Data) throws -> TaskScore {
        score(try runtimeOutputs(model, set: data.split.test), set: data.split.test, data: data)
    }

    /// The Runtime's outputs for every example of `set` (frames after the preprocessor, before
    /// normalisation: the session normalises).
    public static func runtimeOutputs(_ model: Model, set: FrameExampleSet) throws(RecurError) -> [Float] {
        guard let configuration = model.frames else {
            throw .wrongTask(expected: "classifier or regressor (frames)", found: model.task.rawValue)
        }
        let segments = configuration.segments
        let width = configuration.outputSize
        var outputs: [Float] = []
        outputs.reserveCapacity(set.count * width)
        var sessions: [Int: FrameSession] = [:]
        for k in 0..<set.count {
            let length = set.lengths[k]
            let session: FrameSession
            if let made = sessions[segments ? 0 : length] { session = made } else {
                session = try segments ? model.makeFrameSession() : model.makeFrameSession(window: length, hop: length)
                sessions[segments ? 0 : length] = session
            }
            session.reset()
            var result: [Float]? = nil
            let frames = set.frames(of: k)
            for t in 0..<length {
                let start = frames.startIndex + t * set.channels
                if let r = try session.step(Array(frames[start..<(start + set.channels)])) { result = Array(r.outputs) }
            }
            if segments, let r = try session.endSegment() { result = Array(r.outputs) }
            guard let result, result.count == width else {
                throw .badWindow(window: length, hop: length, reason: "example \(k) produced no result")
            }
            outputs.append(contentsOf: result)
        }
        return outputs
    }

    public static func taskKeys(_ settings: TrainSettings, data: Data) -> [(String, GGUFValue)] {
        let frames = settings.frames ?? FramesSettings()
        var keys: [(String, GGUFValue)] = [
            ("recur.input.size", .uint32(UInt32(data.split.train.channels))),
            ("recur.input.names", .array(.string(data.split.channelNames))),
            ("recur.input.mean", .array(.float32(data.mean))),
            ("recur.input.std", .array(.float32(data.std))),
        ]
        if frames.segments {
            keys.append(("recur.segments", .bool(true)))
        } else {
            keys.append(("recur.window", .uint32(UInt32(frames.window))))
            keys.append(("recur.hop", .uint32(UInt32(frames.effectiveHop))))
        }
        if let rate = frames.rate { keys.append(("recur.sample_rate_hz", .float32(rate))) }
        if data.isClassifier {
            keys.append(("recur.labels", .array(.string(data.classNames))))
        } else {
            keys.append(("recur.output.size", .uint32(UInt32(data.outputs))))
            keys.append(("recur.output.names", .array(.string(data.targetNames))))
        }
        if let preprocessor = data.preprocessor {
            let kind = preprocessor.kind
            keys += [
                (PreprocessKind.key, .string(kind.name)),
                (PreprocessKind.coefficientsKey, .array(.float32(preprocessor.coefficients))),
                (PreprocessKind.inputSizeKey, .uint32(UInt32(kind.inputSize))),
                (PreprocessKind.outputSizeKey, .uint32(UInt32(kind.outputSize))),
                (PreprocessKind.inputNamesKey, .array(.string(data.rawChannelNames))),
            ]
        }
        return keys
    }

    /// Two test examples (after the preprocessor, before normalisation).
    public static func selfTestInputs(_ settings: TrainSettings, data: Data) -> [SelfTestInput] {
        (0..<min(2, data.split.test.count)).map { .frames(Array(data.split.test.frames(of: $0))) }
    }
}
