import CRuntime

/// Loading a seq2seq model (docs/FORMAT.md, "Seq2seq models"): every key and
/// tensor the `Translator` reads is checked here, so decoding never fails on the model.
extension ModelLoader {
    /// Longest source or target accepted: bounds the encoder memory and the beam's token histories.
    static let maximumSequenceLength = 4096
    /// Most floats of encoder memory (source.max_length × the widest per-position row)
    /// a model may ask a translator to allocate: 64 Mi floats, 256 MiB.
    static let maximumMemoryFloats = 1 << 26

    mutating func loadSeq2Seq() throws(RecurError) {
        // Source vocabulary and limit (the target side's are read by loadTargetSide).
        let sourceVocabulary = try vocabulary("recur.vocab")
        let sourceTokenizer = try tokenizerKind("recur.tokenizer")
        let sourceUnknown = try requiredTokenID("recur.token.unk", vocabulary: sourceVocabulary.count)
        let lowercase = try file.optionalBool("recur.text.lowercase") ?? false
        let sourceMaxLength = try size("recur.source.max_length", maximum: Self.maximumSequenceLength)

        // Encoder: embedding, then recurrent layers (each optionally bidirectional).
        let encoderCount = try size("recur.enc.count", maximum: Self.maximumLayers)
        if encoderCount < 2 {
            throw .badKeyValue(
                key: "recur.enc.count", reason: "is \(encoderCount); an encoder is an embedding and at least one recurrent layer")
        }
        try expectKind(.embedding, index: 0, stack: "enc")
        try expectSize("recur.enc.0.input", sourceVocabulary.count, "the source vocabulary (recur.vocab)")
        let (sourceLayer, sourceEmbedding) = try embeddingLayer(0, vocabulary: sourceVocabulary.count)
        let recurrent = try loadEncoderLayers(1..<encoderCount, input: sourceLayer.output, stackName: "a seq2seq encoder")
        let encoderLayers = [sourceLayer] + recurrent.layers
        let encoder = recurrent.computes
        let width = recurrent.width
        let widest = max(sourceLayer.output, recurrent.widest)
        if try file.optionalBool("recur.enc.0.bidirectional") == true {
            throw .badKeyValue(key: "recur.enc.0.bidirectional", reason: "an embedding has no direction")
        }
        let encoderWidth = width
        if sourceMaxLength * widest > Self.maximumMemoryFloats {
            throw .badKeyValue(
                key: "recur.source.max_length",
                reason: "\(sourceMaxLength) rows of \(widest) floats of encoder memory are over the limit of \(Self.maximumMemoryFloats) floats")
        }

        let tokenizer = Tokenizer(
            kind: sourceTokenizer, vocabulary: sourceVocabulary, unknown: sourceUnknown, lowercase: lowercase,
            wordRules: .punctuation)
        parts.layers = encoderLayers
        try loadTargetSide(SourceSide(
            vocabulary: sourceVocabulary, tokenizer: sourceTokenizer, unknown: sourceUnknown, lowercase: lowercase,
            memoryRows: sourceMaxLength, width: encoderWidth, memoryKey: "recur.source.max_length",
            recurrentLayers: encoderLayers,
            compute: .tokens(embedding: sourceEmbedding, layers: encoder, tokenizer: tokenizer)))
    }

    /// What an encoder gives the target side: the source's vocabulary and tokenizer (none for an
    /// image), the memory's rows (`memoryKey` names the key that sets them) and width E, the
    /// token encoder's layers for bridge `copy` (nil: no state to copy), and the encoder's compute.
    struct SourceSide {
        var vocabulary: [String] = []
        var tokenizer: Tokenizer.Kind? = nil
        var unknown = 0
        var lowercase = false
        var memoryRows: Int
        var width: Int
        var memoryKey: String
        var recurrentLayers: [Layer]?
        var compute: Seq2SeqCompute.Source
    }

    /// The target side shared by seq2seq and image-to-text models — the target vocabulary,
    /// tokenizer, special ids and limit, the decoder and the attention over `source`'s memory —
    /// into `parts.seq2seq` and `parts.seq2seqCompute`.
    mutating func loadTargetSide(_ source: SourceSide) throws(RecurError) {
        let targetVocabulary = try vocabulary("recur.target.vocab")
        let targetTokenizer = try tokenizerKind("recur.target.tokenizer")
        let targetBegin = try requiredTokenID("recur.target.token.bos", vocabulary: targetVocabulary.count)
        let targetEnd = try requiredTokenID("recur.target.token.eos", vocabulary: targetVocabulary.count)
        let targetUnknown = try requiredTokenID("recur.target.token.unk", vocabulary: targetVocabulary.count)
        if targetEnd == targetBegin {
            throw .badKeyValue(
                key: "recur.target.token.eos", reason: "is \(targetEnd), the same token as recur.target.token.bos")
        }
        let targetMaxLength = try size("recur.target.max_length", maximum: Self.maximumSequenceLength)
        let target = try loadDecoder(
            targetVocabulary: targetVocabulary, encoderWidth: source.width, memoryRows: source.memoryRows,
            memoryKey: source.memoryKey, encoderLayers: source.recurrentLayers)
        let targetText = Tokenizer(
            kind: targetTokenizer, vocabulary: targetVocabulary, unknown: targetUnknown, wordRules: .punctuation)
        parts.seq2seq = Seq2SeqConfiguration(
            sourceVocabulary: source.vocabulary, sourceTokenizer: source.tokenizer, sourceUnknown: source.unknown,
            targetVocabulary: targetVocabulary, targetTokenizer: targetTokenizer, targetBegin: targetBegin,
            targetEnd: targetEnd, targetUnknown: targetUnknown, lowercase: source.lowercase,
            sourceMaxLength: source.memoryRows, targetMaxLength: targetMaxLength, decoderLayers: target.layers,
            attention: target.attention, attentionSize: target.attentionSize, inputFeeding: target.inputFeeding,
            bridge: target.bridge, encoderWidth: source.width, decoderHidden: target.decoderHidden,
            combineSize: target.combineSize, attentionWeightType: target.combineType,
            attentionParameterCount: target.attentionParameters)
        parts.seq2seqCompute = Seq2SeqCompute(
            source: source.compute, targetEmbedding: target.embedding, decoder: target.decoder,
            attentionWeight: target.attentionWeight, keyWeight: target.keyWeight, queryWeight: target.queryWeight,
            attentionBias: target.attentionBias, scoreVector: target.scoreVector, combine: target.combine,
            combineBias: target.combineBias, output: target.output, outputBias: target.outputBias,
            targetTokenizer: targetText)
    }

    /// What `loadDecoder` reads: the decoder stack, the bridge and the attention.
    fileprivate struct DecoderParts {
        var layers: [Layer]
        var embedding: EmbeddingTable
        var decoder: [rc_recurrent]
        var decoderHidden: Int
        var combineSize: Int
        var inputFeeding: Bool
        var bridge: Seq2SeqConfiguration.Bridge
        var attention: Seq2SeqConfiguration.Attention
        var attentionSize: Int
        var attentionWeight: rc_matrix?
        var keyWeight: rc_matrix?
        var queryWeight: rc_matrix?
        var attentionBias: UnsafePointer<Float>?
        var scoreVector: rc_matrix?
        var combine: rc_matrix
        var combineType: WeightType
        var combineBias: UnsafePointer<Float>
        var attentionParameters: Int
        var output: rc_matrix
        var outputBias: UnsafePointer<Float>
    }

    /// The target side shared by seq2seq and image-to-text models: the `dec` stack (embedding,
    /// recurrent layers, dense softmax output), the bridge and the attention over a memory of
    /// `memoryRows` rows of `encoderWidth` floats (`memoryKey` names what sets the rows when the
    /// keys would be too large).
    ///
    /// - Parameter encoderLayers: the token encoder's layers for bridge `copy`; nil when the
    ///   encoder has no recurrent state (an image encoder), which allows only `zero`.
    fileprivate mutating func loadDecoder(
        targetVocabulary: [String], encoderWidth: Int, memoryRows: Int, memoryKey: String, encoderLayers: [Layer]?
    ) throws(RecurError) -> DecoderParts {
        let sourceMaxLength = memoryRows
        // Decoder: embedding, recurrent layers, dense softmax over the target vocabulary.
        let decoderCount = try size("recur.dec.count", maximum: Self.maximumLayers)
        if decoderCount < 3 {
            throw .badKeyValue(
                key: "recur.dec.count",
                reason: "is \(decoderCount); a decoder is an embedding, at least one recurrent layer and a dense output")
        }
        let last = decoderCount - 1
        try expectKind(.embedding, index: 0, stack: "dec")
        try expectKind(.dense(.softmax), index: last, stack: "dec")
        try expectSize("recur.dec.0.input", targetVocabulary.count, "the target vocabulary (recur.target.vocab)")
        let (targetLayer, targetEmbedding) = try embeddingLayer(0, vocabulary: targetVocabulary.count, stack: "dec")
        // C is what the output layer reads; att.combine must produce it.
        let combineSize = try size("recur.dec.\(last).input")
        let inputFeeding = try file.bool("recur.attention.input_feeding")
        var decoderLayers = [targetLayer]
        var decoder: [rc_recurrent] = []
        var width = targetLayer.output + (inputFeeding ? combineSize : 0)
        for index in 1..<last {
            let kind = try layerKind(index, stack: "dec")
            if !kind.isRecurrent {
                throw .badKeyValue(
                    key: "recur.dec.\(index).type",
                    reason: "a decoder layer between the embedding and the output is lstm, gru or rnn, found \(kind.name)")
            }
            if try file.optionalBool("recur.dec.\(index).bidirectional") == true {
                throw .badKeyValue(key: "recur.dec.\(index).bidirectional", reason: "a decoder runs forward only")
            }
            let feeding = index == 1 && inputFeeding ? " plus the input-fed h̃ (\(combineSize))" : ""
            try expectSize(
                "recur.dec.\(index).input", width,
                index == 1 ? "the target embedding (\(targetLayer.output))\(feeding)" : "layer \(index - 1)'s output")
            let hidden = try size("recur.dec.\(index).hidden")
            let layer = try recurrentLayer(index, kind: kind, input: width, hidden: hidden, stack: "dec")
            decoderLayers.append(Layer(
                index: index, kind: kind, input: width, output: hidden, weightType: layer.weightType,
                parameterCount: kind.gates * hidden * (width + hidden + 2)))
            decoder.append(layer.compute)
            width = hidden
        }
        let decoderHidden = width
        let (outputLayer, outputDense) = try denseLayer(last, activation: .softmax, input: combineSize, stack: "dec")
        if outputLayer.output != targetVocabulary.count {
            throw .badKeyValue(
                key: "recur.dec.\(last).output",
                reason: "is \(outputLayer.output) but the output is one probability per target token (\(targetVocabulary.count))")
        }
        decoderLayers.append(outputLayer)

        // Bridge: decoder recurrent layer k starts from encoder recurrent layer k's final state.
        let bridgeName = try file.string("recur.attention.bridge")
        guard let bridge = Seq2SeqConfiguration.Bridge(rawValue: bridgeName) else {
            throw .badKeyValue(key: "recur.attention.bridge", reason: "unknown bridge \"\(bridgeName)\"; expected zero or copy")
        }
        if bridge == .copy {
            guard let encoderLayers else {
                throw .badKeyValue(key: "recur.attention.bridge", reason: "copy needs a recurrent encoder; an image encoder has no state to copy (use zero)")
            }
            try checkCopyBridge(encoder: encoderLayers, decoder: decoderLayers)
        }

        // Attention.
        let attentionName = try file.string("recur.attention.type")
        guard let attention = Seq2SeqConfiguration.Attention(rawValue: attentionName) else {
            throw .badKeyValue(
                key: "recur.attention.type", reason: "unknown attention \"\(attentionName)\"; expected dot, general or additive")
        }
        var attentionWeight: rc_matrix? = nil
        var keyWeight: rc_matrix? = nil
        var queryWeight: rc_matrix? = nil
        var attentionBias: UnsafePointer<Float>? = nil
        var scoreVector: rc_matrix? = nil
        var attentionSize = 0
        var attentionParameters = 0
        switch attention {
        case .dot:
            if decoderHidden != encoderWidth {
                throw .badKeyValue(
                    key: "recur.attention.type",
                    reason: "dot needs the decoder's hidden size (\(decoderHidden)) to equal the encoder's output width (\(encoderWidth))")
            }
        case .general:
            attentionWeight = try weightMatrix("att.weight", rows: decoderHidden, columns: encoderWidth).0
            attentionParameters = decoderHidden * encoderWidth
            if sourceMaxLength * decoderHidden > Self.maximumMemoryFloats {
                throw .badKeyValue(
                    key: memoryKey,
                    reason: "\(sourceMaxLength) keys of \(decoderHidden) floats are over the limit of \(Self.maximumMemoryFloats) floats")
            }
        case .additive:
            attentionSize = try size("recur.attention.size")
            keyWeight = try weightMatrix("att.key.weight", rows: attentionSize, columns: encoderWidth).0
            queryWeight = try weightMatrix("att.query.weight", rows: attentionSize, columns: decoderHidden).0
            attentionBias = try floatVector("att.bias", count: attentionSize)
            let v = try floatVector("att.v", count: attentionSize)
            scoreVector = rc_matrix(
                type: RC_W_F32, rows: 1, cols: UInt32(attentionSize), f32: v, q8: nil, scale: nil, packed: nil)
            attentionParameters = attentionSize * (encoderWidth + decoderHidden + 2)
            if sourceMaxLength * attentionSize > Self.maximumMemoryFloats {
                throw .badKeyValue(
                    key: "recur.attention.size",
                    reason: "\(sourceMaxLength) keys of \(attentionSize) floats are over the limit of \(Self.maximumMemoryFloats) floats")
            }
        }
        let (combine, combineType) = try weightMatrix(
            "att.combine.weight", rows: combineSize, columns: encoderWidth + decoderHidden)
        let combineBias = try floatVector("att.combine.bias", count: combineSize)
        attentionParameters += combineSize * (encoderWidth + decoderHidden + 1)

        return DecoderParts(
            layers: decoderLayers, embedding: targetEmbedding, decoder: decoder, decoderHidden: decoderHidden,
            combineSize: combineSize, inputFeeding: inputFeeding, bridge: bridge, attention: attention,
            attentionSize: attentionSize, attentionWeight: attentionWeight, keyWeight: keyWeight,
            queryWeight: queryWeight, attentionBias: attentionBias, scoreVector: scoreVector, combine: combine,
            combineType: combineType, combineBias: combineBias, attentionParameters: attentionParameters,
            output: outputDense.w, outputBias: outputDense.bias)
    }

    /// Layers `range` of the `enc` stack as encoder layers over an input `input` values wide:
    /// each lstm, gru or rnn, optionally bidirectional (`recur.enc.{i}.bidirectional`; the
    /// `_reverse` tensors stored like the forward ones), its input the previous layer's output
    /// width (×2 after a bidirectional layer). Shared by seq2seq encoders and text classifiers.
    ///
    /// - Parameter stackName: the stack as the refusal of a non-recurrent layer names it.
    /// - Returns: the layers, their computes, the last output width and the widest output width.
    mutating func loadEncoderLayers(
        _ range: Range<Int>, input: Int, stackName: String
    ) throws(RecurError) -> (layers: [Layer], computes: [Seq2SeqCompute.EncoderLayer], width: Int, widest: Int) {
        var layers: [Layer] = []
        var computes: [Seq2SeqCompute.EncoderLayer] = []
        var width = input
        var widest = 0
        for index in range {
            let kind = try layerKind(index, stack: "enc")
            if !kind.isRecurrent {
                throw .badKeyValue(
                    key: "recur.enc.\(index).type",
                    reason: "\(stackName) layer after the embedding is lstm, gru or rnn, found \(kind.name)")
            }
            try expectSize("recur.enc.\(index).input", width, "layer \(index - 1)'s output")
            let hidden = try size("recur.enc.\(index).hidden")
            let bidirectional = try file.optionalBool("recur.enc.\(index).bidirectional") ?? false
            let forward = try recurrentLayer(index, kind: kind, input: width, hidden: hidden)
            var backward: rc_recurrent? = nil
            if bidirectional {
                let reverse = try recurrentLayer(index, kind: kind, input: width, hidden: hidden, suffix: "_reverse")
                if reverse.weightType != forward.weightType {
                    throw .wrongTensorType(
                        tensor: "enc.\(index).weight_ih_reverse", expected: forward.weightType.fileName,
                        found: reverse.weightType.fileName)
                }
                backward = reverse.compute
            }
            let directions = bidirectional ? 2 : 1
            var layer = Layer(
                index: index, kind: kind, input: width, output: hidden, weightType: forward.weightType,
                parameterCount: directions * kind.gates * hidden * (width + hidden + 2))
            layer.isBidirectional = bidirectional
            layers.append(layer)
            computes.append(Seq2SeqCompute.EncoderLayer(forward: forward.compute, backward: backward))
            width = hidden * directions
            widest = max(widest, width)
        }
        return (layers, computes, width, widest)
    }

    /// Bridge `copy`: as many decoder recurrent layers as encoder ones, each of the same
    /// cell and as wide as the encoder layer's state (2H when bidirectional).
    private func checkCopyBridge(encoder: [Layer], decoder: [Layer]) throws(RecurError) {
        let encoderRecurrent = encoder.count - 1
        let decoderRecurrent = decoder.count - 2
        if encoderRecurrent != decoderRecurrent {
            throw .badKeyValue(
                key: "recur.attention.bridge",
                reason: "copy needs as many decoder recurrent layers (\(decoderRecurrent)) as encoder recurrent layers (\(encoderRecurrent))")
        }
        for k in 1...encoderRecurrent {
            let source = encoder[k]
            let target = decoder[k]
            if source.kind != target.kind {
                throw .badKeyValue(
                    key: "recur.dec.\(k).type",
                    reason: "bridge copy starts it from encoder layer \(k), a \(source.kind.name); found \(target.kind.name)")
            }
            let stateWidth = source.output * (source.isBidirectional ? 2 : 1)
            if target.output != stateWidth {
                throw .badKeyValue(
                    key: "recur.dec.\(k).hidden",
                    reason: "is \(target.output) but bridge copy starts it from encoder layer \(k)'s state of \(stateWidth)")
            }
        }
    }

    /// A non-empty string[] vocabulary.
    func vocabulary(_ key: String) throws(RecurError) -> [String] {
        let values = try file.strings(key)
        if values.isEmpty || values.count > Self.maximumSize {
            throw .badKeyValue(key: key, reason: "has \(values.count) tokens, expected 1...\(Self.maximumSize)")
        }
        return values
    }

    /// A tokenizer key: `char` or `word`, and `char_bigram` where `bigrams` allows it (text classifiers).
    func tokenizerKind(_ key: String, bigrams: Bool = false) throws(RecurError) -> Tokenizer.Kind {
        let name = try file.string(key)
        guard let kind = Tokenizer.Kind(rawValue: name), bigrams || kind != .charBigram else {
            throw .badKeyValue(
                key: key, reason: "unknown tokenizer \"\(name)\"; expected char\(bigrams ? ", word or char_bigram" : " or word")")
        }
        return kind
    }

    func requiredTokenID(_ key: String, vocabulary: Int) throws(RecurError) -> Int {
        guard let id = try tokenID(key, vocabulary: vocabulary) else { throw .missingKey(key) }
        return id
    }

    /// `recur.{stack}.{index}.type` must be `expected`.
    private func expectKind(_ expected: LayerKind, index: Int, stack: String) throws(RecurError) {
        let kind = try layerKind(index, stack: stack)
        if kind == expected { return }
        var bothDense = false
        if case .dense = kind, case .dense = expected { bothDense = true }
        let key = "recur.\(stack).\(index)." + (bothDense ? "activation" : "type")
        throw .badKeyValue(
            key: key,
            reason: "layer \(index) of a seq2seq \(stack == "enc" ? "encoder" : "decoder") is \(expected.name), found \(kind.name)")
    }

    /// The u32 size `key` must equal `expected` (what feeds it, named by `source`).
    func expectSize(_ key: String, _ expected: Int, _ source: String) throws(RecurError) {
        let found = try size(key)
        if found != expected {
            throw .badKeyValue(key: key, reason: "is \(found) but \(source) gives \(expected)")
        }
    }
}
