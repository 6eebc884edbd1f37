import RecurRuntime

/// Turns a PyTorch state dict (safetensors) into an `ExportModel` in FORMAT.md terms, then
/// into a `.rnnz` through the same `Exporter` as `recur train` (self-tests computed by this
/// machine's Runtime, atomic write, read-back verification).
///
/// PyTorch's cells are Recur's cells: LSTM gates i, f, g, o and GRU gates r, z, n with
/// `b_hn` inside the reset product, both biases kept, so weights are copied as they are
/// (row-major `[out, in]` in both).
public enum TorchImporter {
    /// The stack chosen for a state dict.
    public struct Plan: Sendable {
        public var model: ExportModel
        /// FORMAT.md tensor name → the PyTorch tensor it came from.
        public var sources: [String: String]
        /// Inputs whose outputs the exporter embeds as self-tests.
        public var selfTestInputs: [SelfTestInput]
    }

    /// Reads and plans the safetensors `bytes` (see `plan(_:options:)`).
    public static func plan(bytes: [UInt8], options: TorchImportOptions) throws(ImportError) -> Plan {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(bytes: bytes) } catch { throw .file(error) }
        return try plan(try TorchStateDict(file: file), options: options)
    }

    /// Orders the modules, chains their sizes and builds the file's layers and task keys.
    ///
    /// - Throws: `ImportError` naming the tensor or option that does not fit.
    public static func plan(_ state: TorchStateDict, options: TorchImportOptions) throws(ImportError) -> Plan {
        let order = try moduleOrder(state, options: options)
        var layers: [ExportModel.Layer] = []
        var sources: [String: String] = [:]
        var width = 0
        var previous = ""  // the module whose output `width` is
        let file = state.file

        func values(_ torchName: String) throws(ImportError) -> [Float] {
            let values: [Float]
            do { values = try file.floats(of: try file.tensor(named: torchName)) } catch { throw .file(error) }
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite(tensor: torchName, index: index, value: values[index])
            }
            return values
        }
        func tensor(_ name: String, from torchName: String, rows: Int, cols: Int, vector: Bool = false) throws(ImportError) -> ExportModel.Tensor {
            sources[name] = torchName
            return ExportModel.Tensor(name: name, rows: rows, cols: cols, values: try values(torchName), isVector: vector)
        }
        func chain(_ input: Int, at torchName: String, module: TorchModule) throws(ImportError) {
            if !layers.isEmpty && input != width {
                throw .shapesDoNotChain(tensor: torchName, "\(module.name) takes \(input) inputs but the module before it "
                    + "(\(previous)) outputs \(width); give the module order with --layers")
            }
        }

        for (position, module) in order.enumerated() {
            defer { previous = module.name }
            switch module.kind {
            case .weightOnly(let rows, let cols):
                guard position == 0, options.task == .lm else {
                    throw .missingTensor(module.tensorName("bias"), "Recur's dense layers need a bias (nn.Linear(bias=True)); "
                        + "a weight-only module is taken for an nn.Embedding only as the first module of an lm")
                }
                layers.append(ExportModel.Layer(type: "embedding", input: rows, output: cols,
                                                tensors: [try tensor("enc.0.weight", from: module.tensorName("weight"), rows: rows, cols: cols)]))
                width = cols
            case .recurrent(let gates, let recurrentLayers):
                let (type, activation): (String, String?) = switch gates {
                case 4: ("lstm", nil)
                case 3: ("gru", nil)
                default: ("rnn", options.nonlinearity)
                }
                for (k, layer) in recurrentLayers.enumerated() {
                    try chain(layer.input, at: module.tensorName("weight_ih_l\(k)"), module: module)
                    let i = layers.count
                    let rows = gates * layer.hidden
                    layers.append(ExportModel.Layer(
                        type: type, input: layer.input, hidden: layer.hidden, output: layer.hidden, activation: activation,
                        tensors: [
                            try tensor("enc.\(i).weight_ih", from: module.tensorName("weight_ih_l\(k)"), rows: rows, cols: layer.input),
                            try tensor("enc.\(i).weight_hh", from: module.tensorName("weight_hh_l\(k)"), rows: rows, cols: layer.hidden),
                            try tensor("enc.\(i).bias_ih", from: module.tensorName("bias_ih_l\(k)"), rows: rows, cols: 1, vector: true),
                            try tensor("enc.\(i).bias_hh", from: module.tensorName("bias_hh_l\(k)"), rows: rows, cols: 1, vector: true),
                        ]))
                    width = layer.hidden
                }
            case .linear(let outputs, let inputs):
                try chain(inputs, at: module.tensorName("weight"), module: module)
                let i = layers.count
                layers.append(ExportModel.Layer(
                    type: "dense", input: inputs, output: outputs, activation: nil,
                    tensors: [try tensor("enc.\(i).weight", from: module.tensorName("weight"), rows: outputs, cols: inputs),
                              try tensor("enc.\(i).bias", from: module.tensorName("bias"), rows: outputs, cols: 1, vector: true)]))
                width = outputs
            }
        }
        try setActivations(&layers, order: order, options: options)
        let keys = try taskKeys(layers: layers, options: options)
        let model = ExportModel(name: options.name, task: options.task.rawValue, taskKeys: keys, layers: layers)
        return Plan(model: model, sources: sources, selfTestInputs: selfTestInputs(layers: layers, options: options))
    }

    /// Plans `bytes` and exports the model to `path` (or only into memory when nil).
    ///
    /// - Throws: `ImportError`, then what `Exporter.export` throws.
    /// - Throws: `ImportError` (`overflow` when finite weights give non-finite self-test outputs,
    ///   before anything is written), then what `Exporter.export` throws.
    public static func run(bytes: [UInt8], options: TorchImportOptions, to path: String?) throws -> (plan: Plan, result: Exporter.Result) {
        let plan = try plan(bytes: bytes, options: options)
        var result = try Exporter.export(plan.model, quantized: options.quantized, selfTestInputs: plan.selfTestInputs, to: nil)
        for (k, test) in result.model.selfTests.enumerated() {
            if let index = test.expected.firstIndex(where: { !$0.isFinite }) {
                let largest = plan.model.layers.flatMap(\.tensors).flatMap(\.values).reduce(Float(0)) { max($0, abs($1)) }
                throw ImportError.overflow(testCase: k, index: index, largestWeight: largest)
            }
        }
        if let path { result.model = try Exporter.writeVerified(result.bytes, to: path) }
        return (plan, result)
    }

    // MARK: Order

    /// The modules in stack order: `--layers` as given, else embedding, recurrent, Linear,
    /// each group in natural name order (`fc2` before `fc10`).
    static func moduleOrder(_ state: TorchStateDict, options: TorchImportOptions) throws(ImportError) -> [TorchModule] {
        guard !state.modules.isEmpty else { throw .badOption("the safetensors file holds no tensors") }
        if let names = options.layerOrder {
            var seen: Set<String> = []
            var order: [TorchModule] = []
            for name in names {
                guard let module = state.modules[name] else {
                    throw .badOption("--layers names \(name), but the state dict's modules are \(state.modules.keys.sorted().joined(separator: ", "))")
                }
                guard seen.insert(name).inserted else { throw .badOption("--layers names \(name) twice") }
                order.append(module)
            }
            for name in state.modules.keys.sorted() where !seen.contains(name) {
                let tensor = state.file.tensors.first { TorchStateDict.split($0.name).module == name }?.name ?? name
                throw .unplaceable(tensor: tensor, "its module \(name) is not in --layers")
            }
            return order
        }
        func rank(_ module: TorchModule) -> Int {
            switch module.kind {
            case .weightOnly: 0
            case .recurrent: 1
            case .linear: 2
            }
        }
        return state.modules.values.sorted { a, b in
            rank(a) != rank(b) ? rank(a) < rank(b) : naturalOrder(a.name, b.name)
        }
    }

    /// `head.2` after `head.10`? No: digit runs compare as numbers.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        func chunks(_ s: String) -> [(String, Int?)] {
            var result: [(String, Int?)] = []
            var current = ""
            var digits = false
            for character in s {
                let isDigit = character.isASCII && character.isNumber
                if !current.isEmpty && isDigit != digits {
                    result.append((current, digits ? Int(current) : nil))
                    current = ""
                }
                digits = isDigit
                current.append(character)
            }
            if !current.isEmpty { result.append((current, digits ? Int(current) : nil)) }
            return result
        }
        let (x, y) = (chunks(a), chunks(b))
        for (p, q) in zip(x, y) {
            if let m = p.1, let n = q.1, m != n { return m < n }
            if p.0 != q.0 { return p.0 < q.0 }
        }
        return x.count < y.count
    }

    // MARK: Head and task

    /// The last dense layer's activation comes from the task; the others from `--activations`.
    private static func setActivations(_ layers: inout [ExportModel.Layer], order: [TorchModule],
                                       options: TorchImportOptions) throws(ImportError) {
        guard layers.contains(where: { $0.type != "dense" && $0.type != "embedding" }) else {
            throw .badOption("the state dict has no nn.LSTM, nn.GRU or nn.RNN module: Recur runs recurrent stacks")
        }
        guard let last = layers.last, last.type == "dense" else {
            let module = order.last?.name ?? ""
            throw .badOption("the last module (\(module)) is not an nn.Linear: Recur's stack ends in a dense head (give the order with --layers)")
        }
        let denses = layers.indices.filter { layers[$0].type == "dense" }
        let inner = denses.dropLast()
        let linearNames = order.filter { if case .linear = $0.kind { true } else { false } }.map(\.name)
        if options.activations.count != inner.count {
            throw .badOption(inner.isEmpty
                ? "--activations gives \(options.activations.count) activation(s) but there is only one nn.Linear (its activation comes from the task)"
                : "the state dict has \(denses.count) nn.Linear modules (\(linearNames.joined(separator: ", "))) and does not record the "
                    + "activation after each: give --activations for all but the last (\(inner.count) of none, relu, tanh)")
        }
        for (index, activation) in zip(inner, options.activations) {
            guard ["none", "relu", "tanh"].contains(activation) else {
                throw .badOption("--activations: unknown activation \"\(activation)\"; expected none, relu or tanh")
            }
            layers[index].activation = activation
        }
        layers[layers.count - 1].activation = options.task == .classifier ? "softmax" : "none"
    }

    /// FORMAT.md task keys from the options, checked against the stack's sizes.
    private static func taskKeys(layers: [ExportModel.Layer], options: TorchImportOptions) throws(ImportError) -> [(String, GGUFValue)] {
        var keys: [(String, GGUFValue)] = []
        let first = layers[0]
        let outputs = layers[layers.count - 1].output
        switch options.task {
        case .lm:
            guard first.type == "embedding" else {
                throw .badOption("an lm starts with an nn.Embedding (a module with only a weight), found \(first.type)")
            }
            guard let vocabulary = options.vocabulary else { throw .badOption("an lm needs --vocab FILE (one token per line)") }
            guard vocabulary.count == first.input else {
                throw .badOption("--vocab has \(vocabulary.count) tokens but the embedding has \(first.input) rows")
            }
            guard outputs == vocabulary.count else {
                throw .badOption("the last nn.Linear outputs \(outputs) logits but the vocabulary has \(vocabulary.count) tokens")
            }
            guard ["char", "word"].contains(options.tokenizer) else {
                throw .badOption("--tokenizer: unknown tokenizer \"\(options.tokenizer)\"; expected char or word")
            }
            keys.append(("recur.vocab", .array(.string(vocabulary))))
            keys.append(("recur.tokenizer", .string(options.tokenizer)))
        case .classifier, .regressor:
            let inputs = first.input
            keys.append(("recur.input.size", .uint32(UInt32(inputs))))
            if let names = options.inputNames {
                guard names.count == inputs else { throw .badOption("--input-names gives \(names.count) names for \(inputs) inputs") }
                keys.append(("recur.input.names", .array(.string(names))))
            }
            switch (options.mean, options.std) {
            case (nil, nil): break
            case (let mean?, let std?):
                guard mean.count == inputs, std.count == inputs else {
                    throw .badOption("--mean has \(mean.count) and --std \(std.count) values for \(inputs) inputs")
                }
                guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                    throw .badOption("--mean must be finite and --std positive and finite")
                }
                keys.append(("recur.input.mean", .array(.float32(mean))))
                keys.append(("recur.input.std", .array(.float32(std))))
            default: throw .badOption("give both --mean and --std, or neither")
            }
            if let reason = Windowing.problem(window: options.window, hop: options.hop) {
                throw .badOption("--window \(options.window) --hop \(options.hop): \(reason)")
            }
            keys.append(("recur.window", .uint32(UInt32(options.window))))
            keys.append(("recur.hop", .uint32(UInt32(options.hop))))
            if options.task == .classifier {
                let labels = options.labels ?? (0..<outputs).map { String($0) }
                guard labels.count == outputs else {
                    throw .badOption("--labels gives \(labels.count) labels but the last nn.Linear has \(outputs) outputs")
                }
                keys.append(("recur.labels", .array(.string(labels))))
            } else {
                keys.append(("recur.output.size", .uint32(UInt32(outputs))))
            }
        }
        return keys
    }

    /// Seeded inputs for the self-tests: three streams of frames that complete windows
    /// (values around the normalization's mean), or two 32-token sequences.
    static func selfTestInputs(layers: [ExportModel.Layer], options: TorchImportOptions) -> [SelfTestInput] {
        var random = RecurRandom(seed: 0x5EED_1A9)
        if options.task == .lm {
            let vocabulary = layers[0].input
            return (0..<2).map { _ in .tokens((0..<32).map { _ in Int32(random.next() % UInt64(vocabulary)) }) }
        }
        let inputs = layers[0].input
        let frames = options.window > 0 ? options.window + 2 * options.hop : 3 * options.hop
        return (0..<3).map { _ in
            var values: [Float] = []
            for _ in 0..<frames {
                for f in 0..<inputs {
                    let u = 4 * random.nextUnitFloat() - 2  // [-2, 2)
                    values.append((options.mean?[f] ?? 0) + u * (options.std?[f] ?? 0.5))
                }
            }
            return .frames(values)
        }
    }
}
