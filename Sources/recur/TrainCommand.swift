import ArgumentParser
import Foundation
import Trainer

/// `recur train <task>`: train a built-in task, export int8 (and f32), print held-out scores.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in task and export it as an int8 .rnnz (fp32 and int8 held-out scores).",
        discussion: """
            Tasks that generate their data (no download needed):
              sine     next value of noisy sine waves (regressor; test MSE)
              adding   sum of two marked values in a long sequence (regressor; test MAE;
                       an LSTM or GRU learns it at length 100, a plain RNN does not)
              addition "24+654" → "678", sequence to sequence with attention: `recur train
                       addition …` is `recur train-seq2seq addition …` (see its --help)
            Tasks that read data you provide:
              charlm   next character of a UTF-8 text file, --text FILE (lm; held-out bits per
                       character)
              har      activity recognition from raw phone IMU recordings, --data DIR (the HAPT
                       data set): `recur train har …` is `recur har train …` (see its --help)
              translate
                       sentence pairs, --pairs FILE (tab-separated, e.g. Tatoeba), sequence to
                       sequence with attention: `recur train translate …` is
                       `recur train-seq2seq translate …` (see its --help)

            A checkpoint is written atomically after every epoch when --checkpoint DIR is given;
            `--resume` continues from it and ends with the same model bytes as an uninterrupted run
            (same thread count). The progress bar redraws in place on a terminal and prints plain
            lines every 10 s otherwise.

            Examples:
              recur train adding --cell lstm --length 100 -o adding.rnnz
              recur train adding --cell rnn --length 100 -o adding-rnn.rnnz
              recur train sine --epochs 10 --hidden 32 -o sine.rnnz --f32
              recur train charlm --text anna.txt --max-chars 300000 --hidden 128 -o anna.rnnz
              recur train adding --checkpoint ckpt -o adding.rnnz      (interrupted with ^C, then:)
              recur train adding --checkpoint ckpt --resume -o adding.rnnz
            """)

    @Argument(help: "sine, adding or charlm (har, addition and translate: see above).")
    var task: String

    @Option(name: [.short, .customLong("output")], help: "Where the int8 model goes.")
    var output: String = "model.rnnz"

    @Flag(name: .customLong("f32"), help: "Also write the unquantized model as <output>.f32.rnnz.")
    var writeF32 = false

    @Option(help: "Recurrent cell: lstm, gru, rnn (tanh) or rnn_relu.")
    var cell: String?
    @Option(help: "Hidden units per recurrent layer.")
    var hidden: Int?
    @Option(help: "Recurrent layers.")
    var layers: Int?
    @Option(help: "adding: sequence length.")
    var length: Int?
    @Option(help: "sine: sequence length; charlm: truncated-BPTT window.")
    var steps: Int?
    @Option(help: "Passes over the training data.")
    var epochs: Int?
    @Option(help: "Sequences per minibatch (charlm: parallel streams).")
    var batch: Int?
    @Option(help: "Adam learning rate.")
    var lr: Float?
    @Option(help: "Seeds the data, the initial weights and the shuffles.")
    var seed: UInt64?
    @Option(help: "OpenBLAS threads.")
    var threads: Int?
    @Option(help: "Stop after this many epochs without a better validation loss (0: never).")
    var patience: Int?
    @Option(help: "sine, adding: training sequences (validation and test sizes are fixed).")
    var trainCount: Int?
    @Option(help: "Dropout between layers while training, in [0, 1).")
    var dropout: Float?
    @Option(help: "Learning-rate schedule: constant, or cosine (100 warmup updates, then decay to 5 % of --lr).")
    var schedule: String?

    @Option(help: "charlm: a UTF-8 text file, or chinese-poetry JSON (a .json file or a directory of them: one poem per line).")
    var text: String?
    @Option(help: "charlm: use at most this many characters of the text (0: all).")
    var maxChars: Int?
    @Option(help: "charlm: characters seen fewer times become the unknown token.")
    var minCount: Int?
    @Option(help: "charlm: embedding width.")
    var embedding: Int?

    @Option(help: "Write a checkpoint into this directory after every epoch.")
    var checkpoint: String?
    @Flag(help: "Continue the run whose checkpoint is in --checkpoint DIR.")
    var resume = false
    @Flag(help: "No progress output, only the results.")
    var quiet = false
    @OptionGroup var report: ReportOptions

    func settings() throws -> TrainSettings {
        guard let name = TrainSettings.TaskName(rawValue: task) else {
            throw ValidationError("unknown task \"\(task)\"; expected sine, adding or charlm")
        }
        var s = TrainSettings.defaults(for: name, out: output)
        s.writeF32 = writeF32
        if let cell { s.cell = cell }
        if let hidden { s.hidden = hidden }
        if let layers { s.layers = layers }
        if let length { s.length = length }
        if let steps { s.steps = steps }
        if let epochs { s.epochs = epochs }
        if let batch { s.batchSize = batch }
        if let lr { s.learningRate = lr }
        if let seed { s.seed = seed }
        if let threads { s.threads = threads }
        if let patience { s.patience = patience }
        if let trainCount { s.trainCount = trainCount }
        if let text { s.text = text }
        if let maxChars { s.maxCharacters = maxChars }
        if let minCount { s.minCount = minCount }
        if let embedding { s.embedding = embedding }
        if let dropout { s.dropout = dropout }
        if let schedule { s.schedule = schedule }
        s.checkpointDirectory = checkpoint
        do { try s.validate() } catch { throw ValidationError(error.description) }
        return s
    }

    func run() throws {
        let settings = try settings()
        let progress = Progress(quiet: quiet)
        try self.report.prepare()
        let report = try TaskRunner(settings: settings, progress: progress).run(resume: resume)
        print("per-row int8 error (|q·scale − w|):")
        for line in report.quantization { print("  " + line.formatted) }
        let metric = report.metricName
        print("test \(metric), trainer f32:  \(Format.fixed(report.trainerMetric))")
        print("test \(metric), runtime f32:  \(Format.fixed(report.f32Metric))")
        print("test \(metric), runtime int8: \(Format.fixed(report.int8Metric))")
        print("wrote \(settings.out) (\(Format.bytes(report.int8Bytes)), \(report.selfTests) self-tests verified)"
            + (settings.writeF32 ? " and \(settings.f32Path) (\(Format.bytes(report.f32Bytes)))" : ""))
        print("time \(Format.duration(report.seconds)) for \(report.epochsRun) epoch(s)"
            + (report.resumedAt > 0 ? ", resumed after epoch \(report.resumedAt)" : ""))
        try self.report.write(TrainingReport(report, settings: settings))
    }
}
