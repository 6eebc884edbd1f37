import Foundation
import RecurRuntime

/// One `recur train <task>`: everything `TaskRunner` needs to know about a task. Adding a task is
/// one type conforming to this protocol (plus a case of `TrainSettings.TaskName` and its CLI
/// subcommand); data loading, the network, training with checkpoints and resume, export and the
/// scores of the exported files through the Runtime are the generic run's (`TaskRunner.run`).
public protocol TrainTask {
    /// The task's data, split three ways (train, validation, test).
    associatedtype Data

    /// The data from the settings (the same settings and seed give the same splits).
    static func makeData(_ settings: TrainSettings) throws -> Data
    /// Lines describing the data (sizes, the split): printed before training.
    static func summary(of data: Data, settings: TrainSettings) -> [String]
    /// The network the settings ask for, sized to the data.
    static func makeSpec(_ settings: TrainSettings, data: Data) throws -> ModelSpec
    /// Trains `model` with `loop` on the training split, validating on the validation split.
    static func fit(_ model: SequenceModel, data: Data, loop: TrainingLoop, resume: TrainingState?,
                    checkpoint: ((TrainingState) -> Void)?, observer: (TrainingEvent) -> Void) throws -> TrainingResult
    /// The trainer's own f32 score on the test split.
    static func trainerScore(_ model: SequenceModel, settings: TrainSettings, data: Data) throws -> TaskScore
    /// An exported file's score on the test split, computed by the Runtime.
    static func runtimeScore(_ model: Model, settings: TrainSettings, data: Data) throws -> TaskScore
    /// The file's FORMAT.md task keys (input size and names, windows, labels, normalisation…).
    static func taskKeys(_ settings: TrainSettings, data: Data) -> [(String, GGUFValue)]
    /// A few test inputs whose outputs the file embeds as self-tests.
    static func selfTestInputs(_ settings: TrainSettings, data: Data) -> [SelfTestInput]
}

/// A held-out score: one number (lower is better except for accuracy), and for classifiers the
/// confusion matrix with per-class precision, recall and F1.
public struct TaskScore: Sendable {
    /// `mse`, `mae`, `bits/char` or `accuracy`.
    public var metricName: String
    public var value: Double
    public var classification: HARMetrics?
    /// A second figure to print with the first (a regressor's MAE).
    public var detail: String?

    public init(metricName: String, value: Double, classification: HARMetrics? = nil, detail: String? = nil) {
        self.metricName = metricName
        self.value = value
        self.classification = classification
        self.detail = detail
    }

    /// A classifier's accuracy with its confusion matrix.
    public init(classification: HARMetrics) {
        self.init(metricName: "accuracy", value: classification.accuracy, classification: classification)
    }
}

extension TrainSettings.TaskName {
    /// The type that implements the task.
    public var implementation: any TrainTask.Type {
        switch self {
        case .sine: SineTrainTask.self
        case .adding: AddingTrainTask.self
        case .charlm: CharLMTrainTask.self
        case .frames: FramesTrainTask.self
        case .textclass: TextClassTrainTask.self
        }
    }
}
