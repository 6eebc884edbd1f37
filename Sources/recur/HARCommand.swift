import ArgumentParser
import Foundation
import RecurRuntime
import Trainer

/// `recur har train|eval`: human activity recognition from raw phone IMU recordings (HAPT).
struct HARCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "har",
        abstract: "Human activity recognition: train on HAPT raw recordings, score a file on the test subjects.",
        discussion: """
            Data: the "HAPT Data Set" folder (RawData/acc_expXX_userYY.txt, gyro_…, labels.txt) or a
            "UCI HAR Dataset" folder (raw features, 6 classes). Windows of 128 samples, hop 64, inside
            each labelled segment; UCI HAR's test subjects 2 4 9 10 12 13 18 20 24; validation subjects
            11 22 30 (early stopping, model choice). The model reads six raw numbers per line
            (acc xyz in g, gyro xyz in rad/s, 50 Hz); the gravity split is computed in the stream.

            Examples:
              recur har train --data "HAPT Data Set" -o models/har.rnnz
              recur har eval models/har.rnnz --data "HAPT Data Set"
              recur-run models/har.rnnz < rec.txt | recur har score --recording rec.txt --labels rec.labels.txt
            """,
        subcommands: [HARTrainCommand.self, HAREvalCommand.self, HARScoreCommand.self])
}

/// `recur har train`.
struct HARTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train, export int8 (and f32), score both files through the Runtime on the test subjects.")

    @Option(help: "The HAPT (or UCI HAR) folder.")
    var data: String
    @Option(name: [.short, .customLong("output")], help: "Where the int8 model goes.")
    var output: String = "har.rnnz"
    @Flag(name: .customLong("no-f32"), help: "Do not write the f32 twin <output>.f32.rnnz.")
    var noF32 = false
    @Flag(help: "Learn all twelve activities (with the postural transitions) instead of six.")
    var transitions = false
    @Flag(help: "Feed the six raw channels instead of body acc, gyro and gravity from the in-stream low-pass.")
    var raw = false
    @Option(help: "\(ModelSpec.Cell.optionNames).") var cell: String = "lstm"
    @Option(help: "Hidden units per layer.") var hidden: Int = 32
    @Option(help: "Recurrent layers.") var layers: Int = 1
    @Option(help: "Passes over the training windows.") var epochs: Int = 30
    @Option(help: "Windows per minibatch.") var batch: Int = 32
    @Option(help: "Adam learning rate.") var lr: Float = 0.003
    @Option(help: "Learning-rate schedule: constant, or cosine (100 warmup updates, then decay to 5 % of --lr).")
    var schedule: String = "constant"
    @Option(help: "Dropout after each recurrent layer during training, in [0, 1).") var dropout: Float = 0
    @Option(help: "Seeds the weights and the shuffles.") var seed: UInt64 = 1
    @Option(help: "OpenBLAS threads.") var threads: Int = 1
    @Option(help: "Stop after this many epochs without a better validation loss (0: never).") var patience: Int = 8
    @Flag(help: "No progress output, only the results.") var quiet = false
    @OptionGroup var report: ReportOptions

    func run() throws {
        guard let cell = ModelSpec.Cell(option: cell) else {
            throw ValidationError("--cell must be \(ModelSpec.Cell.optionNames), got \(self.cell)")
        }
        guard dropout >= 0 && dropout < 1 else {
            throw ValidationError("--dropout must be in [0, 1), got \(dropout)")
        }
        guard let rate: LearningRateSchedule = ["constant": .constant, "cosine": TaskRunner.cosineSchedule][schedule] else {
            throw ValidationError("--schedule must be constant or cosine, got \(schedule)")
        }
        var settings = HARRunSettings(data: data, out: output)
        settings.writeF32 = !noF32
        settings.classes = transitions ? .withTransitions : .basic
        settings.gravitySplit = !raw
        settings.cell = cell
        settings.hidden = hidden
        settings.layers = layers
        settings.epochs = epochs
        settings.batchSize = batch
        settings.learningRate = lr
        settings.schedule = rate
        settings.dropout = dropout
        settings.seed = seed
        settings.threads = threads
        settings.patience = patience
        try self.report.prepare()
        let report = try HARRun.train(settings, progress: Progress(quiet: quiet))
        print("parameters \(report.parameterCount); \(report.epochsRun) epochs in \(Format.duration(report.trainingSeconds)), best epoch \(report.bestEpoch + 1)")
        print(report.validation.report(title: "validation (trainer f32, subjects 11 22 30)"))
        if let f32 = report.runtimeF32 { print(f32.report(title: "test, runtime f32")) }
        print(report.runtimeInt8.report(title: "test, runtime int8"))
        print("wrote \(settings.out) (\(Format.bytes(report.int8Bytes)))"
            + (report.f32Bytes.map { " and \(settings.f32Path) (\(Format.bytes($0)))" } ?? ""))
        try self.report.write(TrainingReport(report, settings: settings))
    }
}

/// `recur har eval`.
struct HAREvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Score .rnnz files through the Runtime on the HAPT test subjects' windows.")

    @Argument(help: "The .rnnz model files (e.g. the int8 file and its f32 twin).")
    var models: [String]
    @Option(help: "The HAPT (or UCI HAR) folder.")
    var data: String

    func run() throws {
        for model in models {
            let (metrics, steps, seconds) = try HARRun.evaluate(modelPath: model, data: data)
            print(metrics.report(title: model))
            print("runtime: \(steps) timesteps in \(Format.fixed(seconds, digits: 2)) s, "
                + "\(Format.fixed(seconds / Double(max(steps, 1)) * 1e6, digits: 2)) µs per step")
        }
    }
}

/// `recur har score`: echo recur-run's live output and end with its accuracy on the recording's labels.
struct HARScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Echo recur-run's output (stdin) line by line; at EOF print the accuracy against the labels.",
        discussion: """
            A window (ending at sample t, covering t−window+1…t) is scored when it lies fully inside
            one labelled segment of a basic activity (ids 1–6); others are echoed but not scored.
            Labels: `first last activity_id` per line, 1-based inclusive line numbers (models/samples).
            """)

    @Option(help: "The raw recording streamed into recur-run (checks the labels against its length).")
    var recording: String
    @Option(help: "Its segment labels: first last activity_id per line.")
    var labels: String
    @Option(help: "Samples per window (the model's recur.window).")
    var window: Int = 128

    func run() throws {
        guard window > 0 else { throw ValidationError("--window must be positive, got \(window)") }
        let sample = try HARSampleRecording.load(recording: recording, labels: labels)
        var score = HARStreamScore(segments: sample.segments, window: window)
        var line = 0
        while let text = readLine() {
            line += 1
            // Unbuffered, so each window shows as recur-run prints it.
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
            try score.add(text, line: line)
        }
        FileHandle.standardOutput.write(Data((score.summary + "\n").utf8))
    }
}
