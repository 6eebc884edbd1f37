import Foundation
import RecurRuntime

/// The generated regressor tasks (sine, adding): equal-length sequences, the target after the
/// last step, one result per sequence.
public protocol SequenceRegressionTask: TrainTask where Data == TaskData {
    /// The score's name: `mse` or `mae`.
    static var metricName: String { get }
    /// The score of a `RegressionScore`-like pair (mse, mae).
    static func pick(mse: Double, mae: Double) -> Double
}

extension SequenceRegressionTask {
    public static func summary(of data: TaskData, settings: TrainSettings) -> [String] {
        ["data: \(data.train.count) train, \(data.validation.count) validation, \(data.test.count) test sequences "
            + "of \(data.train.steps) steps"]
    }

    public static func makeSpec(_ settings: TrainSettings, data: TaskData) throws -> ModelSpec {
        ModelSpec(input: .frames(size: data.train.features), layers: settings.recurrentLayers,
                  dropout: settings.dropout ?? 0, output: .regressor(outputs: data.train.outputs))
    }

    public static func fit(_ model: SequenceModel, data: TaskData, loop: TrainingLoop, resume: TrainingState?,
                           checkpoint: ((TrainingState) -> Void)?, observer: (TrainingEvent) -> Void) throws -> TrainingResult {
        try loop.fit(model, train: data.train.batch, validation: data.validation.batch, resume: resume,
                     checkpoint: checkpoint, observer: observer)
    }

    public static func trainerScore(_ model: SequenceModel, settings: TrainSettings, data: TaskData) throws -> TaskScore {
        let v = TrainingLoop.evaluate(model, on: data.test.batch, batchSize: settings.batchSize)
        let mae = v.weight > 0 ? v.metricSum / v.weight : 0
        return TaskScore(metricName: metricName, value: pick(mse: v.loss, mae: mae))
    }

    public static func runtimeScore(_ model: Model, settings: TrainSettings, data: TaskData) throws -> TaskScore {
        let score = try RuntimeEvaluation.regression(model, on: data.test)
        return TaskScore(metricName: metricName, value: pick(mse: score.mse, mae: score.mae))
    }

    public static func taskKeys(_ settings: TrainSettings, data: TaskData) -> [(String, GGUFValue)] {
        let train = data.train
        var keys: [(String, GGUFValue)] = [("recur.input.size", .uint32(UInt32(train.features)))]
        if data.inputNames.count == train.features { keys.append(("recur.input.names", .array(.string(data.inputNames)))) }
        // One result per sequence: a window of the sequence length, hopping by it.
        keys.append(("recur.window", .uint32(UInt32(train.steps))))
        keys.append(("recur.hop", .uint32(UInt32(train.steps))))
        keys.append(("recur.output.size", .uint32(UInt32(train.outputs))))
        return keys
    }

    /// Three test sequences.
    public static func selfTestInputs(_ settings: TrainSettings, data: TaskData) -> [SelfTestInput] {
        (0..<min(3, data.test.count)).map { .frames(Array(data.test.frames(of: $0))) }
    }
}

/// `recur train sine`: next value of noisy sine waves (test MSE).
public enum SineTrainTask: SequenceRegressionTask {
    public static let metricName = "mse"
    public static func pick(mse: Double, mae: Double) -> Double { mse }

    public static func makeData(_ settings: TrainSettings) throws -> TaskData {
        let defaults = SineTask()
        return SineTask(steps: settings.steps > 0 ? settings.steps : defaults.steps,
                        trainCount: settings.trainCount > 0 ? settings.trainCount : defaults.trainCount)
            .makeData(seed: settings.seed)
    }
}

/// `recur train adding`: the adding problem (test MAE).
public enum AddingTrainTask: SequenceRegressionTask {
    public static let metricName = "mae"
    public static func pick(mse: Double, mae: Double) -> Double { mae }

    public static func makeData(_ settings: TrainSettings) throws -> TaskData {
        let defaults = AddingTask(length: settings.length)
        return AddingTask(length: settings.length,
                          trainCount: settings.trainCount > 0 ? settings.trainCount : defaults.trainCount)
            .makeData(seed: settings.seed)
    }
}

/// `recur train charlm`: a character language model (held-out bits per character).
public enum CharLMTrainTask: TrainTask {
    public static func makeData(_ settings: TrainSettings) throws -> TaskData {
        guard let text = settings.text else { throw SettingsError("charlm needs --text FILE (a UTF-8 text)") }
        return try CharLMTask(steps: settings.steps > 0 ? settings.steps : 100, minCount: settings.minCount,
                              maxCharacters: settings.maxCharacters).makeData(path: text)
    }

    public static func summary(of data: TaskData, settings: TrainSettings) -> [String] {
        ["data: \(data.train.stream.count) train, \(data.validation.stream.count) validation, "
            + "\(data.test.stream.count) test characters; \(data.vocabulary?.count ?? data.train.outputs) symbols"]
    }

    public static func makeSpec(_ settings: TrainSettings, data: TaskData) throws -> ModelSpec {
        let vocabulary = data.vocabulary?.count ?? data.train.outputs
        return ModelSpec(input: .tokens(vocabulary: vocabulary, embedding: settings.embedding), layers: settings.recurrentLayers,
                         dropout: settings.dropout ?? 0, output: .lm(vocabulary: vocabulary))
    }

    public static func fit(_ model: SequenceModel, data: TaskData, loop: TrainingLoop, resume: TrainingState?,
                           checkpoint: ((TrainingState) -> Void)?, observer: (TrainingEvent) -> Void) throws -> TrainingResult {
        try loop.fitStream(model, stream: data.train.stream, validation: data.validation.stream, resume: resume,
                           checkpoint: checkpoint, observer: observer)
    }

    /// Windows of `steps` with the state carried along, as the stream was trained.
    public static func trainerScore(_ model: SequenceModel, settings: TrainSettings, data: TaskData) throws -> TaskScore {
        let chunks = TrainingLoop.streamBatches(data.test.stream, streams: 1, steps: max(1, settings.steps))
        return TaskScore(metricName: "bits/char", value: TrainingLoop.evaluateStream(model, batches: chunks).loss / M_LN2)
    }

    public static func runtimeScore(_ model: Model, settings: TrainSettings, data: TaskData) throws -> TaskScore {
        TaskScore(metricName: "bits/char", value: try RuntimeEvaluation.bitsPerToken(model, stream: data.test.stream))
    }

    public static func taskKeys(_ settings: TrainSettings, data: TaskData) -> [(String, GGUFValue)] {
        guard let vocabulary = data.vocabulary else { return [] }
        return [("recur.vocab", .array(.string(vocabulary.tokens))),
                ("recur.tokenizer", .string("char")),
                ("recur.token.unk", .uint32(UInt32(vocabulary.unknown)))]
    }

    /// Two 32-token pieces of the test text.
    public static func selfTestInputs(_ settings: TrainSettings, data: TaskData) -> [SelfTestInput] {
        let stream = data.test.stream
        return stride(from: 0, to: min(64, stream.count), by: 32).map { .tokens(Array(stream[$0..<min($0 + 32, stream.count)])) }
    }
}

extension TrainSettings {
    /// The recurrent stack: `layers` × `cell` of `hidden` units.
    public var recurrentLayers: [ModelSpec.Layer] {
        let kind = ModelSpec.Cell(option: cell) ?? .rnnTanh  // validate() refused any other word
        return Array(repeating: ModelSpec.Layer(cell: kind, hidden: hidden), count: layers)
    }
}
