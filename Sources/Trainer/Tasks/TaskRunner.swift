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
        /// `mse` (sine), `mae` (adding), `bits/char` (charlm): lower is better.
        public var metricName: String
        /// The trainer's own f32 forward pass on the test split.
        public var trainerMetric: Double
        /// The exported f32 and int8 files, run through the Runtime on the test split.
        public var f32Metric: Double
        public var int8Metric: Double
        public var quantization: [QuantizationReportLine]
        public var int8Bytes: Int
        public var f32Bytes: Int
        public var selfTests: Int
        /// Epochs run by this process and the epoch it started at.
        public var epochsRun: Int
        public var resumedAt: Int
        public var seconds: Double
        /// Every epoch (those before a resume included) and the 0-based epoch that was exported.
        public var history: [EpochSummary]
        public var bestEpoch: Int
    }

    /// Trains (or resumes, when `resume` and a checkpoint exist) and exports.
    ///
    /// - Throws: `SettingsError`, `TaskError` (data), `TrainerError`, `CheckpointError`,
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
        let data = try TaskRunner.makeData(settings)
        let spec = try TaskRunner.makeSpec(settings, data: data)
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
        let observer = ProgressObserver(progress: progress, metricName: model.metricName, bitsPerToken: settings.task == .charlm)
        let result: TrainingResult
        switch settings.task {
        case .sine, .adding:
            result = try loop.fit(model, train: data.train.batch, validation: data.validation.batch, resume: state,
                         checkpoint: saveCheckpoint, observer: observer.handle)
        case .charlm:
            result = try loop.fitStream(model, stream: data.train.stream, validation: data.validation.stream, resume: state,
                               checkpoint: saveCheckpoint, observer: observer.handle)
        }
        if let checkpointError { throw checkpointError }

        let trainerMetric = TaskRunner.trainerMetric(model, settings: settings, test: data.test, batchSize: settings.batchSize)
        let exportModel = ExportModel(name: "\(settings.task.rawValue)-\(settings.cell)",
                                      model: model, taskKeys: TaskRunner.taskKeys(settings, data: data))
        let inputs = TaskRunner.selfTestInputs(settings, test: data.test)
        let f32 = try Exporter.export(exportModel, quantized: false, selfTestInputs: inputs,
                                      to: settings.writeF32 ? settings.f32Path : nil)
        let int8 = try Exporter.export(exportModel, quantized: true, selfTestInputs: inputs, to: settings.out)
        return Report(metricName: TaskRunner.metricName(settings.task), trainerMetric: trainerMetric,
                      f32Metric: try TaskRunner.runtimeMetric(f32.model, task: settings.task, test: data.test),
                      int8Metric: try TaskRunner.runtimeMetric(int8.model, task: settings.task, test: data.test),
                      quantization: int8.quantization, int8Bytes: int8.bytes.count, f32Bytes: f32.bytes.count,
                      selfTests: int8.selfTests, epochsRun: observer.epochsRun, resumedAt: state?.nextEpoch ?? 0,
                      seconds: Date().timeIntervalSince(started), history: result.history, bestEpoch: result.bestEpoch)
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

    /// The held-out metric's name: lower is better for all three.
    public static func metricName(_ task: TrainSettings.TaskName) -> String {
        switch task {
        case .sine: "mse"
        case .adding: "mae"
        case .charlm: "bits/char"
        }
    }

    /// The task's data from its settings (the same seed gives the same splits).
    public static func makeData(_ settings: TrainSettings) throws -> TaskData {
        switch settings.task {
        case .sine:
            let defaults = SineTask()
            return SineTask(steps: settings.steps > 0 ? settings.steps : defaults.steps,
                            trainCount: settings.trainCount > 0 ? settings.trainCount : defaults.trainCount)
                .makeData(seed: settings.seed)
        case .adding:
            let defaults = AddingTask(length: settings.length)
            return AddingTask(length: settings.length,
                              trainCount: settings.trainCount > 0 ? settings.trainCount : defaults.trainCount)
                .makeData(seed: settings.seed)
        case .charlm:
            guard let text = settings.text else { throw SettingsError("charlm needs --text FILE (a UTF-8 text)") }
            return try CharLMTask(steps: settings.steps > 0 ? settings.steps : 100, minCount: settings.minCount,
                                  maxCharacters: settings.maxCharacters).makeData(path: text)
        }
    }

    /// The network the settings ask for, sized to the data.
    public static func makeSpec(_ settings: TrainSettings, data: TaskData) throws -> ModelSpec {
        let cell = ModelSpec.Cell(option: settings.cell) ?? .rnnTanh  // validate() refused any other word
        let layers = Array(repeating: ModelSpec.Layer(cell: cell, hidden: settings.hidden), count: settings.layers)
        let dropout = settings.dropout ?? 0
        switch settings.task {
        case .sine, .adding:
            return ModelSpec(input: .frames(size: data.train.features), layers: layers, dropout: dropout,
                             output: .regressor(outputs: data.train.outputs))
        case .charlm:
            let vocabulary = data.vocabulary?.count ?? data.train.outputs
            return ModelSpec(input: .tokens(vocabulary: vocabulary, embedding: settings.embedding), layers: layers,
                             dropout: dropout, output: .lm(vocabulary: vocabulary))
        }
    }

    /// The trainer's f32 score on the test split: MSE, MAE, or bits per character (windows of
    /// `steps` with the state carried along, as the stream was trained).
    static func trainerMetric(_ model: SequenceModel, settings: TrainSettings, test: TaskDataset, batchSize: Int) -> Double {
        switch settings.task {
        case .sine:
            return TrainingLoop.evaluate(model, on: test.batch, batchSize: batchSize).loss
        case .adding:
            let v = TrainingLoop.evaluate(model, on: test.batch, batchSize: batchSize)
            return v.weight > 0 ? v.metricSum / v.weight : 0
        case .charlm:
            let chunks = TrainingLoop.streamBatches(test.stream, streams: 1, steps: max(1, settings.steps))
            return TrainingLoop.evaluateStream(model, batches: chunks).loss / M_LN2
        }
    }

    /// The Runtime's score of an exported model on the test split.
    public static func runtimeMetric(_ model: Model, task: TrainSettings.TaskName, test: TaskDataset) throws -> Double {
        switch task {
        case .sine: try RuntimeEvaluation.regression(model, on: test).mse
        case .adding: try RuntimeEvaluation.regression(model, on: test).mae
        case .charlm: try RuntimeEvaluation.bitsPerToken(model, stream: test.stream)
        }
    }

    /// The key under which the run's settings travel in the model file (for `recur eval`).
    public static let settingsKey = "recur.train.settings"

    /// FORMAT.md task keys, plus the run's settings as JSON.
    static func taskKeys(_ settings: TrainSettings, data: TaskData) -> [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = []
        switch settings.task {
        case .sine, .adding:
            let train = data.train
            keys.append(("recur.input.size", .uint32(UInt32(train.features))))
            if data.inputNames.count == train.features { keys.append(("recur.input.names", .array(.string(data.inputNames)))) }
            // One result per sequence: a window of the sequence length, hopping by it.
            keys.append(("recur.window", .uint32(UInt32(train.steps))))
            keys.append(("recur.hop", .uint32(UInt32(train.steps))))
            keys.append(("recur.output.size", .uint32(UInt32(train.outputs))))
        case .charlm:
            if let vocabulary = data.vocabulary {
                keys.append(("recur.vocab", .array(.string(vocabulary.tokens))))
                keys.append(("recur.tokenizer", .string("char")))
                keys.append(("recur.token.unk", .uint32(UInt32(vocabulary.unknown))))
            }
        }
        // Only what shapes the model: where files went does not belong in it (a resumed run
        // writing elsewhere must give the same bytes). Sorted keys: the same text every time.
        var stored = settings
        stored.checkpointDirectory = nil
        stored.out = ""
        stored.writeF32 = false
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let json = try? encoder.encode(stored), let text = String(data: json, encoding: .utf8) {
            keys.append((settingsKey, .string(text)))
        }
        return keys
    }

    /// Three test sequences (frame tasks) or two 32-token pieces of the test text (charlm).
    static func selfTestInputs(_ settings: TrainSettings, test: TaskDataset) -> [SelfTestInput] {
        switch settings.task {
        case .sine, .adding:
            return (0..<min(3, test.count)).map { .frames(Array(test.frames(of: $0))) }
        case .charlm:
            let stream = test.stream
            return stride(from: 0, to: min(64, stream.count), by: 32).map { .tokens(Array(stream[$0..<min($0 + 32, stream.count)])) }
        }
    }
}
