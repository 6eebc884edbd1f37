import ArgumentParser
import RecurRuntime

/// `recur`: train, evaluate, inspect and quantize Recur models on the desktop.
@main
struct Recur: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recur",
        abstract: "Train LSTM/GRU/RNN models and export them as int8 .rnnz files for recur-run.",
        discussion: """
            Examples:
              recur train adding --cell lstm --length 100 -o adding.rnnz
              recur train sine -o sine.rnnz --f32
              recur train charlm --text anna.txt --max-chars 300000 -o anna.rnnz
              recur eval adding.rnnz
              recur train har --data "HAPT Data Set" -o har.rnnz
              recur eval har.rnnz har.f32.rnnz --data "HAPT Data Set"
              recur inspect adding.rnnz
              recur quantize sine.f32.rnnz -o sine.rnnz
              recur import weights.safetensors --task classifier --labels a,b -o model.rnnz
            """,
        version: "\(RecurVersion.string)",
        subcommands: [TrainCommand.self, EvalCommand.self, InspectCommand.self, QuantizeCommand.self, ImportCommand.self, HARCommand.self,
                      Seq2SeqBLEUCommand.self, Seq2SeqTrainCommand.self,
                      GenCommand.self, GUI2HTMLCommand.self])
}

/// A failure to report as `Error: <message>` without the usage text (bad files, failed runs).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
