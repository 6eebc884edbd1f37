import Foundation
import RecurRuntime

/// One `recur train <task>` run: data, network, training with progress and per-epoch checkpoints,
/// held-out scores, int8 export (and the f32 twin), and the scores of both exported files as the
/// Runtime computes them.
public struct TaskRunner {
    public var settings: TrainSettings
    public var progress: Progress
    /// Ends the run after this many epochs in total, as if it had been interrupted right after
    /// that epoch's checkpoint (tests of `--resume`); nil runs to `settings.epochs`.
    public var stopAfterEpochs: Int?

    public init(settings: TrainSettings, progress: Progress, stopAfterEpochs: Int? = nil) {
        self.settings = settings
        self.progress = progress
        self.stopAfterEpochs = stopAfterEpochs
    }

    /// Everything a finished run measured.
    public struct Report: Sendable {
        /// `mse` (sine), `mae` (adding), `bits/char` (charlm), `accuracy` (classifiers).
        public var metricName: String
        /// Lines describing the data and its split.
        public var dataSummary: [String]
        /// The trainer's own f32 forward pass on the test split.
        public var trainer: TaskScore
        /// The exported f32 and int8 files, run through the Runtime on the test split.
        public var f32: TaskScore
        public var int8: TaskScore
        public var quantization: [QuantizationReportLine]
        public var int8Bytes: Int
        public var f32Bytes: Int
        public var selfTests: Int
        public var parameterCount: Int
        /// The whole history (with a resumed run's earlier epochs) and the epoch the model holds.
        public var history: [EpochSummary]
        public var bestEpoch: Int
        /// Epochs run by this process and the epoch it started at.
        public var epochsRun: Int
        public var resumedAt: Int
        public var seconds: Double

        public var trainerMetric: Double { trainer.value }
        public var f32Metric: Double { f32.value }
        public var int8Metric: Double { int8.value }
    }

    /// Trains (or resumes, when `resume` and a checkpoint exist) and exports.
    ///
    /// - Throws: `SettingsError`, data errors, `TrainerError`, `CheckpointError`,
    ///   export and Runtime errors — each naming what was wrong.
    public func run(resume: Bool = false) throws -> Report {
        let started = Date()
        var settings = settings
        var state: TrainingState? = nil
        if resume {
            guard let directory = settings.checkpointDirectory else {
                throw SettingsError("--resume needs --checkpoint DIR (the directory of the interrupted run)")
            }
            let checkpoint = try Checkpoint.load(from: directory)
            if checkpoint.settings.task != settings.task {
                throw SettingsError("--resume: the checkpoint in \(directory) was made by `recur train "
                    + "\(checkpoint.settings.task.rawValue)`, not \(settings.task.rawValue)")
            }
            settings = checkpoint.settings.resumed(with: settings)
            state = checkpoint.state
            progress.message("resuming \(settings.task.rawValue) from \(directory) after epoch \(checkpoint.state.nextEpoch)")
        }
        try settings.validate()
        // Fail before hours of training, not after: the output directories must exist.
        if let problem = TaskRunner.missingOutputDirectory([settings.out] + (settings.writeF32 ? [settings.f32Path] : [])) {
            throw SettingsError(problem)
        }
        return try run(settings.task.implementation, settings: settings, state: state, started: started)
    }

    /// The generic run for one task type.
    private func run<Task: TrainTask>(_ task: Task.Type, settings: TrainSettings, state: TrainingState?,
                                      started: Date) throws -> Report {
        let data = try Task.makeData(settings)
        let summary = Task.summary(of: data, settings: settings)
        for line in summary { progress.message(line) }
        let spec = try Task.makeSpec(settings, data: data)
        let model = try SequenceModel(spec: spec, seed: settings.seed)
        var options = TrainOptions()
        options.epochs = min(settings.epochs, stopAfterEpochs ?? settings.epochs)
        options.batchSize = settings.batchSize
        options.learningRate = settings.learningRate
        options.seed = settings.seed
        options.threads = settings.threads
        options.patience = settings.patience > 0 ? settings.patience : nil
        options.bpttSteps = max(1, settings.steps)
        if settings.schedule == "cosine" { options.schedule = TaskRunner.cosineSchedule }
        if let state, state.nextEpoch >= options.epochs {
            progress.message("the checkpoint has already finished all \(options.epochs) epochs; exporting its model")
        }
        let loop = try TrainingLoop(options: options)
        var checkpointError: Error? = nil
        let saveCheckpoint: ((TrainingState) -> Void)? = settings.checkpointDirectory.map { directory in
            { state in
                do { try Checkpoint(settings: settings, spec: spec, state: state).save(in: directory) } catch {
                    if checkpointError == nil { checkpointError = error }
                }
            }
        }
        let isLM = if case .lm = spec.output { true } else { false }
        let observer = ProgressObserver(progress: progress, metricName: model.metricName, bitsPerToken: isLM)
        let result = try Task.fit(model, data: data, loop: loop, resume: state, checkpoint: saveCheckpoint,
                                  observer: observer.handle)
        if let checkpointError { throw checkpointError }

        let trainer = try Task.trainerScore(model, settings: settings, data: data)
        let keys = Task.taskKeys(settings, data: data) + [(TaskRunner.settingsKey, .string(TaskRunner.settingsJSON(settings)))]
        let exportModel = ExportModel(name: "\(settings.modelName)-\(settings.cell)", model: model, taskKeys: keys)
        let inputs = Task.selfTestInputs(settings, data: data)
        let f32 = try Exporter.export(exportModel, quantized: false, selfTestInputs: inputs,
                                      to: settings.writeF32 ? settings.f32Path : nil)
        let int8 = try Exporter.export(exportModel, quantized: true, selfTestInputs: inputs, to: settings.out)
        return Report(metricName: trainer.metricName, dataSummary: summary, trainer: trainer,
                      f32: try Task.runtimeScore(f32.model, settings: settings, data: data),
                      int8: try Task.runtimeScore(int8.model, settings: settings, data: data),
                      quantization: int8.quantization, int8Bytes: int8.bytes.count, f32Bytes: f32.bytes.count,
                      selfTests: int8.selfTests, parameterCount: model.parameterCount, history: result.history,
                      bestEpoch: result.bestEpoch, epochsRun: observer.epochsRun, resumedAt: state?.nextEpoch ?? 0,
                      seconds: Date().timeIntervalSince(started))
    }

    /// An exported model's score on the test split its settings rebuild (`recur eval`).
    public static func evaluate(_ model: Model, settings: TrainSettings) throws -> (score: TaskScore, summary: [String]) {
        try evaluate(settings.task.implementation, model: model, settings: settings)
    }

    private static func evaluate<Task: TrainTask>(_ task: Task.Type, model: Model, settings: TrainSettings)
        throws -> (score: TaskScore, summary: [String])
    {
        let data = try Task.makeData(settings)
        return (try Task.runtimeScore(model, settings: settings, data: data), Task.summary(of: data, settings: settings))
    }

    // MARK: Pieces (shared with `recur eval`)

    /// "-o PATH: the directory D does not exist" for the first of `paths` whose directory is
    /// missing (nil when all exist): checked before training, not after hours of it.
    static func missingOutputDirectory(_ paths: [String]) -> String? {
        for path in paths {
            let directory = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !directory.isEmpty
                && !(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue) {
                return "-o \(path): the directory \(directory) does not exist"
            }
        }
        return nil
    }

    /// `--schedule cosine`: 100 updates of warmup, then the rate decays to 5 % of `--lr` by the
    /// last update of the last epoch.
    public static let cosineSchedule = LearningRateSchedule.cosine(warmup: 100, minimumFraction: 0.05)

    /// The key under which the run's settings travel in the model file (for `recur eval`).
    public static let settingsKey = "recur.train.settings"

    /// The settings as sorted-key JSON, without what does not shape the model: where files went
    /// (a resumed run writing elsewhere must give the same bytes).
    static func settingsJSON(_ settings: TrainSettings) -> String {
        var stored = settings
        stored.checkpointDirectory = nil
        stored.out = ""
        stored.writeF32 = false
        return sortedJSON(stored)
    }

    /// `value` as JSON with sorted keys (the same value always gives the same bytes); "{}" when
    /// it cannot be encoded.
    static func sortedJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(value), let text = String(data: json, encoding: .utf8) else { return "{}" }
        return text
    }
}
