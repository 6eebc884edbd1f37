import ArgumentParser
import Foundation
import Trainer

/// `recur train addition|translate …`: train a seq2seq task with attention, report greedy and beam
/// scores on its held-out test split, export int8 (and f32).
///
/// `recur train addition …` and `recur train translate …` are subcommands of `recur train`
/// (`TrainAddition`, `TrainTranslate`); `recur train-seq2seq addition|translate …` is the same.
struct Seq2SeqTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-seq2seq",
        abstract: "Train a sequence-to-sequence task with attention (same as recur train addition|translate).",
        discussion: """
            Tasks:
              addition    "24+654" → "678": generated questions, operands of --digits digits; a held-out
                          test set of 10,000 questions never seen in training; exact-match accuracy
              translate   --pairs FILE of source<TAB>target[<TAB>attribution] lines (Tatoeba/manythings
                          layout); word or char tokens, lowercasing, split by source sentence; BLEU-4

            Prints the trainer's f32 test scores (greedy and --beam K) and writes the int8 model
            (-o) and with --f32 the f32 twin. Word tokenizing and the metrics: docs/SEQ2SEQ.md.

            Examples:
              recur train addition -o addition.rnnz
              recur train addition --digits 2 --epochs 5 --hidden 64 -o add2.rnnz
              recur train translate --pairs spa-eng/spa.txt --hidden 256 --attention general \\
                  --input-feeding --beam 5 -o en-es.rnnz --f32 --outputs en-es-test
            """)

    @Argument(help: "addition or translate.")
    var task: String

    @OptionGroup var common: CommonTrainOptions
    @OptionGroup var options: Seq2SeqOptions

    func run() throws {
        guard let name = Seq2SeqSettings.TaskName(rawValue: task) else {
            throw ValidationError("unknown task \"\(task)\"; expected addition or translate")
        }
        try options.run(name, common: common)
    }
}

/// `recur train addition`.
struct TrainAddition: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addition", abstract: "Seq2seq with attention: \"24+654\" → \"678\" (exact match); docs/SEQ2SEQ.md.",
        discussion: "Example:\n  recur train addition --digits 2 --epochs 5 --hidden 64 -o add2.rnnz")
    @OptionGroup var common: CommonTrainOptions
    @OptionGroup var options: Seq2SeqOptions
    func run() throws { try options.run(.addition, common: common) }
}

/// `recur train translate`.
struct TrainTranslate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate", abstract: "Seq2seq with attention on source<TAB>target pairs (BLEU); docs/SEQ2SEQ.md.",
        discussion: "Example:\n  recur train translate --pairs spa-eng/spa.txt --hidden 256 --attention general --input-feeding --beam 5 -o en-es.rnnz --f32")
    @OptionGroup var common: CommonTrainOptions
    @OptionGroup var options: Seq2SeqOptions
    func run() throws { try options.run(.translate, common: common) }
}

/// The seq2seq tasks' own options.
struct Seq2SeqOptions: ParsableArguments {
    @Option(help: "addition: digits per operand (1…9).")
    var digits: Int?
    @Option(help: "addition: training questions.")
    var trainCount: Int?
    @Option(help: "Validation pairs (addition 5,000, translate 1,000).")
    var validationCount: Int?
    @Option(help: "Held-out test pairs (addition 10,000, translate 2,000).")
    var testCount: Int?
    @Option(help: "translate: the tab-separated pairs file.")
    var pairs: String?
    @Option(help: "translate: word or char tokens.")
    var tokens: String?
    @Option(help: "translate: lowercase the text (true/false; default true).")
    var lowercase: Bool?
    @Option(help: "translate: words seen fewer times in training become <unk>.")
    var minCount: Int?
    @Option(help: "translate: most tokens per side; longer pairs are dropped (default 20 words, 80 chars).")
    var maxLength: Int?
    @Option(help: "translate: use at most this many training pairs (0: all).")
    var maxPairs: Int?

    @Option(help: "Embedding width (source and target).")
    var embedding: Int?
    @Flag(help: "Bidirectional encoder (the decoder then has 2 × hidden units).")
    var bidirectional = false
    @OptionGroup var attention: AttentionOptions
    @Option(help: "Decoder start state: zero or copy (the encoder's final state).")
    var bridge: String?
    @Option(help: "Beam width for the reported beam-search scores (1: greedy only).")
    var beam: Int?
    @Option(help: "Beam length normalisation: score = log P / length^alpha.")
    var alpha: Float?
    @Option(help: "Write the test split's token lines (source, reference, greedy, beam) into this directory.")
    var outputs: String?

    func settings(_ name: Seq2SeqSettings.TaskName, common: CommonTrainOptions) throws -> Seq2SeqSettings {
        if common.schedule != nil { throw ValidationError("--schedule: the seq2seq tasks train with a constant rate") }
        var s = Seq2SeqSettings(task: name)
        if let output = common.output { s.out = output }
        if let f32 = common.f32 { s.writeF32 = f32 }
        let (cell, hidden, layers, dropout) = (common.cell, common.hidden, common.layers, common.dropout)
        let (epochs, batch, lr, seed) = (common.epochs, common.batch, common.lr, common.seed)
        let (threads, patience, checkpoint) = (common.threads, common.patience, common.checkpoint)
        if let digits { s.digits = digits }
        if let trainCount { s.trainCount = trainCount }
        if let validationCount { s.validationCount = validationCount }
        if let testCount { s.testCount = testCount }
        s.pairs = pairs
        if let tokens {
            guard let kind = Seq2SeqTokens(rawValue: tokens) else { throw ValidationError("--tokens must be word or char, got \"\(tokens)\"") }
            s.tokens = kind
        }
        if let lowercase { s.lowercase = lowercase }
        if let minCount { s.minCount = minCount }
        s.maxLength = maxLength
        if let maxPairs { s.maxPairs = maxPairs }
        if let cell { s.cell = cell }
        if let hidden { s.hidden = hidden }
        if let layers { s.layers = layers }
        if let embedding { s.embedding = embedding }
        s.bidirectional = bidirectional
        if let kind = try attention.kind() { s.attention = kind }
        if let attentionSize = attention.attentionSize { s.attentionSize = attentionSize }
        s.inputFeeding = attention.inputFeeding
        if let bridge {
            guard let kind = Seq2SeqSpec.Bridge(rawValue: bridge) else { throw ValidationError("--bridge must be zero or copy, got \"\(bridge)\"") }
            s.bridge = kind
        }
        s.combine = attention.combine
        if let dropout { s.dropout = dropout }
        if let epochs { s.epochs = epochs }
        if let batch { s.batchSize = batch }
        if let lr { s.learningRate = lr }
        if let seed { s.seed = seed }
        if let threads { s.threads = threads }
        if let patience { s.patience = patience }
        if let beam { s.beam = beam }
        if let alpha { s.alpha = alpha }
        s.outputsDirectory = outputs
        s.checkpointDirectory = checkpoint
        if !common.resume {
            do { try s.validate() } catch let error as Seq2SeqDataError { throw ValidationError(error.description) }
        }
        return s
    }

    func run(_ name: Seq2SeqSettings.TaskName, common: CommonTrainOptions) throws {
        let settings = try settings(name, common: common)
        let progress = Progress(quiet: common.quiet)
        try common.report.prepare()
        let report: Seq2SeqRunner.Report
        do {
            report = try Seq2SeqRunner(settings: settings, progress: progress).run(resume: common.resume)
        } catch let error as Seq2SeqDataError {
            throw CLIError(error.description)
        }
        for line in Self.summary(report) { print(line) }
        try common.report.write(TrainingReport(report))
    }

    /// `label` padded to 32 columns, then exact match (and BLEU for translation). Addition answers
    /// are one word, so BLEU (4-grams) says nothing there: exact match only.
    static func scoreLine(_ label: String, _ score: Seq2SeqScores, task: Seq2SeqSettings.TaskName) -> String {
        label.padding(toLength: 32, withPad: " ", startingAt: 0) + "exact match " + String(format: "%.2f%%", 100 * score.exactMatch)
            + (task == .translate ? ", BLEU " + String(format: "%.2f", score.bleu) : "")
    }

    /// The greedy (and beam) lines of a file decoded by the Runtime; `kind` is int8 or f32.
    /// `recur eval` prints the same lines for the same file.
    static func runtimeLines(kind: String, _ runtime: Seq2SeqRunner.RuntimeScores, settings: Seq2SeqSettings) -> [String] {
        var lines = [scoreLine("test, runtime \(kind), greedy:", runtime.greedy, task: settings.task)
            + String(format: "  (%.0f sentences/s)", runtime.greedyPerSecond)]
        if let beam = runtime.beam, let rate = runtime.beamPerSecond {
            lines.append(scoreLine("test, runtime \(kind), beam \(settings.beam):", beam, task: settings.task)
                + String(format: "  (%.0f sentences/s)", rate))
        }
        return lines
    }

    /// The result lines a run prints.
    static func summary(_ report: Seq2SeqRunner.Report) -> [String] {
        let s = report.settings
        var lines: [String] = []
        lines.append("data: \(report.trainCount) train, \(report.validationCount) validation, \(report.testCount) test pairs; "
            + "vocabulary \(report.sourceVocabulary) source, \(report.targetVocabulary) target; \(report.parameterCount) parameters")
        func scores(_ label: String, _ score: Seq2SeqScores) -> String { scoreLine(label, score, task: s.task) }
        lines.append(scores("test, trainer f32, greedy:", report.trainerGreedy))
        if let beam = report.trainerBeam { lines.append(scores("test, trainer f32, beam \(s.beam):", beam)) }
        for (kind, runtime) in [("int8", Optional(report.runtimeInt8)), ("f32", report.runtimeF32)] {
            guard let runtime else { continue }
            lines += runtimeLines(kind: kind, runtime, settings: s)
        }
        lines.append("wrote \(s.out) (\(Format.bytes(report.int8Bytes)))"
            + (s.writeF32 ? " and \(s.f32Path) (\(Format.bytes(report.f32Bytes)))" : ""))
        if let outputs = s.outputsDirectory { lines.append("test token lines in \(outputs)/ (check with scripts/check-bleu)") }
        lines.append("train time \(Format.duration(report.trainSeconds)) for \(report.epochsRun) epoch(s)"
            + (report.resumedAt > 0 ? ", resumed after epoch \(report.resumedAt)" : "")
            + ", best epoch \(report.bestEpoch + 1); total \(Format.duration(report.seconds))")
        return lines
    }
}

/// The attention options of the decoders with attention (`recur train addition|translate|image2text`).
struct AttentionOptions: ParsableArguments {
    @Option(help: "Attention: dot, general or additive.")
    var attention: String?
    @Option(help: "additive: width of the score layer.")
    var attentionSize: Int?
    @Flag(help: "Luong input feeding.")
    var inputFeeding = false
    @Option(help: "Width of the attentional combine layer (default: the decoder's hidden size).")
    var combine: Int?

    /// `--attention` as a kind; nil when not given.
    func kind() throws -> Seq2SeqSpec.Attention? {
        guard let attention else { return nil }
        guard let kind = Seq2SeqSpec.Attention(rawValue: attention) else {
            throw ValidationError("--attention must be dot, general or additive, got \"\(attention)\"")
        }
        return kind
    }
}
