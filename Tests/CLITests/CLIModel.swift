import RecurRuntime
import TestSupport
import Trainer

/// A small model for the end-to-end tests, written as a real `.rnnz` file through
/// the Trainer's GGUFBuilder, Quantize and RnnzWriter, with self-test vectors that
/// the Runtime computed for it (as an exporter embeds them).
///
/// Layers: one recurrent layer per entry of `cells` (`lstm`, `gru`), then a dense
/// head (softmax for a classifier, none for a regressor or an lm). lm models get an
/// embedding first and a char vocabulary. Weights are seeded uniforms, quantized
/// per row to int8 (`int8: true`) or stored F32.
struct CLIModel {
    enum Task: String {
        case classifier, regressor, lm
    }

    var task: Task
    var inputSize: Int
    var hidden: Int
    var outputSize: Int
    var cells: [String] = ["lstm"]
    var int8 = true
    var window = 8
    var hop = 4
    /// `recur.segments`: one result per blank-line-ended segment instead of windows.
    var segments = false
    var seed: UInt64 = 1
    var labels: [String] = []
    var vocabulary: [String] = []
    var embedding = 4
    /// Self-test cases embedded in the file (0: none).
    var selfTestCount = 2

    static func classifier(input: Int = 3, hidden: Int = 8, classes: Int = 3, window: Int = 8, hop: Int = 4,
                           seed: UInt64 = 1) -> CLIModel {
        var model = CLIModel(task: .classifier, inputSize: input, hidden: hidden, outputSize: classes)
        model.window = window
        model.hop = hop
        model.seed = seed
        model.labels = (0..<classes).map { ["STILL", "WALKING", "RUNNING", "CYCLING", "JUMPING"][$0 % 5] + ($0 < 5 ? "" : "\($0)") }
        return model
    }

    static func regressor(input: Int = 2, hidden: Int = 6, outputs: Int = 2, seed: UInt64 = 2) -> CLIModel {
        var model = CLIModel(task: .regressor, inputSize: input, hidden: hidden, outputSize: outputs)
        model.cells = ["gru"]
        model.window = 0
        model.hop = 1
        model.seed = seed
        return model
    }

    static func lm(alphabet: String = "abcde \n", hidden: Int = 12, seed: UInt64 = 3) -> CLIModel {
        let vocabulary = ["<unk>", "<bos>"] + alphabet.map { String($0) }
        var model = CLIModel(task: .lm, inputSize: vocabulary.count, hidden: hidden, outputSize: vocabulary.count)
        model.vocabulary = vocabulary
        model.seed = seed
        return model
    }

    // MARK: Files

    /// The GGUF bytes (without self-tests when `selfTests` is empty).
    func gguf(selfTests: [(SelfTestInput, [Float])] = []) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("general.name", .string("cli-\(task.rawValue)"))
        builder.set("recur.format_version", .uint32(1))
        builder.set("recur.task", .string(task.rawValue))
        var layer = 0
        var size = inputSize
        if task == .lm {
            builder.set("recur.vocab", .array(.string(vocabulary)))
            builder.set("recur.tokenizer", .string("char"))
            builder.set("recur.token.unk", .uint32(0))
            builder.set("recur.token.bos", .uint32(1))
            builder.set("recur.enc.0.type", .string("embedding"))
            builder.set("recur.enc.0.input", .uint32(UInt32(vocabulary.count)))
            builder.set("recur.enc.0.output", .uint32(UInt32(embedding)))
            addWeight(&builder, "enc.0.weight", rows: vocabulary.count, cols: embedding, &rng)
            layer = 1
            size = embedding
        } else {
            builder.set("recur.input.size", .uint32(UInt32(inputSize)))
            builder.set("recur.input.mean", .array(.float32((0..<inputSize).map { Float($0) * 0.25 })))
            builder.set("recur.input.std", .array(.float32((0..<inputSize).map { 1 + Float($0) * 0.5 })))
            if segments {
                builder.set("recur.segments", .bool(true))
            } else {
                builder.set("recur.window", .uint32(UInt32(window)))
                builder.set("recur.hop", .uint32(UInt32(hop)))
            }
            if task == .classifier {
                builder.set("recur.labels", .array(.string(labels)))
            } else {
                builder.set("recur.output.size", .uint32(UInt32(outputSize)))
            }
        }
        for cell in cells {
            let gates = cell == "lstm" ? 4 : cell == "gru" ? 3 : 1
            builder.set("recur.enc.\(layer).type", .string(cell))
            builder.set("recur.enc.\(layer).input", .uint32(UInt32(size)))
            builder.set("recur.enc.\(layer).hidden", .uint32(UInt32(hidden)))
            addWeight(&builder, "enc.\(layer).weight_ih", rows: gates * hidden, cols: size, &rng)
            addWeight(&builder, "enc.\(layer).weight_hh", rows: gates * hidden, cols: hidden, &rng)
            builder.addF32(name: "enc.\(layer).bias_ih", rng.uniforms(gates * hidden, -0.2, 0.2))
            builder.addF32(name: "enc.\(layer).bias_hh", rng.uniforms(gates * hidden, -0.2, 0.2))
            layer += 1
            size = hidden
        }
        builder.set("recur.enc.\(layer).type", .string("dense"))
        builder.set("recur.enc.\(layer).input", .uint32(UInt32(size)))
        builder.set("recur.enc.\(layer).output", .uint32(UInt32(outputSize)))
        builder.set("recur.enc.\(layer).activation", .string(task == .classifier ? "softmax" : "none"))
        addWeight(&builder, "enc.\(layer).weight", rows: outputSize, cols: size, &rng)
        builder.addF32(name: "enc.\(layer).bias", rng.uniforms(outputSize, -0.2, 0.2))
        builder.set("recur.enc.count", .uint32(UInt32(layer + 1)))

        if !selfTests.isEmpty {
            builder.set("recur.selftest.count", .uint32(UInt32(selfTests.count)))
            for (k, (input, output)) in selfTests.enumerated() {
                switch input {
                case .frames(let frames):
                    builder.addF32(name: "selftest.\(k).input", rows: frames.count / inputSize, cols: inputSize, frames)
                case .tokens(let tokens):
                    builder.addI32(name: "selftest.\(k).input", tokens)
                case .image(let values):
                    builder.addF32(name: "selftest.\(k).input", values)
                }
                builder.addF32(name: "selftest.\(k).output", rows: output.count / outputSize, cols: outputSize, output)
            }
        }
        return builder.encode()
    }

    /// A weight matrix, rows × cols, uniform in [-0.6, 0.6): int8 per row or F32.
    private func addWeight(_ builder: inout GGUFBuilder, _ name: String, rows: Int, cols: Int,
                           _ rng: inout SeededGenerator) {
        let values = rng.uniforms(rows * cols, -0.6, 0.6)
        if int8 {
            let matrix = Quantize.rows(values, rows: rows, cols: cols)
            builder.addI8(name: name, rows: rows, cols: cols, matrix.values)
            builder.addF32(name: name + ".scale", matrix.scales)
        } else {
            builder.addF32(name: name, rows: rows, cols: cols, values)
        }
    }

    /// The self-test inputs: seeded frames (three windows' worth) or token runs.
    func selfTestInputs() -> [SelfTestInput] {
        var rng = SeededGenerator(seed: seed &+ 100)
        return (0..<selfTestCount).map { k in
            if task == .lm {
                return .tokens([1] + (0..<(10 + k)).map { _ in Int32.random(in: 2..<Int32(vocabulary.count), using: &rng) })
            }
            let frames = max(window, 1) + 2 * hop + k
            return .frames(rng.uniforms(frames * inputSize, -2, 2))
        }
    }

    /// The complete GGUF with self-tests computed by the Runtime on the model itself.
    func ggufWithSelfTests() throws -> [UInt8] {
        let plain = gguf()
        guard selfTestCount > 0 else { return plain }
        let model = try loadModel(plain)
        var cases: [(SelfTestInput, [Float])] = []
        for input in selfTestInputs() {
            cases.append((input, try model.selfTestOutputs(for: input, kernels: .scalar)))
        }
        return gguf(selfTests: cases)
    }

    /// Writes the model (with self-tests) to `path` and returns the loaded Model.
    @discardableResult
    func write(to path: String) throws -> Model {
        let bytes = try ggufWithSelfTests()
        try RnnzWriter.write(bytes, to: path)
        return try Model(contentsOf: path)
    }

    /// Loads GGUF bytes the way recur-run does, through the compressed container.
    func loadModel(_ gguf: [UInt8]) throws -> Model {
        let compressed = try RnnzWriter.compress(gguf)
        let file = try compressed.withUnsafeBytes { (bytes) throws(RecurError) -> GGUFFile in try Rnnz.decode(bytes) }
        return try Model(file: file)
    }

    /// The GGUF bytes with one byte of tensor `name`'s data replaced (at element
    /// `index`) so that the stored weight changes; self-tests stay the old ones.
    static func alteringWeight(_ gguf: [UInt8], tensor name: String, index: Int) throws -> [UInt8] {
        let compressed = try RnnzWriter.compress(gguf)
        let file = try compressed.withUnsafeBytes { (bytes) throws(RecurError) -> GGUFFile in try Rnnz.decode(bytes) }
        let info = try file.tensor(name)
        let position = file.dataOffset + info.offset + index
        var altered = gguf
        let old = Int8(bitPattern: altered[position])
        // A clearly different int8 value, never -128.
        altered[position] = UInt8(bitPattern: old > 0 ? -100 : 100)
        return altered
    }
}
