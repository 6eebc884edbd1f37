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
        if let memory = model.memory {
            writeMemory(memory, to: output)
        } else if let seq2seq = model.seq2seq {
            writeSeq2Seq(model, seq2seq, to: output)
        } else if let text = model.textClassifier {
            writeTextClassifier(text, to: output)
        } else if let language = model.language {
            output.write("vocabulary: ")
            output.write(language.vocabulary.count)
            output.write(" tokens, tokenizer ")
            output.write(language.tokenizer.kind.rawValue)
            output.write(byte: 10)
        } else if let frames = model.frames {
            writeFrameInput(frames, to: output)
        }
        if model.seq2seq == nil && model.memory == nil {
            writeLayers("layers: ", model.layers, to: output)
        }
        output.write("parameters: ")
        output.write(model.parameterCount)
        output.write(byte: 10)
        if let frames = model.frames {
            writeFrameOutput(frames, to: output)
        } else if let text = model.textClassifier {
            writeLabels(text.labels, to: output)
        }
        output.write("self-tests: ")
        output.write(model.selfTests.count)
        output.write(byte: 10)
        output.write("kernels: ")
        if model.memory != nil {
            output.write("none (a memory network computes in scalar Swift)")
            return
        }
        output.write(kernels.activeName)
        if kernels == .best { output.write(" (the best this CPU supports)") }
    }

    /// A memory network: its hops, memory and tables (it has no layer stack).
    private static func writeMemory(_ memory: MemoryConfiguration, to output: OutputStream) {
        output.write("model: memory network, ")
        output.write(memory.hops)
        output.write(" hops, adjacent tying, position and temporal encoding\nmemory: the last ")
        output.write(memory.capacity)
        output.write(" sentences, at most ")
        output.write(memory.maxWords)
        output.write(" words each\nembedding: ")
        output.write(memory.dim)
        output.write(" wide, ")
        output.write(memory.weightType == .int8 ? "int8" : "f32")
        output.write("\nvocabulary: ")
        output.write(memory.vocabulary.count)
        output.write(" words\n")
    }

    /// A frame model's input lines: the raw frame, then any preprocessing.
    private static func writeFrameInput(_ frames: FrameConfiguration, to output: OutputStream) {
        output.write("input: ")
        output.write(frames.rawInputSize)
        output.write(" values per frame")
        if !frames.rawInputNames.isEmpty {
            output.write(" (")
            output.write(frames.rawInputNames.joined(separator: ", "))
            output.write(")")
        }
        if frames.preprocessor == nil && !frames.mean.isEmpty { output.write(", normalized in the runtime") }
        output.write(byte: 10)
        if let preprocessor = frames.preprocessor {
            output.write("preprocess: ")
            output.write(preprocessor.kind.name)
            output.write(", ")
            output.write(frames.rawInputSize)
            output.write(" -> ")
            output.write(frames.inputSize)
            output.write(" values")
            if !frames.inputNames.isEmpty {
                output.write(" (")
                output.write(frames.inputNames.joined(separator: ", "))
                output.write(")")
            }
            if !frames.mean.isEmpty { output.write(", then normalized") }
            output.write(byte: 10)
        }
    }

    /// `labels: <count> (<names>)`.
    private static func writeLabels(_ labels: [String], to output: OutputStream) {
        output.write("labels: ")
        output.write(labels.count)
        if !labels.isEmpty {
            output.write(" (")
            output.write(labels.joined(separator: ", "))
            output.write(")")
        }
        output.write(byte: 10)
    }

    /// A frame model's outputs, windowing and sample rate.
    private static func writeFrameOutput(_ frames: FrameConfiguration, to output: OutputStream) {
        switch frames.outputs {
        case .labels(let labels):
            writeLabels(labels, to: output)
        case .values(let count):
            output.write("outputs: ")
            output.write(count)
            output.write(byte: 10)
        }
        if frames.segments {
            output.write("segments: a blank line ends each (one result per segment)\n")
        } else {
            output.write("window: ")
            output.write(frames.window)
            output.write(frames.window == 0 ? " (one continuous stream)" : "")
            output.write(", hop: ")
            output.write(frames.hop)
            output.write(byte: 10)
        }
        if let rate = frames.sampleRate {
            output.write("sample rate: ")
            output.write(rate, decimals: 2)
            output.write(" Hz\n")
        }
    }

    /// `title`, the layer count and `unit`, then one line per layer:
    /// `  <index> <kind> <input> -> <output>[ x2 (bidirectional)] <weights>`.
    private static func writeLayers(
        _ title: StaticString, _ layers: [Layer], unit: StaticString = "", to output: OutputStream
    ) {
        output.write(title)
        output.write(layers.count)
        output.write(unit)
        output.write(byte: 10)
        for layer in layers {
            output.write("  ")
            output.write(layer.index)
            output.write(byte: 0x20)
            output.write(layer.kind.name)
            output.write(byte: 0x20)
            output.write(layer.input)
            output.write(" -> ")
            output.write(layer.output)
            if layer.isBidirectional { output.write(" x2 (bidirectional)") }
            output.write(byte: 0x20)
            output.write(layer.weightType.rawValue)
            output.write(byte: 10)
        }
    }

    /// The text classifier's lines before its layers:
    ///
    /// ```
    /// vocabulary: 4500 tokens, tokenizer char_bigram (unk 0), lowercased; at most 64 tokens per line
    /// pool: mean over the top layer's 128 values per token
    /// ```
    private static func writeTextClassifier(_ text: TextClassifierConfiguration, to output: OutputStream) {
        output.write("vocabulary: ")
        output.write(text.vocabulary.count)
        output.write(" tokens, tokenizer ")
        output.write(text.tokenizer.rawValue)
        output.write(" (unk ")
        output.write(text.unknown)
        output.write(")")
        if text.lowercase { output.write(", lowercased") }
        output.write("; at most ")
        output.write(text.maxLength)
        output.write(" tokens per line\npool: ")
        output.write(text.pool.rawValue)
        output.write(" over the top layer's ")
        output.write(text.encoderWidth)
        output.write(" values per token\n")
    }

    /// The seq2seq lines: both sides' vocabularies and limits, both stacks, the attention.
    ///
    /// ```
    /// source: 13 tokens, tokenizer char; at most 12 tokens per line
    /// target: 14 tokens, tokenizer char (bos 0, eos 1, unk 2); at most 8 tokens per line
    /// encoder: 2 layers …
    /// decoder: 3 layers …
    /// attention: general, input feeding, bridge zero (E 10, H_d 10, C 6) int8
    /// ```
    private static func writeSeq2Seq(_ model: Model, _ seq2seq: Seq2SeqConfiguration, to output: OutputStream) {
        if let image = model.image {
            writeImage(image, to: output)
        } else {
            output.write("source: ")
            output.write(seq2seq.sourceVocabulary.count)
            output.write(" tokens, tokenizer ")
            output.write(seq2seq.sourceTokenizer?.rawValue ?? "none")
            if seq2seq.lowercase { output.write(", lowercased") }
            output.write("; at most ")
            output.write(seq2seq.sourceMaxLength)
            output.write(" tokens per line\n")
        }
        output.write("target: ")
        output.write(seq2seq.targetVocabulary.count)
        output.write(" tokens, tokenizer ")
        output.write(seq2seq.targetTokenizer.rawValue)
        output.write(" (bos ")
        output.write(seq2seq.targetBegin)
        output.write(", eos ")
        output.write(seq2seq.targetEnd)
        output.write(", unk ")
        output.write(seq2seq.targetUnknown)
        output.write("); at most ")
        output.write(seq2seq.targetMaxLength)
        output.write(" tokens per line\n")
        if model.image == nil { writeLayers("encoder: ", model.layers, unit: " layers", to: output) }
        writeLayers("decoder: ", seq2seq.decoderLayers, unit: " layers", to: output)
        output.write("attention: ")
        output.write(seq2seq.attention.rawValue)
        if seq2seq.attention == .additive {
            output.write(" (A ")
            output.write(seq2seq.attentionSize)
            output.write(")")
        }
        output.write(seq2seq.inputFeeding ? ", input feeding" : ", no input feeding")
        output.write(", bridge ")
        output.write(seq2seq.bridge.rawValue)
        output.write(" (E ")
        output.write(seq2seq.encoderWidth)
        output.write(", H_d ")
        output.write(seq2seq.decoderHidden)
        output.write(", C ")
        output.write(seq2seq.combineSize)
        output.write(") ")
        output.write(seq2seq.attentionWeightType.rawValue)
        output.write(byte: 10)
    }

    /// An image-to-text model's input and convolution encoder.
    ///
    /// ```
    /// input: 64×64 images, 1 channel (binary PGM), values sample/maxval
    /// encoder: 3 layers, output 32×32×16: 1024 memory rows of 16
    ///   0 conv2d 3×3 stride 1×1 pad 1×1, 1 -> 16 int8 (64×64 -> 64×64)
    ///   1 relu
    ///   2 maxpool 2×2 stride 2×2 (64×64 -> 32×32)
    /// render: before, one text per token, after
    /// ```
    private static func writeImage(_ image: ImageConfiguration, to output: OutputStream) {
        func shape(_ shape: ImageConfiguration.Shape) {
            output.write(shape.height)
            output.write("×")
            output.write(shape.width)
        }
        output.write("input: ")
        shape(image.input)
        output.write(" images, ")
        output.write(image.input.channels)
        output.write(image.input.channels == 1 ? " channel (binary PGM)" : " channels (binary PPM)")
        output.write(", values sample/maxval\nencoder: ")
        output.write(image.layers.count)
        output.write(image.layers.count == 1 ? " layer, output " : " layers, output ")
        shape(image.memory)
        output.write("×")
        output.write(image.memory.channels)
        output.write(": ")
        output.write(image.memory.height * image.memory.width)
        output.write(" memory rows of ")
        output.write(image.memory.channels)
        output.write(byte: 10)
        for layer in image.layers {
            output.write("  ")
            output.write(layer.index)
            output.write(" ")
            output.write(layer.kind.name)
            switch layer.kind {
            case let .conv2d(filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, weightType):
                output.write(" ")
                output.write(kernelHeight)
                output.write("×")
                output.write(kernelWidth)
                output.write(" stride ")
                output.write(strideHeight)
                output.write("×")
                output.write(strideWidth)
                output.write(" pad ")
                output.write(padHeight)
                output.write("×")
                output.write(padWidth)
                output.write(", ")
                output.write(layer.input.channels)
                output.write(" -> ")
                output.write(filters)
                output.write(" ")
                output.write(weightType.rawValue)
            case let .maxPool(height, width, strideHeight, strideWidth):
                output.write(" ")
                output.write(height)
                output.write("×")
                output.write(width)
                output.write(" stride ")
                output.write(strideHeight)
                output.write("×")
                output.write(strideWidth)
            case .relu:
                break
            }
            if layer.input != layer.output {
                output.write(" (")
                shape(layer.input)
                output.write(" -> ")
                shape(layer.output)
                output.write(")")
            }
            output.write(byte: 10)
        }
        if image.render != nil { output.write("render: before, one text per target token, after (--render)\n") }
    }
}
