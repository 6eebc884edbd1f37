import CRuntime

/// Loading a text classifier (docs/FORMAT.md, "Text classifier models"): every key and tensor
/// a `TextClassifier` reads is checked here, so classifying never fails on the model.
extension ModelLoader {
    /// Most floats of per-line memory (max_length × the widest row: the embedding or a layer's
    /// output) a model may ask a classifier to allocate: as for a seq2seq encoder.
    static let maximumTextFloats = maximumMemoryFloats

    mutating func loadTextClassifier() throws(RecurError) {
        let vocabulary = try vocabulary("recur.vocab")
        let tokenizerKind = try tokenizerKind("recur.tokenizer", bigrams: true)
        let unknown = try requiredTokenID("recur.token.unk", vocabulary: vocabulary.count)
        let lowercase = try file.optionalBool("recur.text.lowercase") ?? false
        let maxLength = try size("recur.text.max_length", maximum: Self.maximumSequenceLength)
        let poolName = try file.string("recur.pool")
        guard let pool = TextClassifierConfiguration.Pool(rawValue: poolName) else {
            throw .badKeyValue(key: "recur.pool", reason: "unknown pooling \"\(poolName)\"; expected last, mean or max")
        }
        let labels = try file.strings("recur.labels")
        if labels.count < 2 {
            throw .badKeyValue(key: "recur.labels", reason: "has \(labels.count) labels; a classifier needs at least 2")
        }

        // The stack: embedding, recurrent layers, dense layers, in that order.
        let count = try size("recur.enc.count", maximum: Self.maximumLayers)
        if count < 3 {
            throw .badKeyValue(
                key: "recur.enc.count",
                reason: "is \(count); a text classifier is an embedding, at least one recurrent layer and a dense output")
        }
        var kinds: [LayerKind] = []
        for index in 0..<count { kinds.append(try layerKind(index)) }
        var firstDense = 1
        while firstDense < count && kinds[firstDense].isRecurrent { firstDense += 1 }
        for (index, kind) in kinds.enumerated() {
            let expected: String
            var fits = false
            if index == 0 {
                expected = "embedding"
                fits = kind == .embedding
            } else if index < max(firstDense, 2) {
                expected = "lstm, gru or rnn"
                fits = kind.isRecurrent
            } else {
                expected = "dense"
                if case .dense = kind { fits = true }
            }
            if !fits {
                throw .badKeyValue(
                    key: "recur.enc.\(index).type",
                    reason: "layer \(index) of a text classifier is \(expected) (an embedding, recurrent layers, "
                        + "then dense layers), found \(kind.name)")
            }
            if !kind.isRecurrent, try file.optionalBool("recur.enc.\(index).bidirectional") == true {
                throw .badKeyValue(
                    key: "recur.enc.\(index).bidirectional",
                    reason: "only a recurrent layer can be bidirectional; layer \(index) is \(kind.name)")
            }
        }
        let lastIndex = count - 1
        if kinds[lastIndex] != .dense(.softmax) {
            let isDense = firstDense < count
            throw .badKeyValue(
                key: "recur.enc.\(lastIndex).\(isDense ? "activation" : "type")",
                reason: "a text classifier ends in a dense layer with softmax, found \(kinds[lastIndex].name)")
        }

        try expectSize("recur.enc.0.input", vocabulary.count, "the vocabulary (recur.vocab)")
        let (embeddingLayer, embedding) = try embeddingLayer(0, vocabulary: vocabulary.count)
        let recurrent = try loadEncoderLayers(
            1..<firstDense, input: embeddingLayer.output, stackName: "a text classifier's")
        let encoderWidth = recurrent.width
        let widest = max(embeddingLayer.output, recurrent.widest)
        if maxLength * widest > Self.maximumTextFloats {
            throw .badKeyValue(
                key: "recur.text.max_length",
                reason: "\(maxLength) rows of \(widest) floats are over the limit of \(Self.maximumTextFloats) floats")
        }
        var layers = [embeddingLayer] + recurrent.layers
        var head: [rc_dense] = []
        var width = encoderWidth
        for index in firstDense..<count {
            guard case .dense(let activation) = kinds[index] else { continue }
            try expectSize(
                "recur.enc.\(index).input", width,
                index == firstDense ? "the top recurrent layer's output width E" : "layer \(index - 1)'s output")
            let (layer, dense) = try denseLayer(index, activation: activation, input: width)
            layers.append(layer)
            head.append(dense)
            width = layer.output
        }
        if width != labels.count {
            throw .badKeyValue(
                key: "recur.labels", reason: "has \(labels.count) labels but the last layer has \(width) outputs")
        }

        let tokenizer = Tokenizer(
            kind: tokenizerKind, vocabulary: vocabulary, unknown: unknown, lowercase: lowercase, wordRules: .punctuation)
        parts.layers = layers
        parts.textClassifier = TextClassifierConfiguration(
            vocabulary: vocabulary, tokenizer: tokenizerKind, unknown: unknown, lowercase: lowercase,
            maxLength: maxLength, pool: pool, labels: labels, encoderWidth: encoderWidth)
        parts.textClassifierCompute = TextClassifierCompute(
            embedding: embedding, encoder: recurrent.computes, head: head, tokenizer: tokenizer)
    }
}
