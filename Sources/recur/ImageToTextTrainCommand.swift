import ArgumentParser
import Foundation
import Trainer

/// `recur train image2text`: a convolutional encoder with the seq2seq attention decoder, trained on
/// a dataset directory (manifest.tsv + PGM/PPM images), scored on a held-out test directory.
struct TrainImageToText: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image2text",
        abstract: "Image → token sequence: conv encoder + attention decoder on a manifest.tsv dataset (docs/TRAINING.md).",
        discussion: """
            --data DIR (and --validation DIR, --test DIR) hold manifest.tsv, one example per line:
            relative/path.pgm<TAB>target tokens separated by spaces; images binary PGM or PPM, all
            of one size. The validation set picks the best epoch (--patience); the test set is
            scored once: token accuracy (teacher forced), exact match and BLEU of greedy decoding.

            --encoder: comma-separated layers, the first a convolution:
              conv{F}x{K}[x{KW}][s{S}][p{P}]   F filters of K×K (K×KW), stride S (1), zero padding P (0)
              relu                             max(x, 0)
              pool{K}[s{S}]                    K×K max-pooling, stride S (default K)
            The last map's pixels (at most 4096) are what the decoder attends to.

            Example:
              recur train image2text --data gui/train --validation gui/valid --test gui/test \\
                  --encoder conv16x3p1,relu,pool2,conv32x3p1,relu,pool2 --hidden 128 \\
                  --render-from gui/render.json -o gui2html.rnnz
            """)

    @OptionGroup var common: CommonTrainOptions
    @Option(help: "The training set's directory (manifest.tsv + images); with --resume it comes from the checkpoint.")
    var data: String?
    @Option(help: "Validation set directory: chooses the epoch (patience).")
    var validation: String?
    @Option(help: "Test set directory: scored once at the end.")
    var test: String?
    @Option(help: "Encoder layers, e.g. conv16x3p1,relu,pool2,conv32x3p1,relu,pool2 (grammar above).")
    var encoder: String?
    @Option(help: "Target embedding width.")
    var embedding: Int?
    @OptionGroup var attention: AttentionOptions
    @Option(help: "JSON {\"before\": s, \"after\": s, \"tokens\": {token: text}}: how outputs render (recur-run --render).")
    var renderFrom: String?

    func settings() throws -> ImageToTextSettings {
        if common.schedule != nil { throw ValidationError("--schedule: image2text trains with a constant rate") }
        if data == nil && !common.resume { throw ValidationError("--data DIR (the training set's directory) is required") }
        var s = ImageToTextSettings(data: data ?? "")
        s.checkpointDirectory = common.checkpoint
        s.validation = validation
        s.test = test
        s.renderFrom = renderFrom
        if let encoder { s.encoder = encoder }
        if let output = common.output { s.out = output }
        if let f32 = common.f32 { s.writeF32 = f32 }
        if let cell = common.cell { s.cell = cell }
        if let hidden = common.hidden { s.hidden = hidden }
        if let layers = common.layers { s.layers = layers }
        if let dropout = common.dropout { s.dropout = dropout }
        if let embedding { s.embedding = embedding }
        if let kind = try attention.kind() { s.attention = kind }
        if let attentionSize = attention.attentionSize { s.attentionSize = attentionSize }
        s.inputFeeding = attention.inputFeeding
        s.combine = attention.combine
        if let epochs = common.epochs { s.epochs = epochs }
        if let batch = common.batch { s.batchSize = batch }
        if let lr = common.lr { s.learningRate = lr }
        if let seed = common.seed { s.seed = seed }
        if let threads = common.threads { s.threads = threads }
        if let patience = common.patience { s.patience = patience }
        if !common.resume {
            do { try s.validate() } catch let error as Seq2SeqDataError { throw ValidationError(error.description) }
        }
        return s
    }

    func run() throws {
        let settings = try settings()
        try common.report.prepare()
        let report: ImageToTextRunner.Report
        do {
            report = try ImageToTextRunner(settings: settings, progress: Progress(quiet: common.quiet)).run(resume: common.resume)
        } catch let error as Seq2SeqDataError {
            throw CLIError(error.description)
        }
        for line in Self.summary(report) { print(line) }
        try common.report.write(TrainingReport(report))
    }

    /// `label` padded to 36 columns, then exact match and BLEU (`recur eval` prints the same lines).
    static func scoreLine(_ label: String, _ score: Seq2SeqScores) -> String {
        label.padding(toLength: 36, withPad: " ", startingAt: 0) + "exact match "
            + String(format: "%.2f%%, BLEU %.2f", 100 * score.exactMatch, score.bleu)
    }

    /// The result lines a run prints.
    static func summary(_ report: ImageToTextRunner.Report) -> [String] {
        let s = report.settings
        var lines = ["data: \(report.trainCount) train, \(report.validationCount) validation, \(report.testCount) test images "
            + "of \(report.image); memory \(report.memoryRows) × \(report.memoryWidth); target vocabulary "
            + "\(report.targetVocabulary); \(report.parameterCount) parameters"]
        if let test = report.test {
            lines.append("test, trainer f32, teacher forced:".padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: "token accuracy %.2f%%", 100 * test.tokenAccuracy))
            lines.append(scoreLine("test, trainer f32, greedy:", test.trainerGreedy))
            lines.append(scoreLine("test, runtime int8, greedy:", test.runtimeInt8)
                + String(format: "  (%.0f images/s)", test.runtimeImagesPerSecond))
        } else {
            lines.append("no --test set: no held-out scores")
        }
        lines.append("wrote \(s.out) (\(Format.bytes(report.int8Bytes)))"
            + (s.writeF32 ? " and \(s.f32Path) (\(Format.bytes(report.f32Bytes)))" : ""))
        lines.append("train time \(Format.duration(report.trainSeconds)) for \(report.epochsRun) epoch(s)"
            + (report.resumedAt > 0 ? ", resumed after epoch \(report.resumedAt)" : "")
            + ", best epoch \(report.bestEpoch + 1); total \(Format.duration(report.seconds))")
        return lines
    }
}
