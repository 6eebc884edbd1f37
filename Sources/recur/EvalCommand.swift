import ArgumentParser
import Foundation
import RecurRuntime
import Trainer

/// `recur eval`: a model's held-out score through the Runtime, and its self-tests.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a model made by `recur train` on its task's held-out data, through the Runtime.",
        discussion: """
            The test split is rebuilt from the training settings stored in the file
            (recur.train.settings): the same seed gives the same data. The embedded self-tests are
            recomputed and compared bit for bit.

            Examples:
              recur eval adding.rnnz
              recur eval anna.rnnz --text anna.txt      (if the text has moved)
              recur eval sine.rnnz --kernels scalar
              recur eval har.rnnz har.f32.rnnz --data "HAPT Data Set"   (= recur har eval …)
            """)

    @Argument(help: "The .rnnz model file(s).")
    var models: [String]

    @Option(help: "HAR models: the HAPT (or UCI HAR) folder (the same as `recur har eval MODEL… --data DIR`).")
    var data: String?

    @Option(help: "charlm: the text file, when it is no longer where training read it.")
    var text: String?

    @Option(help: "Kernel path: best, scalar, avx2, avx512-vnni, neon, neon-dotprod, armv7-neon.")
    var kernels: String = "best"

    func run() throws {
        if let data {
            return try HAREvalCommand.evaluate(models, data: data)
        }
        for model in models { try evaluate(model) }
    }

    func evaluate(_ model: String) throws {
        let file: GGUFFile
        let loaded: Model
        do {
            file = try ModelFile.load(model)
            loaded = try Model(file: file)
        } catch {
            throw CLIError("\(model): \(error)")
        }
        guard let path = KernelPath(name: kernels) else {
            throw ValidationError("--kernels: unknown path \"\(kernels)\" (best, scalar, avx2, avx512-vnni, neon, neon-dotprod, armv7-neon)")
        }
        let report = try loaded.verifySelfTests(kernels: path)
        print("self-tests   \(report.cases) case(s), \(report.values) values bit-exact on \(report.kernelName)")
        guard let json = try file.optionalString(TaskRunner.settingsKey),
              var settings = try? JSONDecoder().decode(TrainSettings.self, from: Data(json.utf8)) else {
            throw CLIError("\(model) has no \(TaskRunner.settingsKey): only models from `recur train` can be scored here (HAR models: add --data <HAPT folder>)")
        }
        if let text { settings.text = text }
        let started = Date()
        let (score, summary) = try TaskRunner.evaluate(loaded, settings: settings)
        print("task         \(settings.task.rawValue) (seed \(settings.seed))")
        for line in summary { print(line) }
        print("test \(score.metricName)  \(Format.fixed(score.value))  "
            + "(\(Format.duration(Date().timeIntervalSince(started))))")
        if let classification = score.classification { print(classification.report(title: model)) }
    }
}
