import FuzzSupport
import RecurRuntime
import Trainer

/// `recur import` from bytes: `SafetensorsFile` (the header length, the JSON header by
/// JSONDecoder, dtypes, shapes, offsets tiling the data section, F32/F16/BF16 values), the module
/// grouping of `TorchStateDict`, `TorchImporter`'s stack, activations and task keys, then
/// `Exporter.export` into memory (quantization or F32, the Runtime's load, self-tests computed and
/// verified) — everything `recur import` does but the write.
///
/// Input: byte 0 the options (`FuzzImportOptions`), byte 1 the window (0…15, low nibble) and hop
/// (1…16, high nibble); the rest is the safetensors file.
///
/// Checks: a refusal is an `ImportError` or the Runtime's `RecurError` with a message, never an
/// export that fails its own verification; an accepted file places every tensor (each is the
/// source of a FORMAT.md tensor), its weights are finite, its model reloads from the bytes with
/// the stack's output size, and its self-tests (one per input) give finite outputs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let flags = FuzzImportOptions(rawValue: data[0])
    let bytes = [UInt8](UnsafeBufferPointer(start: data + 2, count: size - 2))
    var options = TorchImportOptions(task: flags.task, name: "fuzz")
    options.window = Int(data[1] & 15)
    options.hop = 1 + Int(data[1] >> 4)
    options.quantized = !flags.contains(.f32)
    if flags.contains(.relu) { options.nonlinearity = "relu" }
    if flags.contains(.word) { options.tokenizer = "word" }
    if flags.contains(.fit), let file = try? SafetensorsFile(bytes: bytes), let state = try? TorchStateDict(file: file) {
        flags.fit(&options, to: state)
    }

    let imported: (plan: TorchImporter.Plan, result: Exporter.Result)
    do {
        imported = try TorchImporter.run(bytes: bytes, options: options, to: nil)
    } catch let error as ImportError {
        Exercise.consume(error.description)
        return 0
    } catch let error as RecurError {
        Exercise.consume(error.description)
        return 0
    } catch {
        check(false, "the import failed other than by ImportError or RecurError: \(error)")
        return 0
    }
    let (plan, result) = imported
    let file: SafetensorsFile
    do { file = try SafetensorsFile(bytes: bytes) } catch {
        check(false, "an imported file does not parse again: \(error)")
        return 0
    }
    let placed = Set(plan.sources.values)
    for tensor in file.tensors {
        check(placed.contains(tensor.name), "tensor \(tensor.name) was neither placed nor refused")
    }
    for layer in plan.model.layers {
        for tensor in layer.tensors {
            check(tensor.values.count == tensor.rows * tensor.cols, "\(tensor.name): \(tensor.values.count) values for \(tensor.rows)×\(tensor.cols)")
            check(tensor.values.allSatisfy(\.isFinite), "\(tensor.name) (from \(plan.sources[tensor.name] ?? "?")) holds a non-finite weight")
        }
    }
    let outputs = plan.model.layers.last?.output ?? 0
    let reloadedOutputs = result.model.frames?.outputSize ?? result.model.language?.vocabulary.count ?? 0
    check(reloadedOutputs == outputs, "the model has \(reloadedOutputs) outputs, the stack \(outputs)")
    check(result.selfTests == plan.selfTestInputs.count, "\(result.selfTests) self-tests for \(plan.selfTestInputs.count) inputs")
    do throws(RecurError) {
        let reloaded = try Model(file: try ModelFile.decode(result.bytes))
        let report = try reloaded.verifySelfTests()
        check(report.cases == plan.selfTestInputs.count, "the reloaded model has \(report.cases) self-tests")
        for test in reloaded.selfTests {
            check(test.expected.allSatisfy(\.isFinite), "a self-test output is not finite")
        }
    } catch {
        check(false, "the exported bytes do not load again: \(error)")
    }
    return 0
}

/// Byte 0 of the input: the task and the options `recur import` would be given.
struct FuzzImportOptions: OptionSet {
    let rawValue: UInt8
    /// Bits 0–1: classifier, regressor, lm, classifier.
    var task: TorchImportOptions.Task {
        switch rawValue & 3 {
        case 1: .regressor
        case 2: .lm
        default: .classifier
        }
    }

    /// `--f32`.
    static let f32 = FuzzImportOptions(rawValue: 1 << 2)
    /// `--nonlinearity relu`.
    static let relu = FuzzImportOptions(rawValue: 1 << 3)
    /// `--tokenizer word`.
    static let word = FuzzImportOptions(rawValue: 1 << 4)
    /// Options that fit the state dict, as a user who knows the model gives them: the
    /// vocabulary, activations, labels, input names (and with `normalization`, mean and std).
    static let fit = FuzzImportOptions(rawValue: 1 << 5)
    /// `--mean`/`--std` per input (with `fit`).
    static let normalization = FuzzImportOptions(rawValue: 1 << 6)
    /// `--layers` in name order (with `fit`).
    static let layerOrder = FuzzImportOptions(rawValue: 1 << 7)

    /// Sizes read from the modules: the embedding's rows, the Linear modules, the first input.
    func fit(_ options: inout TorchImportOptions, to state: TorchStateDict) {
        var inputs = 0, outputs = 0, linears = 0
        var firstRank = Int.max, lastLinear = ""
        for module in state.modules.values {
            switch module.kind {
            case .weightOnly(let rows, _):
                options.vocabulary = (0..<rows).map { "t\($0)" }
            case .recurrent(_, let layers):
                if firstRank > 1, let first = layers.first { inputs = first.input; firstRank = 1 }
            case .linear(let out, let inp):
                linears += 1
                if lastLinear.isEmpty || lastLinear < module.name { lastLinear = module.name; outputs = out }
                if firstRank > 2 { inputs = inp; firstRank = 2 }
            }
        }
        options.activations = (0..<max(linears - 1, 0)).map { ["relu", "tanh", "none"][$0 % 3] }
        if options.task == .lm {
            options.vocabulary = options.vocabulary ?? (0..<outputs).map { "t\($0)" }
        } else {
            options.labels = (0..<outputs).map { "class \($0)" }
            options.inputNames = (0..<inputs).map { "input \($0)" }
            if contains(.normalization) {
                options.mean = (0..<inputs).map { Float($0) - 1 }
                options.std = (0..<inputs).map { Float($0) + 0.5 }
            }
        }
        if contains(.layerOrder) { options.layerOrder = state.modules.keys.sorted() }
    }
}
