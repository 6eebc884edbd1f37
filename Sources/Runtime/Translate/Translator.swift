import CRuntime

/// The running state of a seq2seq or image-to-text model: encodes a source line (or an
/// image), then decodes it greedily, by sampling, or by beam search (docs/FORMAT.md,
/// "Seq2seq models", "Image-to-text models").
///
/// The translator is the decoding algorithms (greedy, sampling, beam search, teacher
/// forcing) over three owners of memory, all allocated by `Model.makeTranslator`:
///
/// - `SequenceEncoder`: the embedded source and the encoder memory (`recur.source.max_length`
///   × E), each encoder layer run over the whole line, forward and (bidirectional) backward
///   — or, for an image-to-text model, `ImageEncoder`: the convolution stack's feature maps;
/// - `AttentionDecoder`: the attention keys and `beamWidth` decoder states (and their spares),
///   and one decoding step for every live hypothesis (equations in FORMAT.md);
/// - `Hypotheses`: the token histories, log-probabilities, candidates and finished
///   hypotheses of `beamWidth` slots.
///
/// Encoding and every decoding step allocate nothing (only the returned `Translation`s
/// do). A translator is used from one thread at a time.
///
/// ```swift
/// let translator = try model.makeTranslator(beamWidth: 5)
/// let source = try translator.tokenize("24+654")
/// let best = try translator.beam(source.ids, width: 5)[0]
/// print(translator.targetTokenizer.decode(best.tokens))
/// ```
public final class Translator {
    public let model: Model
    public let configuration: Seq2SeqConfiguration
    /// The widest beam this translator has memory for.
    public let beamWidth: Int
    /// The kernel path it computes with.
    public let kernels: KernelPath

    /// Most beam width a translator accepts (less for a target vocabulary over 2^18 tokens:
    /// width × vocabulary stays within `maximumLogitFloats`).
    public static let maximumBeamWidth = 256
    /// Most floats of beam logits (width × target vocabulary): 64 Mi, 256 MiB.
    public static let maximumLogitFloats = 1 << 26

    let compute: Seq2SeqCompute
    /// What a decoding starts from: source token ids or one image's values.
    enum Input {
        case tokens([Int32])
        case image([Float])
    }

    /// The source side of a seq2seq model: embedding and encoder layers over the whole line.
    let encoder: SequenceEncoder?
    /// The source side of an image-to-text model: the convolution stack.
    let imageEncoder: ImageEncoder?
    /// The target side: attention and the decoder's states, one slot per hypothesis.
    let decoder: AttentionDecoder
    /// The tokens, scores and candidates of the hypotheses.
    let hypotheses: Hypotheses
    /// The target vocabulary's size.
    let vocabularySize: Int

    init(model: Model, beamWidth: Int, kernels: KernelPath) throws(RecurError) {
        guard let configuration = model.seq2seq, let compute = model.seq2seqCompute else {
            throw .wrongTask(expected: "seq2seq", found: model.task.rawValue)
        }
        // The beam's logits are beamWidth × V floats: bounded like the encoder memory.
        let widest = min(Self.maximumBeamWidth, max(1, Self.maximumLogitFloats / configuration.targetVocabulary.count))
        if beamWidth < 1 || beamWidth > widest {
            throw .badBeamWidth(width: beamWidth, maximum: widest)
        }
        self.model = model
        self.configuration = configuration
        self.beamWidth = beamWidth
        self.kernels = kernels
        self.compute = compute
        let table = try kernels.table()
        vocabularySize = configuration.targetVocabulary.count
        switch compute.source {
        case let .tokens(embedding, layers, _):
            encoder = SequenceEncoder(
                embedding: embedding, layers: layers, maxLength: configuration.sourceMaxLength, table: table)
            imageEncoder = nil
        case .image(let image):
            guard let imageConfiguration = model.image else {
                throw .internalError("an image encoder without its configuration")
            }
            encoder = nil
            imageEncoder = ImageEncoder(configuration: imageConfiguration, compute: image, table: table)
        }
        decoder = AttentionDecoder(configuration: configuration, compute: compute, slots: beamWidth, table: table)
        hypotheses = Hypotheses(
            slots: beamWidth, maxLength: configuration.targetMaxLength, vocabularySize: vocabularySize)
    }

    // MARK: Text

    /// Source text → ids: the model's source tokenizer (`recur.tokenizer`, lowercasing
    /// first when `recur.text.lowercase` is set; unknown text becomes `recur.token.unk`);
    /// nil for an image-to-text model.
    public var sourceTokenizer: Tokenizer? {
        if case let .tokens(_, _, tokenizer) = compute.source { return tokenizer }
        return nil
    }
    /// Target ids → text: `targetTokenizer.decode(translation.tokens)` (`recur.target.tokenizer`).
    public var targetTokenizer: Tokenizer { compute.targetTokenizer }

    /// Splits `line` into source token ids with `sourceTokenizer` (no tokens for an
    /// image-to-text model, which reads no text).
    ///
    /// - Parameter truncate: keep the first `recur.source.max_length` tokens of a
    ///   longer line (recorded in `truncatedFrom`) instead of leaving it to
    ///   `greedy`/`sample`/`beam` to refuse with `inputTooLong`.
    public func tokenize(_ line: String, truncate: Bool = false) -> SourceTokens {
        var ids: [Int32] = []
        guard let tokenizer = sourceTokenizer else { return SourceTokens(ids: [], unknownCount: 0) }
        let unknown = tokenizer.encode(line, into: &ids)
        var tokens = SourceTokens(ids: ids, unknownCount: unknown)
        let limit = configuration.sourceMaxLength
        if truncate && ids.count > limit {
            tokens.truncatedFrom = ids.count
            tokens.ids.removeLast(ids.count - limit)
        }
        return tokens
    }

    // MARK: Decoding one hypothesis

    /// The most probable token at every step (the lowest id on ties), until EOS or
    /// `recur.target.max_length` tokens.
    ///
    /// - Throws: `emptyInput`, `inputTooLong`, `tokenOutOfRange` for the source.
    public func greedy(_ source: [Int32]) throws(RecurError) -> Translation {
        var unused = RecurRandom(seed: 0)
        return try decodeOne(.tokens(source), temperature: 0, topK: 0, using: &unused)
    }

    /// Draws each token from `softmax(log p / temperature)` among the `topK` most
    /// probable (all when `topK` ≤ 0), with the lm sampling rule (`LanguageSession.sample`);
    /// temperature ≤ 0 is greedy. `logProbability` is under the model (temperature 1).
    public func sample(
        _ source: [Int32], temperature: Float, topK: Int, using generator: inout RecurRandom
    ) throws(RecurError) -> Translation {
        try decodeOne(.tokens(source), temperature: temperature, topK: topK, using: &generator)
    }

    func decodeOne(
        _ input: Input, temperature: Float, topK: Int, using generator: inout RecurRandom
    ) throws(RecurError) -> Translation {
        try start(input)
        let end = configuration.targetEnd
        let history = hypotheses.history(0)
        var total: Float = 0
        var length = 0
        var finished = false
        while length < configuration.targetMaxLength {
            try decoder.step(live: 1, lastTokens: hypotheses.lastTokens)
            let logP = decoder.logProbabilities(slot: 0)
            let token: Int
            if temperature > 0 {
                token = TokenSampler.sample(
                    logP, count: vocabularySize, temperature: temperature, topK: topK, excluding: -1,
                    ids: hypotheses.sampleIDs, probabilities: hypotheses.sampleProbabilities.floats, using: &generator)
            } else {
                token = TokenSampler.argmax(logP, count: vocabularySize)
            }
            total += logP[token]
            if token == end {
                finished = true
                break
            }
            history[length] = Int32(token)
            hypotheses.lastTokens[0] = Int32(token)
            length += 1
        }
        let tokens = Array(UnsafeBufferPointer(start: history, count: length))
        let scored = length + (finished ? 1 : 0)
        return Translation(
            tokens: tokens, finished: finished, logProbability: total,
            score: total / LogMath.lengthPenalty(scored, alpha: 1))
    }

    /// Teacher forcing: encodes `source`, feeds BOS and then `prefix`, and returns
    /// log p(y | source, prefix) over the target vocabulary (what the next decoding
    /// step would choose from). For checking the runtime against a trainer's forward pass.
    ///
    /// - Throws: what `greedy` throws; `tokenOutOfRange` for a prefix token outside
    ///   the target vocabulary; `inputTooLong` for a prefix of target.max_length tokens or more.
    public func logProbabilities(source: [Int32], prefix: [Int32]) throws(RecurError) -> [Float] {
        try logProbabilities(.tokens(source), prefix: prefix)
    }

    func logProbabilities(_ input: Input, prefix: [Int32]) throws(RecurError) -> [Float] {
        if prefix.count >= configuration.targetMaxLength {
            throw .inputTooLong(tokens: prefix.count, limit: configuration.targetMaxLength - 1)
        }
        try start(input)
        try decoder.step(live: 1, lastTokens: hypotheses.lastTokens)
        for token in prefix {
            if token < 0 || Int(token) >= vocabularySize {
                throw .tokenOutOfRange(token: Int(token), vocabularySize: vocabularySize)
            }
            hypotheses.lastTokens[0] = token
            try decoder.step(live: 1, lastTokens: hypotheses.lastTokens)
        }
        return Array(UnsafeBufferPointer(start: decoder.logProbabilities(slot: 0), count: vocabularySize))
    }

    // MARK: Starting

    /// Encodes the input (memory, keys) and puts the start into slot 0: BOS, h̃ = 0, the
    /// decoder state zero or the bridge's.
    ///
    /// - Throws: `emptyInput`, `inputTooLong`, `tokenOutOfRange` for source tokens;
    ///   `wrongInputSize` for an image of another size; `wrongTask` for tokens given to an
    ///   image-to-text model or an image to a seq2seq one.
    func start(_ input: Input) throws(RecurError) {
        switch input {
        case .tokens(let source):
            guard let encoder else { throw .wrongTask(expected: "seq2seq (source tokens)", found: model.task.rawValue) }
            try encoder.encode(source)
            try decoder.attach(encoder.memory, length: encoder.length)
            decoder.start(from: encoder)
        case .image(let image):
            guard let imageEncoder else { throw .wrongTask(expected: "image_to_text", found: model.task.rawValue) }
            try image.withUnsafeBufferPointer { (values) throws(RecurError) in try imageEncoder.encode(values) }
            try decoder.attach(imageEncoder.memory, length: imageEncoder.length)
            decoder.start(from: nil)
        }
        hypotheses.start(begin: Int32(configuration.targetBegin))
    }
}
