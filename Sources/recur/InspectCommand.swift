import ArgumentParser
import Trainer

/// `recur inspect`: keys, layers, tensors, types, sizes and bytes of a model file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a .rnnz file's keys, layers, tensors, types, sizes and bytes.",
        discussion: """
            The file is fully validated first (the same reader recur-run uses).

            Examples:
              recur inspect adding.rnnz
              recur inspect anna.f32.rnnz
            """)

    @Argument(help: "The .rnnz model file.")
    var model: String

    func run() throws {
        do {
            print(try ModelInspector.report(path: model))
        } catch {
            throw CLIError("\(model): \(error)")
        }
    }
}
