import Foundation
import RecurRuntime

/// One `recur train image2text` run: dataset directories, a convolutional encoder with the seq2seq
/// attention decoder (`Seq2SeqSpec.image`), training with patience on the validation set, the
/// test set scored once (teacher-forced token accuracy, exact match and BLEU of greedy decoding,
/// by the trainer and by the Runtime on the int8 file), int8 export (and the f32 twin) with
/// `ImageToTextExporter`. With `--checkpoint DIR` a checkpoint is written after every epoch, and
/// `run(resume: true)` continues from it.
public struct ImageToTextRunner {
    public var settings: ImageToTextSettings
    public var progress: Progress
    /// Ends the run after this many epochs in total, as if interrupted after that epoch's checkpoint.
    public var stopAfterEpochs: Int?

    public init(settings: ImageToTextSettings, progress: Progress, stopAfterEpochs: Int? = nil) {
        self.settings = settings
        self.progress = progress
        self.stopAfterEpochs = stopAfterEpochs
    }

    /// Held-out scores of one model on the test set.
    public struct TestScores: Sendable {
        /// Teacher-forced: the fraction of target tokens (EOS included) predicted right, in 0…1.
        public var tokenAccuracy: Double
        /// Greedy decoding by the trainer (f32).
        public var trainerGreedy: Seq2SeqScores
        /// Greedy decoding of the written int8 file by the Runtime.
        public var runtimeInt8: Seq2SeqScores
        /// Test images per second of that decoding (one thread).
        public var runtimeImagesPerSecond: Double
    }

    /// Everything a finished run measured.
    public struct Report: Sendable {
        public var settings: ImageToTextSettings
        public var trainCount: Int, validationCount: Int, testCount: Int
        public var image: ImageShape
        /// OH·OW and F.
        public var memoryRows: Int, memoryWidth: Int
        public var targetVocabulary: Int
        public var parameterCount: Int
        /// nil without `--test`.
        public var test: TestScores?
        public var int8Bytes: Int
        public var f32Bytes: Int
        public var epochsRun: Int
        /// The epoch a resumed run started after (0: not resumed).
        public var resumedAt: Int
        public var bestEpoch: Int
        public var trainSeconds: Double
        public var seconds: Double
        public var history: [EpochSummary]
        public var quantization: [QuantizationReportLine]
    }

    /// The splits as the model sees them.
    public struct Data: Sendable {
        public var shape: ImageShape
        public var vocabulary: Seq2SeqVocabulary
        public var train: [ImageTextDataset.Example]
        public var validation: [ImageTextDataset.Example]
        public var test: [ImageTextDataset.Example]
        /// Most decoding steps, EOS included: the longest target of any split plus one.
        public var targetMaxLength: Int
        /// Per target id the text it renders as, with the text before and after (`--render-from`).
        public var render: (before: String, tokens: [String], after: String)?
    }

    /// Reads the data, trains (or resumes, when `resume` and a checkpoint exist), scores and exports.
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
            let checkpoint = try EncoderDecoderCheckpoint<ImageToTextSettings>.load(from: directory)
            // Data, network and training come from the checkpoint; where results go from this command.
            var resumed = checkpoint.settings
            resumed.out = settings.out
            resumed.writeF32 = settings.writeF32
            resumed.checkpointDirectory = settings.checkpointDirectory
            resumed.threads = settings.threads
            settings = resumed
            state = checkpoint.state
            progress.message("resuming image2text from \(directory) after epoch \(checkpoint.state.nextEpoch)")
        }
        try settings.validate()
        if let problem = TaskRunner.missingOutputDirectory([settings.out] + (settings.writeF32 ? [settings.f32Path] : [])) {
            throw Seq2SeqDataError(problem)
        }
        progress.message("reading \(settings.data)")
        var data = try Self.makeData(settings)
        let spec = try Self.makeSpec(settings, data: data)
        let model = try Seq2SeqModel(spec: spec, seed: settings.seed)
        progress.message("\(data.train.count) train, \(data.validation.count) validation, \(data.test.count) test images of "
            + "\(data.shape); memory \(try spec.image?.memoryRows() ?? 0) × \(spec.encoderOutput); target vocabulary "
            + "\(data.vocabulary.count); \(model.parameterCount) parameters")
        var batchRandom = SeededRandom(seed: settings.seed ^ 0x1A6E_BA7C)
        let train = Self.batches(data.train, vocabulary: data.vocabulary, spec: spec, batchSize: settings.batchSize,
                                 random: &batchRandom)
        let validation = Self.batches(data.validation, vocabulary: data.vocabulary, spec: spec,
                                      batchSize: settings.batchSize, random: &batchRandom)
        // self-tests: the first test images (or training images without a test set)
        let selfTests = (data.test.isEmpty ? data.train : data.test).prefix(3).map(\.image)
        // From here the batches hold the only copy of the training and validation images.
        let (trainCount, validationCount) = (data.train.count, data.validation.count)
        data.train = []
        data.validation = []

        var options = TrainOptions()
        options.epochs = min(settings.epochs, stopAfterEpochs ?? settings.epochs)
        options.batchSize = settings.batchSize
        options.learningRate = settings.learningRate
        options.seed = settings.seed
        options.threads = settings.threads
        options.patience = settings.patience > 0 && !validation.isEmpty ? settings.patience : nil
        let loop = try TrainingLoop(options: options)
        let observer = ProgressObserver(progress: progress, metricName: "token_accuracy", bitsPerToken: false)
        var checkpointError: Error? = nil
        let saveCheckpoint: ((TrainingState) -> Void)? = settings.checkpointDirectory.map { directory in
            { [settings] state in
                do { try EncoderDecoderCheckpoint(settings: settings, spec: spec, state: state).save(in: directory) } catch {
                    if checkpointError == nil { checkpointError = error }
                }
            }
        }
        let trainStarted = Date()
        let result = try loop.fitSeq2Seq(model, train: train, validation: validation.isEmpty ? nil : validation,
                                         resume: state, checkpoint: saveCheckpoint, observer: observer.handle)
        if let checkpointError { throw checkpointError }
        let trainSeconds = Date().timeIntervalSince(trainStarted)

        let name = "image2text-" + ((settings.data as NSString).lastPathComponent)
        let keys = Self.taskKeys(data) + [(TaskRunner.settingsKey, .string(Self.settingsJSON(settings)))]
        let f32 = try ImageToTextExporter.export(model, name: name, taskKeys: keys, quantized: false,
                                                 selfTestImages: selfTests, to: settings.writeF32 ? settings.f32Path : nil)
        let int8 = try ImageToTextExporter.export(model, name: name, taskKeys: keys, quantized: true,
                                                  selfTestImages: selfTests, to: settings.out)
        let quantization = ImageToTextExporter.gguf(model, name: name, taskKeys: keys, quantized: true).report

        var test: TestScores? = nil
        if !data.test.isEmpty {
            progress.message("scoring \(data.test.count) test images")
            guard let runtimeModel = int8.model else { throw Seq2SeqDataError("the exporter returned no Runtime model to score") }
            test = try Self.score(model, runtime: runtimeModel, data: data, spec: spec, batchSize: settings.batchSize)
        }
        return Report(settings: settings, trainCount: trainCount, validationCount: validationCount,
                      testCount: data.test.count, image: data.shape, memoryRows: try spec.image?.memoryRows() ?? 0,
                      memoryWidth: spec.encoderOutput, targetVocabulary: data.vocabulary.count,
                      parameterCount: model.parameterCount, test: test, int8Bytes: int8.bytes.count,
                      f32Bytes: f32.bytes.count, epochsRun: observer.epochsRun, resumedAt: state?.nextEpoch ?? 0,
                      bestEpoch: result.bestEpoch,
                      trainSeconds: trainSeconds, seconds: Date().timeIntervalSince(started), history: result.history,
                      quantization: quantization)
    }

    // MARK: Pieces

    /// Reads the directories (validation and test images must have the training images' size),
    /// builds the target vocabulary from the training targets and the render table.
    public static func makeData(_ settings: ImageToTextSettings) throws -> Data {
        let train = try ImageTextDataset.read(settings.data)
        let validation = try settings.validation.map { try ImageTextDataset.read($0, shape: train.shape) }
        let test = try settings.test.map { try ImageTextDataset.read($0, shape: train.shape) }
        let vocabulary = Seq2SeqVocabulary(sentences: train.examples.lazy.map(\.tokens), minCount: 1, target: true)
        let all = train.examples + (validation?.examples ?? []) + (test?.examples ?? [])
        let render = try settings.renderFrom.map { try renderTable($0, vocabulary: vocabulary) }
        return Data(shape: train.shape, vocabulary: vocabulary, train: train.examples,
                    validation: validation?.examples ?? [], test: test?.examples ?? [],
                    targetMaxLength: (all.map(\.tokens.count).max() ?? 0) + 1, render: render)
    }

    /// The render table of `--render-from FILE`: JSON `{"before": s, "after": s, "tokens": {token: text}}`.
    /// The special tokens render as nothing; every other target token needs an entry.
    ///
    /// - Throws: `Seq2SeqDataError` naming the file and the token without text.
    static func renderTable(_ path: String, vocabulary: Seq2SeqVocabulary) throws
        -> (before: String, tokens: [String], after: String) {
        struct Table: Decodable {
            var before: String
            var after: String
            var tokens: [String: String]
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw Seq2SeqDataError("--render-from \(path): cannot read the file")
        }
        let table: Table
        do { table = try JSONDecoder().decode(Table.self, from: bytes) } catch {
            throw Seq2SeqDataError("--render-from \(path): not {\"before\": …, \"after\": …, \"tokens\": {token: text}} (\(error))")
        }
        let specials = [Seq2SeqVocabulary.unknownText, Seq2SeqVocabulary.bosText, Seq2SeqVocabulary.eosText]
        let tokens = try vocabulary.tokens.enumerated().map { id, token in
            if id < specials.count { return "" }
            guard let text = table.tokens[token] else {
                throw Seq2SeqDataError("--render-from \(path): no text for the target token \"\(token)\"")
            }
            return text
        }
        return (table.before, tokens, table.after)
    }

    /// The network the settings ask for over images of the data's shape.
    public static func makeSpec(_ settings: ImageToTextSettings, data: Data) throws -> Seq2SeqSpec {
        guard let cell = ModelSpec.Cell(option: settings.cell) else { throw Seq2SeqDataError("unknown --cell \(settings.cell)") }
        let layers: [ImageEncoderSpec.Layer]
        do { layers = try ImageEncoderSpec.parse(settings.encoder) } catch {
            throw Seq2SeqDataError("--encoder \"\(settings.encoder)\": \(error.description)")
        }
        // The source vocabulary, embedding and encoder layers are unused with an image encoder.
        let spec = Seq2SeqSpec(sourceVocabulary: 1, targetVocabulary: data.vocabulary.count, sourceEmbedding: 1,
                               targetEmbedding: settings.embedding, cell: cell, hidden: settings.hidden,
                               encoderLayers: 1, decoderLayers: settings.layers, attention: settings.attention,
                               attentionSize: settings.attentionSize, inputFeeding: settings.inputFeeding, bridge: .zero,
                               combine: settings.combine ?? settings.hidden, dropout: settings.dropout,
                               image: ImageEncoderSpec(input: data.shape, layers: layers))
        do { try spec.validate() } catch {
            throw Seq2SeqDataError("--encoder \"\(settings.encoder)\" over \(data.shape) images: \(error.description)")
        }
        return spec
    }

    /// Minibatches of at most `batchSize` examples, in an order shuffled by `random`.
    public static func batches(_ examples: [ImageTextDataset.Example], vocabulary: Seq2SeqVocabulary, spec: Seq2SeqSpec,
                               batchSize: Int, random: inout SeededRandom) -> [Seq2SeqBatch] {
        guard let image = spec.image, let rows = try? image.memoryRows() else {
            preconditionFailure("image batches need a valid image spec")
        }
        let (bos, eos) = (vocabulary.bos ?? 1, vocabulary.eos ?? 2)
        let order = TrainingLoop.shuffled(0..<examples.count, &random)
        var result: [Seq2SeqBatch] = []
        var start = 0
        while start < order.count {
            let chunk = order[start..<min(start + batchSize, order.count)].map { examples[$0] }
            let target = Seq2SeqBucketing.targets(chunk.map { vocabulary.encode($0.tokens) }, bos: bos, eos: eos)
            result.append(Seq2SeqBatch(count: chunk.count, sourceSteps: rows, targetSteps: target.steps, source: [],
                                       sourceLengths: [Int](repeating: rows, count: chunk.count),
                                       targetInput: target.input, targetOutput: target.output,
                                       targetLengths: target.lengths, images: chunk.flatMap(\.image)))
            start += batchSize
        }
        return result
    }

    /// The test scores: teacher-forced token accuracy, then greedy decoding by the trainer and by
    /// the Runtime, each scored for exact match and BLEU against the targets as written.
    static func score(_ model: Seq2SeqModel, runtime: Model, data: Data, spec: Seq2SeqSpec, batchSize: Int) throws
        -> TestScores {
        var random = SeededRandom(seed: 0)
        let batches = batches(data.test, vocabulary: data.vocabulary, spec: spec, batchSize: batchSize, random: &random)
        let forced = TrainingLoop.evaluate(model, on: batches)
        let (bos, eos) = (data.vocabulary.bos ?? 1, data.vocabulary.eos ?? 2)
        let references = data.test.map(\.tokens)
        let trainer = data.test.map {
            data.vocabulary.decode(model.greedy(.image($0.image), bos: bos, eos: eos, maxLength: data.targetMaxLength))
        }
        let runtime = try ImageToTextEvaluation.score(runtime, vocabulary: data.vocabulary.tokens, examples: data.test,
                                                      beam: nil)
        return TestScores(tokenAccuracy: forced.weight > 0 ? forced.metricSum / forced.weight : 0,
                          trainerGreedy: Seq2SeqScores(hypotheses: trainer, references: references),
                          runtimeInt8: runtime.greedy, runtimeImagesPerSecond: runtime.greedyPerSecond)
    }

    /// IMAGE_SPEC's target-side keys: vocabulary, word tokenizer, special ids, max length, and
    /// the render table when there is one (the exporter adds the network's keys).
    static func taskKeys(_ data: Data) -> [(String, GGUFValue)] {
        let v = data.vocabulary
        var keys: [(String, GGUFValue)] = [
            ("recur.target.vocab", .array(.string(v.tokens))),
            ("recur.target.tokenizer", .string(Seq2SeqTokens.word.rawValue)),
            ("recur.target.token.unk", .uint32(UInt32(v.unknown))),
            ("recur.target.max_length", .uint32(UInt32(data.targetMaxLength))),
        ]
        if let bos = v.bos { keys.append(("recur.target.token.bos", .uint32(UInt32(bos)))) }
        if let eos = v.eos { keys.append(("recur.target.token.eos", .uint32(UInt32(eos)))) }
        if let render = data.render {
            keys.append(("recur.target.render.before", .string(render.before)))
            keys.append(("recur.target.render.tokens", .array(.string(render.tokens))))
            keys.append(("recur.target.render.after", .string(render.after)))
        }
        return keys
    }

    /// The settings as sorted-key JSON, directories reduced to their names (where the data was
    /// is not part of the model), without the output paths.
    static func settingsJSON(_ settings: ImageToTextSettings) -> String {
        var stored = settings
        func name(_ path: String) -> String { (path as NSString).lastPathComponent }
        stored.data = name(stored.data)
        stored.validation = stored.validation.map(name)
        stored.test = stored.test.map(name)
        stored.renderFrom = stored.renderFrom.map(name)
        stored.out = ""
        stored.writeF32 = false
        stored.checkpointDirectory = nil
        return TaskRunner.sortedJSON(stored)
    }
}
