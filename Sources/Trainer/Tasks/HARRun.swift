import Foundation
import RecurRuntime

/// What `recur har train` was asked to do.
public struct HARRunSettings: Sendable, Equatable {
    /// The HAPT (or UCI HAR) folder.
    public var data: String
    /// Where the int8 model goes.
    public var out: String
    /// Also write the f32 twin (`<out without .rnnz>.f32.rnnz`).
    public var writeF32 = true
    public var classes: HARClassSet = .basic
    /// Derived channels computed in the stream (gravity split) or the six raw values.
    public var gravitySplit = true
    public var cell: ModelSpec.Cell = .lstm
    public var hidden = 32
    public var layers = 1
    public var dropout: Float = 0
    /// `recur har train --schedule`: constant, or `TaskRunner.cosineSchedule`.
    public var schedule: LearningRateSchedule = .constant
    public var epochs = 30
    public var batchSize = 32
    public var learningRate: Float = 0.003
    public var seed: UInt64 = 1
    public var threads = 1
    /// Epochs without a better validation loss before stopping (0: never).
    public var patience = 8
    /// Timesteps between results when the file streams (`recur.hop`).
    public var hop = 64

    public init(data: String, out: String) {
        self.data = data
        self.out = out
    }

    /// `model.rnnz` → `model.f32.rnnz`.
    public var f32Path: String {
        out.hasSuffix(".rnnz") ? String(out.dropLast(5)) + ".f32.rnnz" : out + ".f32.rnnz"
    }

    /// The features these settings train on.
    public var features: HARFeatures { gravitySplit ? .gravitySplitButterworth : .raw }
}

/// The figures of a `recur har train` run.
public struct HARRunReport {
    public var trainWindows: Int
    public var validationWindows: Int
    public var testWindows: Int
    public var parameterCount: Int
    public var epochsRun: Int
    public var bestEpoch: Int
    public var trainingSeconds: Double
    /// The trainer's f32 model on the validation subjects (model choice).
    public var validation: HARMetrics
    /// The trainer's f32 model on the test subjects (the trainer column of `--report`).
    public var trainerTest: HARMetrics
    /// The exported f32 twin through the Runtime on the test subjects (nil without the twin).
    public var runtimeF32: HARMetrics?
    /// The exported int8 file through the Runtime on the test subjects.
    public var runtimeInt8: HARMetrics
    public var int8Bytes: Int
    public var f32Bytes: Int?
    public var quantization: [QuantizationReportLine]
    /// Every epoch's losses and accuracy, learning rate and time (`--report`).
    public var history: [EpochSummary]
    /// The whole run: data, training, export and scoring.
    public var seconds: Double
}

/// Train → export → score through the Runtime, for HAR (the CLI's `recur har train|eval`).
public enum HARRun {
    /// Loads the data, trains, writes the int8 file (and the f32 twin), and scores both files
    /// through the Runtime on the test subjects.
    public static func train(_ settings: HARRunSettings, progress: Progress) throws -> HARRunReport {
        let started = Date()
        let features = settings.features
        let split = try HARDataset.load(
            directory: settings.data, options: HARWindowOptions(classes: settings.classes, features: features))
        progress.message("windows: train \(split.train.count) (subjects \(split.train.subjectIDs.map(String.init).joined(separator: " "))), "
            + "validation \(split.validation.count) (subjects \(split.validation.subjectIDs.map(String.init).joined(separator: " "))), "
            + "test \(split.test.count)")
        var options = TrainOptions()
        options.epochs = settings.epochs
        options.batchSize = settings.batchSize
        options.learningRate = settings.learningRate
        options.schedule = settings.schedule
        options.seed = settings.seed
        options.threads = settings.threads
        options.patience = settings.patience > 0 ? settings.patience : nil
        let observer = ProgressObserver(progress: progress, metricName: "accuracy", bitsPerToken: false)
        let trainStarted = Date()
        let trained = try HARTask.train(
            split: split, features: features,
            layers: Array(repeating: ModelSpec.Layer(cell: settings.cell, hidden: settings.hidden), count: settings.layers),
            dropout: settings.dropout, seed: settings.seed, options: options, observer: observer.handle)
        let seconds = Date().timeIntervalSince(trainStarted)
        let validation = HARTask.evaluate(trained, on: split.validation)
        let trainerTest = HARTask.evaluate(trained, on: split.test)

        let int8 = try trained.export(hop: settings.hop, quantized: true, selfTestWindows: split.test, to: settings.out)
        let runtimeInt8 = try HARRuntimeEvaluation.evaluate(int8.model, on: split.test).metrics
        var runtimeF32: HARMetrics? = nil
        var f32Bytes: Int? = nil
        if settings.writeF32 {
            let f32 = try trained.export(hop: settings.hop, quantized: false, selfTestWindows: split.test, to: settings.f32Path)
            runtimeF32 = try HARRuntimeEvaluation.evaluate(f32.model, on: split.test).metrics
            f32Bytes = f32.bytes.count
        }
        return HARRunReport(
            trainWindows: split.train.count, validationWindows: split.validation.count, testWindows: split.test.count,
            parameterCount: trained.model.parameterCount, epochsRun: trained.result.history.count,
            bestEpoch: trained.result.bestEpoch, trainingSeconds: seconds, validation: validation, trainerTest: trainerTest,
            runtimeF32: runtimeF32, runtimeInt8: runtimeInt8, int8Bytes: int8.bytes.count, f32Bytes: f32Bytes,
            quantization: int8.quantization, history: trained.result.history, seconds: Date().timeIntervalSince(started))
    }

    /// Scores a HAR file through the Runtime on the test subjects of `data`, cutting the
    /// windows as the file says: its window, its classes (6 or 12) and its preprocessor.
    ///
    /// - Returns: the metrics, the timesteps run (windows × window) and the seconds the Runtime
    ///   took for them (sessions, steps and heads; not the data loading).
    public static func evaluate(modelPath: String, data: String) throws -> (metrics: HARMetrics, steps: Int, seconds: Double) {
        let file = try ModelFile.load(modelPath)
        let model = try Model(file: file)
        let features: HARFeatures
        if let preprocessor = try StreamPreprocessor.fromMetadata(of: file) {
            features = .gravitySplit(coefficients: preprocessor.coefficients)
        } else {
            features = .raw
        }
        guard let classes = HARClassSet.allCases.first(where: { $0.classNames == model.labels }) else {
            throw HARDataError.unsupported("\(modelPath): recur.labels \(model.labels) are neither HAR class set")
        }
        let split = try HARDataset.load(
            directory: data, options: HARWindowOptions(window: model.window, classes: classes, features: features))
        let started = Date()
        let metrics = try HARRuntimeEvaluation.evaluate(model, on: split.test).metrics
        return (metrics, split.test.count * split.test.window, Date().timeIntervalSince(started))
    }
}
