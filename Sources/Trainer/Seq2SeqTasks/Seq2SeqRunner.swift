import Foundation
import RecurRuntime

/// One `recur train addition|translate` run: data, network, training with progress and per-epoch
/// checkpoints, the trainer's greedy and beam scores on the test split, int8 export (and the f32
/// twin) with Seq2SeqExporter.
public struct Seq2SeqRunner {
    public var settings: Seq2SeqSettings
    public var progress: Progress
    /// Ends the run after this many epochs in total, as if interrupted after that epoch's checkpoint.
    public var stopAfterEpochs: Int?

    public init(settings: Seq2SeqSettings, progress: Progress, stopAfterEpochs: Int? = nil) {
        self.settings = settings
        self.progress = progress
        self.stopAfterEpochs = stopAfterEpochs
    }

    /// Greedy and beam scores of an exported file decoded by the Runtime, and its speed.
    public struct RuntimeScores: Sendable {
        public var greedy: Seq2SeqScores
        public var beam: Seq2SeqScores?
        /// Test sentences per second, greedy and beam, on this machine (one thread).
        public var greedyPerSecond: Double
        public var beamPerSecond: Double?
    }

    /// Everything a finished run measured.
    public struct Report: Sendable {
        public var settings: Seq2SeqSettings
        public var trainCount: Int, validationCount: Int, testCount: Int
        public var sourceVocabulary: Int, targetVocabulary: Int
        public var parameterCount: Int
        public var notes: [String]
        /// The trainer's f32 decoding of the test split.
        public var trainerGreedy: Seq2SeqScores
        /// nil when `beam` is 1.
        public var trainerBeam: Seq2SeqScores?
        /// The exported int8 file (and with `writeF32` the f32 file) decoded by the Runtime.
        public var runtimeInt8: RuntimeScores
        public var runtimeF32: RuntimeScores?
        public var int8Bytes: Int
        public var f32Bytes: Int
        public var epochsRun: Int
        public var resumedAt: Int
        public var bestEpoch: Int
        public var trainSeconds: Double
        public var seconds: Double
        /// Every epoch (those before a resume included): losses, token accuracy, rate, time.
        public var history: [EpochSummary]
        /// Per-weight error of the int8 file.
        public var quantization: [QuantizationReportLine]
    }

    /// Trains (or resumes, when `resume` and a checkpoint exist), scores and exports.
    ///
    /// - Throws: `Seq2SeqDataError` (options, data), `TrainerError`, `CheckpointError`, export errors.
    public func run(resume: Bool = false) throws -> Report {
        let started = Date()
        var settings = settings
        var state: TrainingState? = nil
        if resume {
            guard let directory = settings.checkpointDirectory else {
                throw Seq2SeqDataError("--resume needs --checkpoint DIR (the directory of the interrupted run)")
            }
            let checkpoint = try Seq2SeqCheckpoint.load(from: directory)
            if checkpoint.settings.task != settings.task {
                throw Seq2SeqDataError("--resume: the checkpoint in \(directory) was made by `recur train "
                    + "\(checkpoint.settings.task.rawValue)`, not \(settings.task.rawValue)")
            }
            // Data, network and training come from the checkpoint; where results go from this command.
            var resumed = checkpoint.settings
            resumed.out = settings.out
            resumed.writeF32 = settings.writeF32
            resumed.outputsDirectory = settings.outputsDirectory
            resumed.checkpointDirectory = settings.checkpointDirectory
            resumed.threads = settings.threads
            settings = resumed
            state = checkpoint.state
            progress.message("resuming \(settings.task.rawValue) from \(directory) after epoch \(checkpoint.state.nextEpoch)")
        }
        try settings.validate()
        try Self.checkDirectories(settings)
        let data = try Self.makeData(settings)
        for note in data.notes { progress.message(note) }
        let spec = try Self.makeSpec(settings, data: data)
        let model = try Seq2SeqModel(spec: spec, seed: settings.seed)
        let (bos, eos) = (data.targetVocabulary.bos ?? 1, data.targetVocabulary.eos ?? 2)
        var batchRandom = SeededRandom(seed: settings.seed ^ 0x5EED_BA7C)
        let train = Seq2SeqBucketing.batches(data.train, batchSize: settings.batchSize, bos: bos, eos: eos, random: &batchRandom)
        let validation = Seq2SeqBucketing.batches(data.validation, batchSize: settings.batchSize, bos: bos, eos: eos,
                                                  random: &batchRandom)

        var options = TrainOptions()
        options.epochs = min(settings.epochs, stopAfterEpochs ?? settings.epochs)
        options.batchSize = settings.batchSize
        options.learningRate = settings.learningRate
        options.seed = settings.seed
        options.threads = settings.threads
        options.patience = settings.patience > 0 ? settings.patience : nil
        let loop = try TrainingLoop(options: options)
        var checkpointError: Error? = nil
        let saveCheckpoint: ((TrainingState) -> Void)? = settings.checkpointDirectory.map { directory in
            { [settings] state in
                do { try Seq2SeqCheckpoint(settings: settings, spec: spec, state: state).save(in: directory) } catch {
                    if checkpointError == nil { checkpointError = error }
                }
            }
        }
        let observer = ProgressObserver(progress: progress, metricName: "token_accuracy", bitsPerToken: false)
        let trainStarted = Date()
        let result = try loop.fitSeq2Seq(model, train: train, validation: validation.isEmpty ? nil : validation,
                                         resume: state, checkpoint: saveCheckpoint, observer: observer.handle)
        if let checkpointError { throw checkpointError }
        let trainSeconds = Date().timeIntervalSince(trainStarted)

        progress.message("decoding \(data.test.count) test \(settings.task == .addition ? "questions" : "sentences")")
        let greedy = Self.decode(model, data: data, examples: data.test, beam: 1, alpha: settings.alpha)
        let greedyScores = Seq2SeqScores(outputs: greedy, examples: data.test, data: data)
        var beamScores: Seq2SeqScores? = nil
        if settings.beam > 1 {
            let beam = Self.decode(model, data: data, examples: data.test, beam: settings.beam, alpha: settings.alpha)
            beamScores = Seq2SeqScores(outputs: beam, examples: data.test, data: data)
        }
        if let directory = settings.outputsDirectory {
            try Self.writeOutputs(directory, data: data, greedy: greedyScores, beam: beamScores)
        }

        let name = settings.task == .addition ? "addition-\(settings.digits)" : "translate-\(settings.tokens.rawValue)"
        let keys = data.taskKeys + [(TaskRunner.settingsKey, .string(Self.settingsJSON(settings)))]
        let selfTests = data.test.prefix(3).map(\.source)
        let f32 = try Seq2SeqExporter.export(model, name: name, taskKeys: keys, quantized: false,
                                             selfTestSources: selfTests, to: settings.writeF32 ? settings.f32Path : nil)
        let int8 = try Seq2SeqExporter.export(model, name: name, taskKeys: keys, quantized: true,
                                              selfTestSources: selfTests, to: settings.out)
        // The int8 file's per-weight error (the exporter's encoding, without the self-tests).
        let quantization = Seq2SeqExporter.gguf(model, name: name, taskKeys: keys, quantized: true).report
        progress.message("decoding the test split with the Runtime (int8\(settings.writeF32 ? " and f32" : ""))")
        let runtimeInt8 = try Self.runtimeScores(int8.model, data: data, settings: settings)
        let runtimeF32 = settings.writeF32 ? try Self.runtimeScores(f32.model, data: data, settings: settings) : nil
        return Report(settings: settings, trainCount: data.train.count, validationCount: data.validation.count,
                      testCount: data.test.count, sourceVocabulary: data.sourceVocabulary.count,
                      targetVocabulary: data.targetVocabulary.count,
                      parameterCount: model.parameters.reduce(0) { $0 + $1.count }, notes: data.notes,
                      trainerGreedy: greedyScores, trainerBeam: beamScores,
                      runtimeInt8: runtimeInt8, runtimeF32: runtimeF32,
                      int8Bytes: int8.bytes.count, f32Bytes: f32.bytes.count, epochsRun: observer.epochsRun,
                      resumedAt: state?.nextEpoch ?? 0, bestEpoch: result.bestEpoch, trainSeconds: trainSeconds,
                      seconds: Date().timeIntervalSince(started), history: result.history, quantization: quantization)
    }

    // MARK: Pieces

    /// The task's data from its settings (the same seed gives the same splits).
    public static func makeData(_ settings: Seq2SeqSettings) throws -> Seq2SeqData {
        switch settings.task {
        case .addition:
            return try AdditionTask(digits: settings.digits, trainCount: settings.trainCount,
                                    validationCount: settings.validationCount, testCount: settings.testCount)
                .makeData(seed: settings.seed)
        case .translate:
            guard let pairs = settings.pairs else { throw Seq2SeqDataError("translate needs --pairs FILE") }
            return try TranslationTask(tokens: settings.tokens, lowercase: settings.lowercase, minCount: settings.minCount,
                                       maxLength: settings.maxLength, testCount: settings.testCount,
                                       validationCount: settings.validationCount, maxTrainPairs: settings.maxPairs)
                .makeData(path: pairs, seed: settings.seed)
        }
    }

    /// The network the settings ask for, sized to the data's vocabularies.
    public static func makeSpec(_ settings: Seq2SeqSettings, data: Seq2SeqData) throws -> Seq2SeqSpec {
        guard let cell = settings.modelCell else { throw Seq2SeqDataError("unknown --cell \(settings.cell)") }
        let decoderHidden = settings.hidden * (settings.bidirectional ? 2 : 1)
        let spec = Seq2SeqSpec(sourceVocabulary: data.sourceVocabulary.count, targetVocabulary: data.targetVocabulary.count,
                               sourceEmbedding: settings.embedding, targetEmbedding: settings.embedding, cell: cell,
                               hidden: settings.hidden, encoderLayers: settings.layers, decoderLayers: settings.layers,
                               bidirectional: settings.bidirectional, attention: settings.attention,
                               attentionSize: settings.attentionSize, inputFeeding: settings.inputFeeding,
                               bridge: settings.bridge, combine: settings.combine ?? decoderHidden,
                               dropout: settings.dropout)
        do { try spec.validate() } catch { throw Seq2SeqDataError(error.description) }
        return spec
    }

    /// The trainer's f32 outputs (target ids, EOS excluded) for `examples`: greedy when `beam` is 1.
    public static func decode(_ model: Seq2SeqModel, data: Seq2SeqData, examples: [Seq2SeqExample],
                              beam: Int, alpha: Float) -> [[Int32]] {
        let (bos, eos) = (data.targetVocabulary.bos ?? 1, data.targetVocabulary.eos ?? 2)
        return examples.map { example in
            beam > 1
                ? model.beam(example.source, bos: bos, eos: eos, maxLength: data.targetMaxLength, width: beam, alpha: alpha)
                : model.greedy(example.source, bos: bos, eos: eos, maxLength: data.targetMaxLength)
        }
    }

    /// Decodes the test split with `model` (an exported file loaded by the Runtime), greedy and beam.
    static func runtimeScores(_ model: Model?, data: Seq2SeqData, settings: Seq2SeqSettings) throws -> RuntimeScores {
        guard let model else { throw Seq2SeqDataError("the exporter returned no Runtime model to score") }
        var started = Date()
        let greedy = try Seq2SeqRuntimeEvaluation.decode(model, examples: data.test, beam: 1, alpha: settings.alpha)
        let greedySeconds = Date().timeIntervalSince(started)
        var scores = RuntimeScores(greedy: Seq2SeqScores(outputs: greedy, examples: data.test, data: data), beam: nil,
                                   greedyPerSecond: Double(data.test.count) / max(greedySeconds, 1e-9), beamPerSecond: nil)
        if settings.beam > 1 {
            started = Date()
            let beam = try Seq2SeqRuntimeEvaluation.decode(model, examples: data.test, beam: settings.beam, alpha: settings.alpha)
            scores.beamPerSecond = Double(data.test.count) / max(Date().timeIntervalSince(started), 1e-9)
            scores.beam = Seq2SeqScores(outputs: beam, examples: data.test, data: data)
        }
        return scores
    }

    /// The settings as sorted-key JSON without where files went (a resumed run gives the same bytes).
    static func settingsJSON(_ settings: Seq2SeqSettings) -> String {
        var stored = settings
        stored.out = ""
        stored.writeF32 = false
        stored.checkpointDirectory = nil
        stored.outputsDirectory = nil
        stored.pairs = stored.pairs.map { ($0 as NSString).lastPathComponent }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(stored), let text = String(data: json, encoding: .utf8) else { return "{}" }
        return text
    }

    /// Fails before hours of training, not after: output directories must exist.
    static func checkDirectories(_ settings: Seq2SeqSettings) throws {
        if let problem = TaskRunner.missingOutputDirectory([settings.out] + (settings.writeF32 ? [settings.f32Path] : [])) {
            throw Seq2SeqDataError(problem)
        }
    }

    /// test.source.txt, test.reference.txt, test.greedy.txt (and test.beam.txt): one line per test
    /// example, tokens separated by spaces — the input of `recur bleu` and scripts/check-bleu.
    static func writeOutputs(_ directory: String, data: Seq2SeqData, greedy: Seq2SeqScores, beam: Seq2SeqScores?) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Seq2SeqDataError("--outputs \(directory): cannot create the directory (\(error.localizedDescription))")
        }
        func lines(_ rows: [[String]]) -> [UInt8] { Array(rows.map { $0.joined(separator: " ") + "\n" }.joined().utf8) }
        var files: [(String, [[String]])] = [
            ("test.source.txt", data.test.map { data.sourceVocabulary.decode($0.source) }),
            ("test.reference.txt", data.test.map(\.reference)),
            ("test.greedy.txt", greedy.hypotheses),
        ]
        if let beam { files.append(("test.beam.txt", beam.hypotheses)) }
        for (name, rows) in files {
            try AtomicFile.write(lines(rows), to: (directory as NSString).appendingPathComponent(name))
        }
    }
}
