import ArgumentParser
import Foundation
import RecurRuntime
import Trainer

/// `recur import`: a PyTorch state dict saved as safetensors to a `.rnnz` (docs/IMPORT.md).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a PyTorch state dict (safetensors) as an int8 or f32 .rnnz.",
        discussion: """
            Save the weights in PyTorch with safetensors.torch.save_file(model.state_dict(), "weights.safetensors").

            nn.LSTM, nn.GRU and nn.RNN (unidirectional, with biases, no proj_size), nn.Linear and nn.Embedding are recognised by their tensor names and shapes; F32, F16 and BF16 tensors are read. A tensor that fits none of them is an error. The import embeds self-tests computed by this machine's Runtime (recur-run --verify checks them on the board) and prints the int8 error per weight. See docs/IMPORT.md.

            Examples:
              recur import har.safetensors --task classifier --labels walk,sit,stand --window 128 --hop 64 -o har.rnnz
              recur import gru.safetensors --task regressor --normalization norm.json --f32 -o gru.rnnz
              recur import lm.safetensors --task lm --vocab vocab.txt --layers embed,lstm,head -o lm.rnnz
            """)

    @Argument(help: "The safetensors file (a PyTorch state dict).")
    var weights: String

    @Option(name: [.short, .customLong("output")], help: "Where the .rnnz goes.")
    var output: String

    @Option(help: "classifier, regressor or lm.")
    var task: String

    @Option(help: "Module names in stack order, comma-separated (when the names don't make it obvious).")
    var layers: String?

    @Option(help: "Activation after each nn.Linear but the last (none, relu, tanh), comma-separated.")
    var activations: String?

    @Option(help: "nn.RNN's nonlinearity: tanh or relu.")
    var nonlinearity = "tanh"

    @Option(help: "Classifier label names, comma-separated (default 0, 1, …).")
    var labels: String?

    @Option(help: "Frames per window (0: one continuous stream with a result every hop frames).")
    var window = 0

    @Option(help: "Frames between results.")
    var hop = 1

    @Option(help: "Per-feature means, comma-separated: the runtime feeds (x - mean) / std.")
    var mean: String?

    @Option(help: "Per-feature standard deviations, comma-separated.")
    var std: String?

    @Option(help: "A JSON file {\"mean\": [...], \"std\": [...]} instead of --mean/--std.")
    var normalization: String?

    @Option(help: "Input feature names, comma-separated.")
    var inputNames: String?

    @Option(help: "lm: the vocabulary, one token per line in id order (\\n, \\t and \\\\ are escapes).")
    var vocab: String?

    @Option(help: "lm: char or word.")
    var tokenizer = "char"

    @Option(help: "general.name (default: the weights file's name).")
    var name: String?

    @Flag(help: "Store F32 weights instead of per-row int8.")
    var f32 = false

    func run() throws {
        guard let task = TorchImportOptions.Task(rawValue: task) else {
            throw ValidationError("--task must be classifier, regressor or lm, not \(task)")
        }
        let stem = ((weights as NSString).lastPathComponent as NSString).deletingPathExtension
        var options = TorchImportOptions(task: task, name: name ?? stem)
        options.layerOrder = layers.map(Self.list)
        options.activations = activations.map(Self.list) ?? []
        guard ["tanh", "relu"].contains(nonlinearity) else {
            throw ValidationError("--nonlinearity must be tanh or relu, not \(nonlinearity)")
        }
        options.nonlinearity = nonlinearity
        options.labels = labels.map(Self.list)
        options.window = window
        options.hop = hop
        options.inputNames = inputNames.map(Self.list)
        options.tokenizer = tokenizer
        options.quantized = !f32
        if let normalization {
            if mean != nil || std != nil { throw ValidationError("give --normalization or --mean/--std, not both") }
            (options.mean, options.std) = try Self.normalization(normalization)
        } else {
            options.mean = try mean.map { try Self.floats($0, option: "--mean") }
            options.std = try std.map { try Self.floats($0, option: "--std") }
        }
        if let vocab { options.vocabulary = try Self.vocabulary(vocab) }

        let bytes: [UInt8]
        do {
            bytes = try ModelFile.read(weights, limit: 1 << 30)
        } catch {
            throw CLIError("\(error)")
        }
        let plan: TorchImporter.Plan
        let result: Exporter.Result
        do {
            (plan, result) = try TorchImporter.run(bytes: bytes, options: options, to: output)
        } catch {
            throw CLIError("\(weights): \(error)")
        }
        print("layers:")
        for layer in result.model.layers {
            print("  \(layer.index)  \(layer.kind.name.padding(toLength: 14))\(layer.input) → \(layer.output)")
        }
        if options.quantized {
            print("per-row int8 error (|q·scale − w|):")
            for line in result.quantization {
                print("  " + line.formatted + "  (\(plan.sources[line.tensor] ?? "?"))")
            }
        }
        print("wrote \(output): \(Format.bytes(result.bytes.count)), \(result.selfTests) self-test case(s) verified")
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    static func floats(_ text: String, option: String) throws -> [Float] {
        try list(text).map { item in
            guard let value = Float(item) else { throw ValidationError("\(option): \"\(item)\" is not a number") }
            return value
        }
    }

    /// `{"mean": [...], "std": [...]}`.
    static func normalization(_ path: String) throws -> ([Float], [Float]) {
        struct Sidecar: Decodable { var mean: [Float]; var std: [Float] }
        do {
            let sidecar = try JSONDecoder().decode(Sidecar.self, from: Data(try ModelFile.read(path, limit: 64 << 20)))
            return (sidecar.mean, sidecar.std)
        } catch let error as DecodingError {
            throw CLIError("\(path): not a {\"mean\": [...], \"std\": [...]} JSON object (\(error))")
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// One token per line; `\n`, `\t` and `\\` stand for a newline, a tab and a backslash.
    static func vocabulary(_ path: String) throws -> [String] {
        let bytes: [UInt8]
        do { bytes = try ModelFile.read(path, limit: 256 << 20) } catch { throw CLIError("\(error)") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CLIError("\(path) is not UTF-8") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return try lines.enumerated().map { (number, line) in
            var token = ""
            var escaped = false
            for character in line {
                if escaped {
                    switch character {
                    case "n": token.append("\n")
                    case "t": token.append("\t")
                    case "\\": token.append("\\")
                    default: throw CLIError("\(path):\(number + 1): unknown escape \\\(character) (\\n, \\t or \\\\)")
                    }
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else {
                    token.append(character)
                }
            }
            if escaped { throw CLIError("\(path):\(number + 1): a line ends in a lone backslash") }
            return token
        }
    }
}
