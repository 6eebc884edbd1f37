/// Human activity recognition: windows of IMU frames → a recurrent classifier.
///
/// The network sees each window normalized per channel, `(x − mean) / std` with the
/// training windows' statistics (the file's `recur.input.mean` / `recur.input.std`), after
/// the optional in-stream preprocessor (`HARFeatures`), and starts every window from a zero
/// state, as the runtime's windowed classifier does. Early stopping follows the validation
/// subjects' loss; the test subjects are only scored by `evaluate`.
public enum HARTask {
    /// Per-channel mean and std of the training windows (std 1 for a constant channel).
    public static func normalization(of train: HARWindowSet) -> (mean: [Float], std: [Float]) {
        train.channelStatistics()
    }

    /// The windows as a classifier batch, each value normalized: `(x − mean_c) / std_c`.
    ///
    /// - Returns: a `Batch` of `set.count` sequences of `set.window` steps, frames (B, T, C).
    public static func batch(_ set: HARWindowSet, mean: [Float], std: [Float]) -> Batch {
        precondition(mean.count == set.channels && std.count == set.channels, "one mean and std per channel")
        let channels = set.channels
        var frames = set.frames  // (count, window, channels)
        // x' = (x − mean) / std, one subtraction and one division per value as in the runtime
        for index in 0..<frames.count {
            let channel = index % channels
            frames[index] = (frames[index] - mean[channel]) / std[channel]
        }
        return Batch(count: set.count, steps: set.window, inputs: .frames(frames, features: channels),
                     targets: .classes(set.labels.map { Int32($0) }))
    }

    /// Builds a model for these windows and trains it.
    ///
    /// - Parameters:
    ///   - split: windows from `HARDataset.load`; `validation` must not be empty.
    ///   - features: the features the split was cut with (recorded in the file).
    ///   - layers: the recurrent stack (e.g. one LSTM of 48).
    ///   - dropout: dropout after each recurrent layer during training.
    ///   - seed: the model's initial parameters.
    ///   - options: epochs, batch size, learning rate, patience… (`TrainingLoop`).
    /// - Returns: the trained model (holding its best validation epoch) and its history.
    public static func train(
        split: HARSplit, features: HARFeatures, layers: [ModelSpec.Layer], dropout: Float = 0, seed: UInt64,
        options: TrainOptions, observer: (TrainingEvent) -> Void = { _ in }
    ) throws(TrainerError) -> HARTrainedModel {
        guard split.train.channels == features.channels else {
            throw .invalidBatch("the windows have \(split.train.channels) channels, the features \(features.channels)")
        }
        guard split.train.count > 0 else { throw .invalidBatch("no training windows") }
        guard split.validation.count > 0 else { throw .invalidBatch("no validation windows (validation subjects have none)") }
        let (mean, std) = normalization(of: split.train)
        let spec = ModelSpec(
            input: .frames(size: split.train.channels), layers: layers, dropout: dropout,
            output: .classifier(classes: split.train.classNames.count))
        let model = try SequenceModel(spec: spec, seed: seed)
        let loop = try TrainingLoop(options: options)
        let result = try loop.fit(
            model, train: batch(split.train, mean: mean, std: std),
            validation: batch(split.validation, mean: mean, std: std), observer: observer)
        return HARTrainedModel(
            model: model, features: features, mean: mean, std: std, classNames: split.train.classNames,
            window: split.train.window, result: result)
    }

    /// The most probable class of every window (f32, no dropout), in batches of `batchSize`.
    public static func predict(_ model: SequenceModel, _ batch: Batch, batchSize: Int = 256) -> [Int] {
        let classes = model.spec.output.size
        var predicted: [Int] = []
        predicted.reserveCapacity(batch.count)
        var start = 0
        while start < batch.count {
            let end = min(start + batchSize, batch.count)
            let part = batch.select(start..<end)
            let probabilities = model.predict(part.inputs, count: part.count, steps: part.steps)  // (B, C)
            for row in 0..<part.count {
                var best = 0
                for k in 1..<classes where probabilities[row * classes + k] > probabilities[row * classes + best] {
                    best = k
                }
                predicted.append(best)
            }
            start = end
        }
        return predicted
    }

    /// Scores a trained model on a set of windows (normalized with the model's statistics).
    public static func evaluate(_ trained: HARTrainedModel, on set: HARWindowSet, model: SequenceModel? = nil) -> HARMetrics {
        let predicted = predict(model ?? trained.model, batch(set, mean: trained.mean, std: trained.std))
        return HARMetrics(predicted: predicted, actual: set.labels, classNames: set.classNames)
    }

    /// A copy of `model` whose weight matrices are replaced by their per-row int8 round trip
    /// (`Quantize.rows` then `dequantize`); biases stay f32, as in the file.
    ///
    /// This estimates the int8 file's accuracy from the Trainer alone. It does not model the
    /// runtime's per-vector quantization of activations; the runtime's own figure comes from
    /// running the exported file.
    public static func weightQuantizedCopy(of model: SequenceModel) throws(TrainerError) -> SequenceModel {
        let copy = try SequenceModel(spec: model.spec, seed: 0)
        var values: [[Float]] = []
        for parameter in model.parameters {
            if parameter.isVector {
                values.append(parameter.value)
            } else {
                values.append(Quantize.dequantize(Quantize.rows(parameter.value, rows: parameter.rows, cols: parameter.cols)))
            }
        }
        try copy.restore(values)
        return copy
    }
}

/// A trained HAR classifier with what the runtime needs to feed it.
public struct HARTrainedModel {
    /// The network, holding its best validation epoch.
    public let model: SequenceModel
    /// What the runtime computes from the six raw values before normalizing.
    public let features: HARFeatures
    /// Per-channel input mean (`recur.input.mean`), after the preprocessor.
    public let mean: [Float]
    /// Per-channel input std (`recur.input.std`).
    public let std: [Float]
    /// Class names (`recur.labels`).
    public let classNames: [String]
    /// Timesteps per window.
    public let window: Int
    /// The training history.
    public let result: TrainingResult
}
