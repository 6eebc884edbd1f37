import ArgumentParser
import Foundation
import Trainer

/// `recur train babi`: an end-to-end memory network over the bAbI tasks (docs/MEMORY.md).
struct TrainBabi: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "babi",
        abstract: "Reading comprehension: a memory network over the bAbI tasks (test accuracy per task).",
        discussion: """
            --data DIR is bAbI v1.2's `en` folder (1k training stories per task), or a folder holding
            `en` or `tasks_1-20_v1-2/en`. 10 % of each task's training stories, drawn with the seed,
            are the validation stories (the epoch kept is the one with the best validation accuracy).
            --task all trains one joint model over the 20 tasks. The model: an end-to-end memory
            network (Sukhbaatar et al. 2015) with position and temporal encoding and adjacent weight
            tying; the exported file's memory holds the last --memory sentences.

            Examples:
              recur train babi --data tasks_1-20_v1-2/en --task 1 -o babi-qa1.rnnz
              recur train babi --data tasks_1-20_v1-2/en --task all --dim 50 -o babi.rnnz
            """)

    @Option(name: [.short, .customLong("output")], help: "Where the int8 model goes.")
    var output = "babi.rnnz"
    @Flag(inversion: .prefixedNo, help: "Also write the unquantized model as <output>.f32.rnnz.")
    var f32 = false
    @Option(help: "The bAbI v1.2 `en` folder.") var data: String
    @Option(help: "A task number 1…20, a comma-separated list, or all.") var task: String
    @Option(help: "Hops K (default 3).") var hops: Int?
    @Option(help: "Memory capacity M: the most recent sentences read (default 50).") var memory: Int?
    @Option(help: "Embedding width d (default 20).") var dim: Int?
    @Option(help: "Passes over the training stories (default 60).") var epochs: Int?
    @Option(help: "Questions per minibatch (default 32).") var batch: Int?
    @Option(help: "Adam learning rate, halved every --halving epochs (default 0.01).") var lr: Float?
    @Option(help: "Epochs between halvings of the learning rate (default 15).") var halving: Int?
    @Option(help: "Empty memories added per training sentence (random noise, default 0.1).") var noise: Double?
    @Flag(help: "Linear start: no softmax in the hops until the validation loss stops falling.") var linearStart = false
    @Option(help: "With --linear-start: epochs in a row without a lower validation loss that end it (default 1).")
    var linearPatience: Int?
    @Option(help: "Stop after this many epochs without a better validation accuracy (0: never).") var patience: Int?
    @Option(help: "Seeds the split, the weights and the shuffles.") var seed: UInt64?
    @Option(help: "Ignored beyond 1: training runs on one thread.") var threads: Int?
    @Flag(help: "No per-epoch lines.") var quiet = false

    func settings() throws -> BabiSettings {
        var s = BabiSettings()
        s.data = data
        if task == "all" {
            s.tasks = Array(1...20)
        } else {
            s.tasks = try task.split(separator: ",").map {
                guard let n = Int($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--task \(task): 1…20, a list or all") }
                return n
            }
        }
        if let hops { s.hops = hops }
        if let memory { s.memory = memory }
        if let dim { s.dim = dim }
        if let epochs { s.epochs = epochs }
        if let batch { s.batch = batch }
        if let lr { s.learningRate = lr }
        if let halving { s.halvingEpochs = halving }
        if let noise { s.noise = noise }
        if let patience { s.patience = patience }
        if let seed { s.seed = seed }
        s.linearStart = linearStart
        if let linearPatience { s.linearPatience = linearPatience }
        do { try s.validate() } catch { throw ValidationError(error.description) }
        return s
    }

    func run() throws {
        let settings = try settings()
        let progress = Progress(quiet: quiet)
        let report = try BabiRun.run(settings, out: output, writeF32: f32) { progress.message($0) }
        for line in report { print(line) }
    }
}
