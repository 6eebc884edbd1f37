import ArgumentParser
import RecurRuntime
import Trainer

/// `recur quantize`: an f32 `.rnnz` to a per-row int8 `.rnnz`, with the error report.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize an f32 .rnnz to per-row symmetric int8 and report the error per weight.",
        discussion: """
            Biases and scales stay F32. The f32 file's self-test inputs are kept; their outputs are
            recomputed by this machine's Runtime on the int8 model and verified after writing.

            Examples:
              recur quantize sine.f32.rnnz -o sine.rnnz
            """)

    @Argument(help: "The f32 (or f16) .rnnz model.")
    var model: String

    @Option(name: [.short, .customLong("output")], help: "Where the int8 model goes.")
    var output: String

    func run() throws {
        let file: GGUFFile
        do {
            file = try ModelFile.load(model)
        } catch {
            throw CLIError("\(model): \(error)")
        }
        let (exportModel, inputs) = try ExportModel.read(file: file, path: model)
        let result = try Exporter.export(exportModel, quantized: true, selfTestInputs: inputs, to: output)
        print("per-row int8 error (|q·scale − w|):")
        for line in result.quantization { print("  " + line.formatted) }
        print("wrote \(output): \(Format.bytes(result.bytes.count)), \(result.selfTests) self-test case(s) verified")
    }
}
