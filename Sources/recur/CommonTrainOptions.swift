import ArgumentParser
import Trainer

/// The options every `recur train <task>` takes (`@OptionGroup`): where the model goes, the
/// network, the optimisation, checkpoints and the progress output. Unset values keep the task's
/// defaults (`TrainSettings.defaults(for:)`, `Seq2SeqSettings`).
struct CommonTrainOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: "Where the int8 model goes (default model.rnnz).")
    var output: String?
    @Flag(inversion: .prefixedNo, help: "Also write the unquantized model as <output>.f32.rnnz (default: off; har: on).")
    var f32: Bool?

    @Option(help: "Recurrent cell: lstm, gru, rnn (tanh) or rnn_relu.")
    var cell: String?
    @Option(help: "Hidden units per recurrent layer.")
    var hidden: Int?
    @Option(help: "Recurrent layers.")
    var layers: Int?
    @Option(help: "Dropout after each recurrent layer while training, in [0, 1).")
    var dropout: Float?

    @Option(help: "Passes over the training data.")
    var epochs: Int?
    @Option(help: "Sequences per minibatch (charlm: parallel streams).")
    var batch: Int?
    @Option(help: "Adam learning rate.")
    var lr: Float?
    @Option(help: "Learning-rate schedule: constant, or cosine (100 warmup updates, then decay to 5 % of --lr).")
    var schedule: String?
    @Option(help: "Seeds the data, the initial weights and the shuffles.")
    var seed: UInt64?
    @Option(help: "Threads for training (the trainer splits steps and products itself; OpenBLAS runs on one).")
    var threads: Int?
    @Option(help: "Stop after this many epochs without a better validation loss (0: never).")
    var patience: Int?

    @Option(help: "Write a checkpoint into this directory after every epoch.")
    var checkpoint: String?
    @Flag(help: "Continue the run whose checkpoint is in --checkpoint DIR.")
    var resume = false
    @Flag(help: "No progress output, only the results.")
    var quiet = false
    @OptionGroup var report: ReportOptions

    /// Applies the options that were given to `settings`.
    func apply(to s: inout TrainSettings) {
        if let output { s.out = output }
        if let f32 { s.writeF32 = f32 }
        if let cell { s.cell = cell }
        if let hidden { s.hidden = hidden }
        if let layers { s.layers = layers }
        if let dropout { s.dropout = dropout }
        if let epochs { s.epochs = epochs }
        if let batch { s.batchSize = batch }
        if let lr { s.learningRate = lr }
        if let schedule { s.schedule = schedule }
        if let seed { s.seed = seed }
        if let threads { s.threads = threads }
        if let patience { s.patience = patience }
        s.checkpointDirectory = checkpoint
    }
}

/// A `recur train <task>` subcommand run by `TaskRunner`: it builds the settings, the rest
/// (training, export, the printed scores) is shared.
protocol TaskRunnerCommand: ParsableCommand {
    var common: CommonTrainOptions { get }
    /// The task's defaults with its own options applied (the common ones are applied after).
    func taskSettings() throws -> TrainSettings
}

extension TaskRunnerCommand {
    /// The task's settings with the common options applied, validated.
    func settings() throws -> TrainSettings {
        var s = try taskSettings()
        common.apply(to: &s)
        do { try s.validate() } catch { throw ValidationError(error.description) }
        return s
    }

    func run() throws {
        let settings = try settings()
        try common.report.prepare()
        let report = try TaskRunner(settings: settings, progress: Progress(quiet: common.quiet)).run(resume: common.resume)
        for line in TrainSummary.lines(report, settings: settings) { print(line) }
        try common.report.write(TrainingReport(report, settings: settings))
    }
}

/// What `recur train` prints at the end of a run.
enum TrainSummary {
    static func lines(_ report: TaskRunner.Report, settings: TrainSettings) -> [String] {
        var lines = report.dataSummary
        lines.append("per-row int8 error (|q·scale − w|):")
        for line in report.quantization { lines.append("  " + line.formatted) }
        let metric = report.metricName
        let scores = [("trainer f32: ", report.trainer), ("runtime f32: ", report.f32), ("runtime int8:", report.int8)]
        for (name, score) in scores {
            lines.append("test \(metric), \(name) \(Format.fixed(score.value))" + (score.detail.map { "  (\($0))" } ?? ""))
        }
        if let classification = report.int8.classification {
            lines.append(classification.report(title: "test, runtime int8"))
        }
        lines.append("wrote \(settings.out) (\(Format.bytes(report.int8Bytes)), \(report.selfTests) self-tests verified)"
            + (settings.writeF32 ? " and \(settings.f32Path) (\(Format.bytes(report.f32Bytes)))" : ""))
        lines.append("time \(Format.duration(report.seconds)) for \(report.epochsRun) epoch(s)"
            + (report.resumedAt > 0 ? ", resumed after epoch \(report.resumedAt)" : "")
            + ", best epoch \(report.bestEpoch + 1); \(report.parameterCount) parameters")
        return lines
    }
}
