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
        subcommands: [HARTrainAlias.self, HAREvalCommand.self, HARScoreCommand.self])
}

/// `recur train har` (and `recur har train`, the same command): a preset of `recur train frames`.
struct HARTrainCommand: TaskRunnerCommand {
    static let configuration = CommandConfiguration(
        commandName: "har",
        abstract: "Human activity recognition on HAPT's raw recordings (a preset of recur train frames).",
        discussion: """
            The same path as `recur train frames`, with HAPT's folder instead of CSV: one sequence per
            recording, the subject as group, one labelled run per segment of labels.txt; windows of
            128 samples every 64 inside each run; the gravity split at 50 Hz in the stream (--raw:
            the six raw channels); test subjects 2 4 9 10 12 13 18 20 24 (UCI HAR's), validation
            subjects 11 22 30. Writes the f32 twin unless --no-f32.

            Example:
              recur train har --data "HAPT Data Set" --hidden 64 -o har.rnnz
            """)

    @OptionGroup var common: CommonTrainOptions
    @Option(help: "The HAPT folder (RawData/acc_expXX_userYY.txt, gyro_…, labels.txt).")
    var data: String
    @Flag(help: "Learn all twelve activities (with the postural transitions) instead of six.")
    var transitions = false
    @Flag(help: "Feed the six raw channels instead of body acc, gyro and gravity from the in-stream low-pass.")
    var raw = false
    @OptionGroup var shaping: FramesTrainingOptions

    func taskSettings() throws -> TrainSettings {
        var s = TrainSettings.defaults(for: .frames, out: "har.rnnz")
        s.writeF32 = true
        s.frames = .har(data: data, transitions: transitions, raw: raw)
        shaping.apply(to: &s.frames!)
        return s
    }
}

/// `recur har train`: `recur train har` under its older name.
struct HARTrainAlias: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "The same as `recur train har`.")
    @OptionGroup var command: HARTrainCommand
    func run() throws { try command.run() }
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
        try Self.evaluate(models, data: data)
    }

    /// Scores each file and prints its report (also `recur eval MODEL… --data DIR`).
    static func evaluate(_ models: [String], data: String) throws {
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
