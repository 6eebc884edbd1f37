import RecurRuntime

/// `--info`: what the model is, one `key: value` line each, for a person at a board.
///
/// ```
/// task: classifier
/// name: har
/// input: 6 values per frame (ax, ay, az, gx, gy, gz), normalized
/// layers: 2
///   0 lstm 6 -> 64 int8
///   1 dense(softmax) 64 -> 6 int8
/// parameters: 18374
/// labels: 6 (WALKING, ...)
/// window: 128, hop: 64
/// self-tests: 2
/// kernels: avx2
/// ```
enum ModelDescription {
    static func write(_ model: Model, kernels: KernelPath, to output: OutputStream) {
        output.write("task: ")
        output.write(model.task.rawValue)
        output.write(byte: 10)
        if !model.name.isEmpty {
            output.write("name: ")
            output.write(model.name)
            output.write(byte: 10)
        }
        if model.task == .lm {
            output.write("vocabulary: ")
            output.write(model.vocabulary.count)
            if let tokenizer = model.tokenizer {
                output.write(" tokens, tokenizer ")
                output.write(tokenizer.kind.rawValue)
            }
            output.write(byte: 10)
        } else {
            output.write("input: ")
            output.write(model.rawInputSize)
            output.write(" values per frame")
            if !model.rawInputNames.isEmpty {
                output.write(" (")
                output.write(model.rawInputNames.joined(separator: ", "))
                output.write(")")
            }
            if model.preprocessor == nil && !model.inputMean.isEmpty { output.write(", normalized in the runtime") }
            output.write(byte: 10)
            if let preprocessor = model.preprocessor {
                output.write("preprocess: ")
                output.write(preprocessor.kind.name)
                output.write(", ")
                output.write(model.rawInputSize)
                output.write(" -> ")
                output.write(model.inputSize)
                output.write(" values")
                if !model.inputNames.isEmpty {
                    output.write(" (")
                    output.write(model.inputNames.joined(separator: ", "))
                    output.write(")")
                }
                if !model.inputMean.isEmpty { output.write(", then normalized") }
                output.write(byte: 10)
            }
        }
        output.write("layers: ")
        output.write(model.layers.count)
        output.write(byte: 10)
        for layer in model.layers {
            output.write("  ")
            output.write(layer.index)
            output.write(byte: 0x20)
            output.write(layer.kind.name)
            output.write(byte: 0x20)
            output.write(layer.input)
            output.write(" -> ")
            output.write(layer.output)
            output.write(byte: 0x20)
            output.write(layer.weightType.rawValue)
            output.write(byte: 10)
        }
        output.write("parameters: ")
        output.write(model.parameterCount)
        output.write(byte: 10)
        switch model.task {
        case .classifier:
            output.write("labels: ")
            output.write(model.labels.count)
            if !model.labels.isEmpty {
                output.write(" (")
                output.write(model.labels.joined(separator: ", "))
                output.write(")")
            }
            output.write(byte: 10)
        case .regressor:
            output.write("outputs: ")
            output.write(model.outputSize)
            output.write(byte: 10)
        case .lm, .seq2seq:
            break
        }
        if model.task != .lm {
            output.write("window: ")
            output.write(model.window)
            output.write(model.window == 0 ? " (one continuous stream)" : "")
            output.write(", hop: ")
            output.write(model.hop)
            output.write(byte: 10)
        }
        if let rate = model.sampleRate {
            output.write("sample rate: ")
            output.write(rate, decimals: 2)
            output.write(" Hz\n")
        }
        output.write("self-tests: ")
        output.write(model.selfTests.count)
        output.write(byte: 10)
        output.write("kernels: ")
        output.write(kernels.activeName)
        if kernels == .best { output.write(" (the best this CPU supports)") }
    }
}
