import CRuntime

extension Model {
    /// Reads, decompresses and validates the `.rnnz` file at `path`.
    ///
    /// - Parameter limit: the largest file and decompressed content accepted, in bytes.
    /// - Throws: `fileUnreadable` when the file cannot be read, then every error of
    ///   `Rnnz.decode` and of `init(file:)`.
    public convenience init(contentsOf path: String, limit: Int = 256 << 20) throws(RecurError) {
        let file = try FileContents.withBytes(ofFile: path, limit: limit) {
            (bytes) throws(RecurError) -> GGUFFile in try Rnnz.decode(bytes, limit: limit)
        }
        try self.init(file: file)
    }

    /// Builds the model from a decoded GGUF file, checking every key and tensor
    /// that the task and its layers use (FORMAT.md; docs/RUNTIME.md for the
    /// runtime's own rules).
    ///
    /// - Throws: `missingKey`, `wrongKeyType`, `badKeyValue`, `missingTensor`,
    ///   `wrongTensorType`, `wrongTensorShape` (expected vs found, in GGUF dims
    ///   order: columns first), `layerSizeMismatch`.
    public convenience init(file: GGUFFile) throws(RecurError) {
        var loader = ModelLoader(file: file)
        let parts = try loader.load()
        self.init(parts: parts, file: file)
    }
}

/// Reads a model's keys and tensors out of a GGUF file, one check at a time.
struct ModelLoader {
    let file: GGUFFile
    var parts = ModelParts()

    /// Largest layer size accepted: keeps every product of sizes far from overflow.
    static let maximumSize = 1 << 24
    /// Most layers in a stack.
    static let maximumLayers = 64
    /// Most embedded self-test cases.
    static let maximumSelfTests = 4096

    init(file: GGUFFile) {
        self.file = file
    }

    mutating func load() throws(RecurError) -> ModelParts {
        let taskName = try file.string("recur.task")
        guard let task = ModelTask(rawValue: taskName) else {
            throw .badKeyValue(
                key: "recur.task",
                reason: "unknown task \"\(taskName)\"; expected classifier, regressor, lm, seq2seq, text_classifier, memory_qa or image_to_text")
        }
        parts.task = task
        parts.name = try file.optionalString("general.name") ?? ""

        switch task {
        case .classifier, .regressor:
            try loadLayers()
            try loadFrameTask()
        case .lm:
            try loadLayers()
            try loadLanguageModel()
        case .seq2seq:
            try loadSeq2Seq()
        case .textClassifier:
            try loadTextClassifier()
        case .memoryQA:
            try loadMemory()
        case .imageToText:
            try loadImageToText()
        }
        try loadSelfTests()
        return parts
    }

    // MARK: Layers

    private mutating func loadLayers() throws(RecurError) {
        let count = try size("recur.enc.count", maximum: Self.maximumLayers)
        var lastRecurrent = -1
        for index in 0..<count {
            let kind = try layerKind(index)
            if try file.optionalBool("recur.enc.\(index).bidirectional") == true {
                throw .badKeyValue(
                    key: "recur.enc.\(index).bidirectional",
                    reason: "a streaming stack is unidirectional (bidirectional layers belong to a seq2seq encoder)")
            }
            let input = try size("recur.enc.\(index).input")
            if index > 0 {
                let previous = parts.layers[index - 1].output
                if input != previous {
                    throw .layerSizeMismatch(layer: index, input: input, previousOutput: previous)
                }
            }
            switch kind {
            case .embedding:
                if index != 0 {
                    throw .badKeyValue(
                        key: "recur.enc.\(index).type", reason: "an embedding layer can only be the first layer")
                }
                try addEmbedding(index, vocabulary: input)
            case .lstm, .gru, .rnnTanh, .rnnRelu:
                try addRecurrent(index, kind: kind, input: input)
                lastRecurrent = index
            case .dense(let activation):
                try addDense(index, activation: activation, input: input)
            }
        }
        if lastRecurrent < 0 {
            throw .badKeyValue(key: "recur.enc.count", reason: "the stack has no recurrent layer (lstm, gru or rnn)")
        }
        let last = count - 1
        guard case .dense = parts.layers[last].kind else {
            throw .badKeyValue(
                key: "recur.enc.\(last).type", reason: "the last layer must be dense (the output head)")
        }
        parts.headStart = lastRecurrent + 1
    }

    /// The kind of layer `index` of stack `stack` (`enc` or `dec`): `recur.{stack}.{index}.type`
    /// and, for rnn and dense, `.activation`.
    func layerKind(_ index: Int, stack: String = "enc") throws(RecurError) -> LayerKind {
        let typeKey = "recur.\(stack).\(index).type"
        let activationKey = "recur.\(stack).\(index).activation"
        switch try file.string(typeKey) {
        case "embedding": return .embedding
        case "lstm": return .lstm
        case "gru": return .gru
        case "rnn":
            let activation = try file.string(activationKey)
            switch activation {
            case "tanh": return .rnnTanh
            case "relu": return .rnnRelu
            default:
                throw .badKeyValue(
                    key: activationKey, reason: "unknown rnn activation \"\(activation)\"; expected tanh or relu")
            }
        case "dense":
            let name = try file.string(activationKey)
            guard let activation = DenseActivation(rawValue: name) else {
                throw .badKeyValue(
                    key: activationKey,
                    reason: "unknown dense activation \"\(name)\"; expected none, relu, tanh or softmax")
            }
            return .dense(activation)
        case let other:
            throw .badKeyValue(
                key: typeKey, reason: "unknown layer type \"\(other)\"; expected embedding, lstm, gru, rnn or dense")
        }
    }

    private mutating func addEmbedding(_ index: Int, vocabulary: Int) throws(RecurError) {
        let (layer, table) = try embeddingLayer(index, vocabulary: vocabulary)
        parts.layers.append(layer)
        parts.computes.append(.embedding(table))
    }

    /// Layer `index` of stack `stack` as an embedding of `vocabulary` rows.
    mutating func embeddingLayer(
        _ index: Int, vocabulary: Int, stack: String = "enc"
    ) throws(RecurError) -> (Layer, EmbeddingTable) {
        let width = try size("recur.\(stack).\(index).output")
        let (matrix, type) = try weightMatrix("\(stack).\(index).weight", rows: vocabulary, columns: width, packed: false)
        let layer = Layer(
            index: index, kind: .embedding, input: vocabulary, output: width,
            weightType: type, parameterCount: vocabulary * width)
        return (layer, EmbeddingTable(rows: vocabulary, columns: width, matrix: matrix))
    }

    private mutating func addRecurrent(_ index: Int, kind: LayerKind, input: Int) throws(RecurError) {
        let hidden = try size("recur.enc.\(index).hidden")
        let layer = try recurrentLayer(index, kind: kind, input: input, hidden: hidden)
        parts.layers.append(Layer(
            index: index, kind: kind, input: input, output: hidden, weightType: layer.weightType,
            parameterCount: kind.gates * hidden * (input + hidden + 2)))
        parts.computes.append(.recurrent(layer.compute))
    }

    /// The weights of recurrent layer `index` of stack `stack`, validated by the C core.
    ///
    /// - Parameter suffix: appended to every tensor name (`_reverse` for the backward
    ///   direction of a bidirectional layer).
    mutating func recurrentLayer(
        _ index: Int, kind: LayerKind, input: Int, hidden: Int, stack: String = "enc", suffix: String = ""
    ) throws(RecurError) -> (compute: rc_recurrent, weightType: WeightType) {
        // G·H rows: gates i|f|g|o (LSTM), r|z|n (GRU), one block (RNN).
        let gateRows = kind.gates * hidden
        let prefix = "\(stack).\(index)."
        let (weightIH, typeIH) = try weightMatrix(prefix + "weight_ih" + suffix, rows: gateRows, columns: input)
        let (weightHH, typeHH) = try weightMatrix(prefix + "weight_hh" + suffix, rows: gateRows, columns: hidden)
        if typeIH != typeHH {
            throw .wrongTensorType(
                tensor: prefix + "weight_hh" + suffix, expected: typeIH.fileName, found: typeHH.fileName)
        }
        let biasIH = try floatVector(prefix + "bias_ih" + suffix, count: gateRows)
        let biasHH = try floatVector(prefix + "bias_hh" + suffix, count: gateRows)
        let cell: rc_cell
        switch kind {
        case .lstm: cell = RC_CELL_LSTM
        case .gru: cell = RC_CELL_GRU
        case .rnnRelu: cell = RC_CELL_RNN_RELU
        default: cell = RC_CELL_RNN_TANH
        }
        var layer = rc_recurrent(
            cell: cell, input: UInt32(input), hidden: UInt32(hidden),
            w_ih: weightIH, w_hh: weightHH, b_ih: biasIH, b_hh: biasHH)
        if rc_recurrent_validate(&layer) != RC_OK {
            throw .internalError("rc_recurrent_validate refused \(stack) layer \(index)")
        }
        return (layer, typeIH)
    }

    private mutating func addDense(_ index: Int, activation: DenseActivation, input: Int) throws(RecurError) {
        let (layer, compute) = try denseLayer(index, activation: activation, input: input)
        parts.layers.append(layer)
        parts.computes.append(.dense(compute))
    }

    /// Dense layer `index` of stack `stack`, validated by the C core.
    mutating func denseLayer(
        _ index: Int, activation: DenseActivation, input: Int, stack: String = "enc"
    ) throws(RecurError) -> (Layer, rc_dense) {
        let output = try size("recur.\(stack).\(index).output")
        let (weight, type) = try weightMatrix("\(stack).\(index).weight", rows: output, columns: input)
        let bias = try floatVector("\(stack).\(index).bias", count: output)
        var compute = rc_dense(
            input: UInt32(input), output: UInt32(output), activation: activation.cValue, w: weight, bias: bias)
        if rc_dense_validate(&compute) != RC_OK {
            throw .internalError("rc_dense_validate refused \(stack) layer \(index)")
        }
        let layer = Layer(
            index: index, kind: .dense(activation), input: input, output: output, weightType: type,
            parameterCount: output * (input + 1))
        return (layer, compute)
    }

    // MARK: Tasks

    private mutating func loadFrameTask() throws(RecurError) {
        let first = parts.layers[0]
        if first.kind == .embedding {
            throw .badKeyValue(
                key: "recur.enc.0.type", reason: "a \(parts.task.rawValue) takes frames, not tokens (no embedding)")
        }
        let inputSize = try size("recur.input.size")
        if inputSize != first.input {
            throw .layerSizeMismatch(layer: 0, input: first.input, previousOutput: inputSize)
        }
        var inputNames: [String] = []
        if file.value("recur.input.names") != nil {
            inputNames = try file.strings("recur.input.names")
            if inputNames.count != inputSize {
                throw .badKeyValue(
                    key: "recur.input.names",
                    reason: "has \(inputNames.count) names for \(inputSize) inputs")
            }
        }
        let (mean, std) = try loadNormalization(inputSize)
        // Checks recur.preprocess.* and that its output size is recur.input.size.
        let preprocessor = try StreamPreprocessor.fromMetadata(of: file)
        var rawInputNames = inputNames
        if preprocessor != nil {
            rawInputNames = try file.optionalStrings(PreprocessKind.inputNamesKey) ?? []
        }

        let window = try file.optionalUInt32("recur.window").map { Int($0) } ?? 0
        let hop = try file.optionalUInt32("recur.hop").map { Int($0) } ?? 1
        if let reason = Windowing.problem(window: window, hop: hop) {
            let key = hop < 1 || hop > Windowing.maximumWindow ? "recur.hop" : "recur.window"
            throw .badKeyValue(key: key, reason: reason)
        }
        let segments = try file.optionalBool("recur.segments") ?? false
        if segments && file.value("recur.window") != nil {
            throw .badKeyValue(key: "recur.segments", reason: "a segment model has no recur.window")
        }
        let sampleRate = try file.optionalFloat("recur.sample_rate_hz")

        // The stack ends in a dense layer (loadLayers).
        let last = parts.layers[parts.layers.count - 1]
        guard case .dense(let activation) = last.kind else {
            throw .internalError("the stack's last layer is not dense")
        }
        let outputs: FrameConfiguration.Outputs
        if parts.task == .classifier {
            if activation != .softmax {
                throw .badKeyValue(
                    key: "recur.enc.\(last.index).activation",
                    reason: "a classifier ends in a dense layer with softmax, found \(activation.rawValue)")
            }
            let labels = try file.strings("recur.labels")
            if labels.count != last.output {
                throw .badKeyValue(
                    key: "recur.labels",
                    reason: "has \(labels.count) labels but the last layer has \(last.output) outputs")
            }
            outputs = .labels(labels)
        } else {
            let count = try size("recur.output.size")
            if count != last.output {
                throw .badKeyValue(
                    key: "recur.output.size",
                    reason: "is \(count) but the last layer has \(last.output) outputs")
            }
            outputs = .values(count)
        }
        parts.frames = FrameConfiguration(
            inputSize: inputSize, inputNames: inputNames, preprocessor: preprocessor,
            rawInputSize: preprocessor?.inputSize ?? inputSize, rawInputNames: rawInputNames, mean: mean, std: std,
            window: window, hop: hop, segments: segments, sampleRate: sampleRate, outputs: outputs)
    }

    /// `recur.input.mean` and `.std`: both or neither (empty arrays: no normalization).
    private func loadNormalization(_ inputSize: Int) throws(RecurError) -> (mean: [Float], std: [Float]) {
        let hasMean = file.value("recur.input.mean") != nil
        let hasStd = file.value("recur.input.std") != nil
        if !hasMean && !hasStd { return ([], []) }
        if !hasMean { throw .missingKey("recur.input.mean") }
        if !hasStd { throw .missingKey("recur.input.std") }
        let mean = try file.floats("recur.input.mean")
        let std = try file.floats("recur.input.std")
        if mean.count != inputSize {
            throw .badKeyValue(key: "recur.input.mean", reason: "has \(mean.count) values for \(inputSize) inputs")
        }
        if std.count != inputSize {
            throw .badKeyValue(key: "recur.input.std", reason: "has \(std.count) values for \(inputSize) inputs")
        }
        for i in 0..<inputSize {
            if !mean[i].isFinite {
                throw .badKeyValue(key: "recur.input.mean", reason: "value \(i) is not finite")
            }
            if !(std[i] > 0) || !std[i].isFinite {
                throw .badKeyValue(key: "recur.input.std", reason: "value \(i) is not a positive finite number")
            }
        }
        return (mean, std)
    }

    private mutating func loadLanguageModel() throws(RecurError) {
        let first = parts.layers[0]
        if first.kind != .embedding {
            throw .badKeyValue(key: "recur.enc.0.type", reason: "an lm starts with an embedding layer")
        }
        let vocabulary = try file.strings("recur.vocab")
        if vocabulary.count != first.input {
            throw .badKeyValue(
                key: "recur.vocab",
                reason: "has \(vocabulary.count) tokens but the embedding has \(first.input) rows")
        }
        let last = parts.layers[parts.layers.count - 1]
        if last.output != vocabulary.count {
            throw .badKeyValue(
                key: "recur.enc.\(last.index).output",
                reason: "is \(last.output) but an lm outputs one logit per token (\(vocabulary.count))")
        }
        if last.kind != .dense(.none) {
            throw .badKeyValue(
                key: "recur.enc.\(last.index).activation", reason: "an lm's last layer outputs logits: activation none")
        }
        let unknownToken = try tokenID("recur.token.unk", vocabulary: vocabulary.count)
        let beginToken = try tokenID("recur.token.bos", vocabulary: vocabulary.count)
        let endToken = try tokenID("recur.token.eos", vocabulary: vocabulary.count)
        let padToken = try tokenID("recur.token.pad", vocabulary: vocabulary.count)
        let kindName = try file.optionalString("recur.tokenizer") ?? "char"
        guard let kind = Tokenizer.Kind(rawValue: kindName), kind != .charBigram else {
            throw .badKeyValue(key: "recur.tokenizer", reason: "unknown tokenizer \"\(kindName)\"; expected char or word")
        }
        parts.language = LanguageConfiguration(
            tokenizer: Tokenizer(kind: kind, vocabulary: vocabulary, unknown: unknownToken),
            unknownToken: unknownToken, beginToken: beginToken, endToken: endToken, padToken: padToken)
    }

    func tokenID(_ key: String, vocabulary: Int) throws(RecurError) -> Int? {
        guard let id = try file.optionalUInt32(key) else { return nil }
        if Int(id) >= vocabulary {
            throw .badKeyValue(key: key, reason: "token \(id) is outside the vocabulary of \(vocabulary)")
        }
        return Int(id)
    }

    // MARK: Self-tests

    private mutating func loadSelfTests() throws(RecurError) {
        guard let count = try file.optionalUInt32("recur.selftest.count") else { return }
        // Token inputs (lm, seq2seq) name ids below this; frame inputs are rows of inputSize.
        let tokenVocabularySize = parts.language?.vocabulary.count ?? parts.seq2seq?.sourceVocabulary.count
            ?? parts.textClassifier?.vocabulary.count ?? parts.memory?.vocabulary.count
        // Per result: the labels or outputs (frames, text classifier), the vocabulary (lm).
        let outputSize = parts.frames?.outputSize ?? parts.language?.vocabulary.count
            ?? parts.textClassifier?.labels.count ?? parts.memory?.vocabulary.count ?? 0
        // A memory network's ids: −1 ends a sentence (the last run is the question).
        let lowestToken: Int32 = parts.memory == nil ? 0 : -1
        if Int(count) > Self.maximumSelfTests {
            throw .badKeyValue(key: "recur.selftest.count", reason: "\(count) is over the limit of \(Self.maximumSelfTests)")
        }
        for k in 0..<Int(count) {
            let inputName = "selftest.\(k).input"
            let outputName = "selftest.\(k).output"
            let inputInfo = try file.tensor(inputName)
            let input: SelfTestInput
            if let image = parts.image {
                // One image's floats.
                try expect(inputInfo, type: .f32)
                if inputInfo.dims != [image.input.count] {
                    throw .wrongTensorShape(tensor: inputName, expected: [image.input.count], found: inputInfo.dims)
                }
                input = .image(try file.floats(of: inputInfo))
            } else if let vocabularySize = tokenVocabularySize {
                try expect(inputInfo, type: .i32)
                if inputInfo.dims.count != 1 || inputInfo.dims[0] < 1 {
                    throw .wrongTensorShape(tensor: inputName, expected: [-1], found: inputInfo.dims)
                }
                if let limit = parts.seq2seq?.sourceMaxLength, inputInfo.dims[0] > limit {
                    throw .badKeyValue(
                        key: inputName,
                        reason: "holds \(inputInfo.dims[0]) tokens, over recur.source.max_length \(limit)")
                }
                if let limit = parts.textClassifier?.maxLength, inputInfo.dims[0] > limit {
                    throw .badKeyValue(
                        key: inputName, reason: "holds \(inputInfo.dims[0]) tokens, over recur.text.max_length \(limit)")
                }
                let tokens = try file.int32s(of: inputInfo)
                for (i, token) in tokens.enumerated() where token < lowestToken || Int(token) >= vocabularySize {
                    throw .badKeyValue(
                        key: inputName,
                        reason: "token \(token) at \(i) is outside the vocabulary of \(vocabularySize)")
                }
                input = .tokens(tokens)
            } else {
                let inputSize = parts.frames?.inputSize ?? 0
                try expect(inputInfo, type: .f32)
                if inputInfo.dims.count != 2 || inputInfo.dims[0] != inputSize || inputInfo.dims[1] < 1 {
                    throw .wrongTensorShape(tensor: inputName, expected: [inputSize, -1], found: inputInfo.dims)
                }
                input = .frames(try file.floats(of: inputInfo))
            }
            let outputInfo = try file.tensor(outputName)
            try expect(outputInfo, type: .f32)
            if let seq2seq = parts.seq2seq {
                // The greedy ids (EOS included when produced), then the log-probability.
                let most = seq2seq.targetMaxLength + 2
                if outputInfo.dims.count != 1 || outputInfo.dims[0] < 1 || outputInfo.dims[0] > most {
                    throw .wrongTensorShape(tensor: outputName, expected: [-1], found: outputInfo.dims)
                }
            } else if parts.memory != nil {
                // One answer distribution over the vocabulary.
                if outputInfo.dims != [outputSize] {
                    throw .wrongTensorShape(tensor: outputName, expected: [outputSize], found: outputInfo.dims)
                }
            } else if parts.textClassifier != nil {
                // One result: the label probabilities, dims [L, 1] (or [L]).
                if outputInfo.dims != [outputSize, 1] && outputInfo.dims != [outputSize] {
                    throw .wrongTensorShape(tensor: outputName, expected: [outputSize, 1], found: outputInfo.dims)
                }
            } else if outputInfo.dims.count != 2 || outputInfo.dims[0] != outputSize || outputInfo.dims[1] < 1 {
                throw .wrongTensorShape(tensor: outputName, expected: [outputSize, -1], found: outputInfo.dims)
            }
            let expected = try file.floats(of: outputInfo)
            parts.selfTests.append(SelfTestCase(input: input, expected: expected))
        }
    }

    // MARK: Reading keys and tensors

    /// A u32 key as a size in 1...maximum (`badKeyValue` otherwise).
    func size(_ key: String, maximum: Int = ModelLoader.maximumSize) throws(RecurError) -> Int {
        let value = Int(try file.uint32(key))
        if value < 1 || value > maximum {
            throw .badKeyValue(key: key, reason: "\(value) is not in 1...\(maximum)")
        }
        return value
    }

    func expect(_ info: GGUFTensorInfo, type: GGUFTensorType) throws(RecurError) {
        if info.type != type {
            throw .wrongTensorType(tensor: info.name, expected: type.name, found: info.type.name)
        }
    }

    /// An F32 vector of `count` values: a bias or a row-scale tensor.
    func floatVector(_ name: String, count: Int) throws(RecurError) -> UnsafePointer<Float> {
        let info = try file.tensor(name)
        try expect(info, type: .f32)
        if info.dims != [count] {
            throw .wrongTensorShape(tensor: name, expected: [count], found: info.dims)
        }
        return file.tensorBytes(info).baseAddress!.assumingMemoryBound(to: Float.self)
    }

    /// A rows × columns weight matrix stored I8 (with `<name>.scale`), F32 or F16
    /// (converted to an owned F32 copy). A matrix that a product reads (`packed`:
    /// everything but an embedding table) also gets the C core's interleaved layout,
    /// prepared here once.
    mutating func weightMatrix(
        _ name: String, rows: Int, columns: Int, packed: Bool = true
    ) throws(RecurError) -> (rc_matrix, WeightType) {
        let info = try file.tensor(name)
        var matrix = rc_matrix(
            type: RC_W_F32, rows: UInt32(rows), cols: UInt32(columns), f32: nil, q8: nil, scale: nil,
            packed: nil)
        let type: WeightType
        switch info.type {
        case .i8:
            type = .int8
        case .f32:
            type = .f32
        case .f16:
            type = .f16
        case .i32:
            throw .wrongTensorType(tensor: name, expected: "I8, F32 or F16", found: info.type.name)
        }
        // GGUF order: dims[0] is the number of columns.
        if info.dims != [columns, rows] {
            throw .wrongTensorShape(tensor: name, expected: [columns, rows], found: info.dims)
        }
        // Non-empty (rows, columns ≥ 1), so the data section holds it and has an address.
        let base = file.tensorBytes(info).baseAddress!
        switch type {
        case .int8:
            matrix.type = RC_W_Q8
            matrix.q8 = UnsafePointer(base.assumingMemoryBound(to: Int8.self))
            matrix.scale = try floatVector(name + ".scale", count: rows)
        case .f32:
            matrix.f32 = UnsafePointer(base.assumingMemoryBound(to: Float.self))
        case .f16:
            let count = rows * columns
            let owned = AlignedBuffer(floats: count)
            let halves = base.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count {
                owned.floats[i] = Float16Conversion.float(fromHalfBits: UInt16(littleEndian: halves[i]))
            }
            parts.ownedWeights.append(owned)
            matrix.f32 = UnsafePointer(owned.floats)
        }
        if packed { try pack(&matrix, name) }
        return (matrix, type)
    }

    /// Gives `matrix` the C core's interleaved layout for its type (`rc_pack_q8` or
    /// `rc_pack_f32`, docs/KERNELS.md), owned by the model; a matrix too large for the
    /// layout keeps the row-major form only (every path reads that too).
    mutating func pack(_ matrix: inout rc_matrix, _ name: String) throws(RecurError) {
        let q8 = matrix.type == RC_W_Q8
        let bytes = q8 ? rc_pack_q8_bytes(matrix.rows, matrix.cols) : rc_pack_f32_bytes(matrix.rows, matrix.cols)
        if bytes == 0 { return }
        let layout = AlignedBuffer(byteCount: bytes)
        let status = q8 ? rc_pack_q8(&matrix, layout.base, bytes) : rc_pack_f32(&matrix, layout.base, bytes)
        if status != RC_OK { throw .internalError("the C core refused to pack \(name) (\(matrix.rows) × \(matrix.cols))") }
        parts.ownedWeights.append(layout)
        matrix.packed = UnsafeRawPointer(layout.base)
    }
}

extension WeightType {
    /// The GGUF type name of this storage (`I8`, `F32`, `F16`), for error messages.
    var fileName: String {
        switch self {
        case .int8: return "I8"
        case .f32: return "F32"
        case .f16: return "F16"
        }
    }
}
