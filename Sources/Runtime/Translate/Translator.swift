import CRuntime

/// The running state of a seq2seq model: encodes a source line, then decodes it
/// greedily, by sampling, or by beam search (docs/FORMAT.md, "Seq2seq models").
///
/// All memory is allocated by `Model.makeTranslator`: the encoder memory
/// (`recur.source.max_length` × E), the attention keys, `beamWidth` decoder states
/// and token histories. Encoding and every decoding step allocate nothing (only
/// the returned `Translation`s do). A translator is used from one thread at a time.
///
/// Encoding runs each encoder layer one token at a time with the C core's cell
/// step: the forward direction from token 0 to n−1, the backward direction (of a
/// bidirectional layer) from n−1 down to 0 from a fresh zero state; the outputs
/// are [forward h ; backward h] per position. A decoding step for each live
/// hypothesis (equations in FORMAT.md):
///
///     x_t = [embed(y_{t−1}) ; h̃_{t−1}]  (h̃ only with input feeding)
///     h_t = decoder stack step
///     e_j = score(h_t, s_j),  a = softmax(e),  c_t = Σ_j a_j s_j
///     h̃_t = tanh(W_c [c_t ; h_t] + b_c)
///     log p_t = logsoftmax(W_o h̃_t + b_o)
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

    let table: OpaquePointer
    let compute: Seq2SeqCompute

    // MARK: Sizes

    /// E, H_d, C, A, the target vocabulary, the decoder's first input width (D_d [+ C]).
    let encoderWidth: Int
    let decoderHidden: Int
    let combineSize: Int
    let attentionSize: Int
    let vocabularySize: Int
    let decoderInputWidth: Int
    /// Floats per hypothesis in each decoder layer's state block (h first).
    let decoderStateFloats: [Int]

    // MARK: Encoder memory

    /// (source.max_length, D_e): the embedded source.
    let embedded: AlignedBuffer
    /// Two (source.max_length, widest encoder output) buffers the encoder layers
    /// write in turn; `memory` is the last layer's.
    let layerOutputs: [AlignedBuffer]
    /// One direction's running state: (rc_recurrent_state_floats of the widest encoder layer).
    let forwardState: AlignedBuffer
    let backwardState: AlignedBuffer
    /// Bridge copy: per decoder recurrent layer, the matching encoder layer's final
    /// state in the decoder's layout ([h_f ; h_b] then [c_f ; c_b] for an LSTM).
    let bridgeStates: [AlignedBuffer]
    /// s_j: (sourceLength, E), pointing into `layerOutputs`.
    var memory: UnsafeMutablePointer<Float>
    /// n: tokens of the source encoded last.
    var sourceLength = 0
    /// general: (source.max_length, H_d) = W s_j; additive: (source.max_length, A) = W_k s_j + b.
    let keys: AlignedBuffer

    // MARK: Decoder state, per hypothesis slot (beamWidth slots)

    /// Per decoder recurrent layer: (beamWidth, decoderStateFloats[l]); `spareStates`
    /// receives the reordered beam, then the two swap.
    var states: [AlignedBuffer]
    var spareStates: [AlignedBuffer]
    /// h̃: (beamWidth, C), and its spare.
    var attentional: AlignedBuffer
    var spareAttentional: AlignedBuffer
    /// (beamWidth, decoderInputWidth): [embed(y) ; h̃].
    let decoderInput: AlignedBuffer
    /// (beamWidth, E + H_d): [c_t ; h_t], the combine layer's input.
    let joined: AlignedBuffer
    /// (source.max_length): attention scores, then weights, of one hypothesis.
    let scores: AlignedBuffer
    /// additive: W_q h_t (A) and k_j + W_q h_t (A).
    let query: AlignedBuffer
    let additive: AlignedBuffer
    /// (beamWidth, V): logits, turned into log-probabilities in place.
    let logits: AlignedBuffer
    /// The C core's scratch: the largest need over every call.
    let scratch: AlignedBuffer

    // MARK: Hypotheses

    /// (beamWidth, target.max_length) token histories and their spare; lengths, last
    /// tokens and log-probabilities per slot.
    var histories: UnsafeMutablePointer<Int32>
    var spareHistories: UnsafeMutablePointer<Int32>
    let liveLogP: UnsafeMutablePointer<Float>
    let spareLogP: UnsafeMutablePointer<Float>
    let lastTokens: UnsafeMutablePointer<Int32>
    /// The step's best candidates (beamWidth): total log-probability, parent slot, token.
    let candidateScores: UnsafeMutablePointer<Float>
    let candidateParents: UnsafeMutablePointer<Int32>
    let candidateTokens: UnsafeMutablePointer<Int32>
    /// Finished hypotheses (at most beamWidth: each keeps its beam slot): tokens
    /// (beamWidth, target.max_length), lengths, log-probabilities, scores.
    let finishedTokens: UnsafeMutablePointer<Int32>
    let finishedLengths: UnsafeMutablePointer<Int32>
    let finishedLogP: UnsafeMutablePointer<Float>
    let finishedScores: UnsafeMutablePointer<Float>
    /// Sampling scratch: V candidate ids and probabilities.
    let sampleIDs: UnsafeMutablePointer<Int32>
    let sampleProbabilities: AlignedBuffer

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
        table = try kernels.table()

        let maxSource = configuration.sourceMaxLength
        let maxTarget = configuration.targetMaxLength
        encoderWidth = configuration.encoderWidth
        decoderHidden = configuration.decoderHidden
        combineSize = configuration.combineSize
        attentionSize = configuration.attentionSize
        vocabularySize = configuration.targetVocabulary.count
        decoderInputWidth = compute.targetEmbedding.columns + (configuration.inputFeeding ? combineSize : 0)

        var scratchBytes = 0
        // Encoder.
        var widestOutput = 1
        var widestState = 1
        for encoderLayer in compute.encoder {
            var layer = encoderLayer.forward
            widestOutput = max(widestOutput, 2 * Int(layer.hidden))
            widestState = max(widestState, rc_recurrent_state_floats(&layer))
            scratchBytes = max(scratchBytes, rc_recurrent_scratch_bytes(&layer, 1))
        }
        embedded = AlignedBuffer(floats: maxSource * compute.sourceEmbedding.columns)
        layerOutputs = [AlignedBuffer(floats: maxSource * widestOutput), AlignedBuffer(floats: maxSource * widestOutput)]
        forwardState = AlignedBuffer(floats: widestState)
        backwardState = AlignedBuffer(floats: widestState)
        memory = layerOutputs[0].floats
        var keyWidth = 0
        if var weight = compute.attentionWeight {
            keyWidth = decoderHidden
            scratchBytes = max(scratchBytes, rc_linear_scratch_bytes(&weight, maxSource))
        }
        if var weight = compute.keyWeight, var queryWeight = compute.queryWeight {
            keyWidth = attentionSize
            scratchBytes = max(scratchBytes, rc_linear_scratch_bytes(&weight, maxSource))
            scratchBytes = max(scratchBytes, rc_linear_scratch_bytes(&queryWeight, 1))
        }
        keys = AlignedBuffer(floats: maxSource * keyWidth)

        // Decoder.
        var stateFloats: [Int] = []
        var layerStates: [AlignedBuffer] = []
        var spare: [AlignedBuffer] = []
        var bridge: [AlignedBuffer] = []
        for var layer in compute.decoder {
            let floats = rc_recurrent_state_floats(&layer)
            stateFloats.append(floats)
            layerStates.append(AlignedBuffer(floats: beamWidth * floats))
            spare.append(AlignedBuffer(floats: beamWidth * floats))
            bridge.append(AlignedBuffer(floats: configuration.bridge == .copy ? floats : 0))
            scratchBytes = max(scratchBytes, rc_recurrent_scratch_bytes(&layer, beamWidth))
        }
        decoderStateFloats = stateFloats
        states = layerStates
        spareStates = spare
        bridgeStates = bridge
        var combine = compute.combine
        var output = compute.output
        scratchBytes = max(scratchBytes, rc_linear_scratch_bytes(&combine, beamWidth))
        scratchBytes = max(scratchBytes, rc_linear_scratch_bytes(&output, beamWidth))
        attentional = AlignedBuffer(floats: beamWidth * combineSize)
        spareAttentional = AlignedBuffer(floats: beamWidth * combineSize)
        decoderInput = AlignedBuffer(floats: beamWidth * decoderInputWidth)
        joined = AlignedBuffer(floats: beamWidth * (encoderWidth + decoderHidden))
        scores = AlignedBuffer(floats: maxSource)
        query = AlignedBuffer(floats: attentionSize)
        additive = AlignedBuffer(floats: attentionSize)
        logits = AlignedBuffer(floats: beamWidth * vocabularySize)
        scratch = AlignedBuffer(byteCount: scratchBytes)

        histories = Self.allocate(beamWidth * maxTarget)
        spareHistories = Self.allocate(beamWidth * maxTarget)
        liveLogP = Self.allocate(beamWidth)
        spareLogP = Self.allocate(beamWidth)
        lastTokens = Self.allocate(beamWidth)
        candidateScores = Self.allocate(beamWidth)
        candidateParents = Self.allocate(beamWidth)
        candidateTokens = Self.allocate(beamWidth)
        finishedTokens = Self.allocate(beamWidth * maxTarget)
        finishedLengths = Self.allocate(beamWidth)
        finishedLogP = Self.allocate(beamWidth)
        finishedScores = Self.allocate(beamWidth)
        sampleIDs = Self.allocate(vocabularySize)
        sampleProbabilities = AlignedBuffer(floats: vocabularySize)
    }

    deinit {
        for pointer in [histories, spareHistories, lastTokens, candidateParents, candidateTokens, finishedTokens,
                        finishedLengths, sampleIDs] {
            pointer.deallocate()
        }
        for pointer in [liveLogP, spareLogP, candidateScores, finishedLogP, finishedScores] {
            pointer.deallocate()
        }
    }

    /// `count` zeroed values.
    private static func allocate<T: FixedWidthInteger>(_ count: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        return pointer
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        return pointer
    }

    // MARK: Text

    /// Source text → ids: the model's source tokenizer (`recur.tokenizer`, lowercasing
    /// first when `recur.text.lowercase` is set; unknown text becomes `recur.token.unk`).
    public var sourceTokenizer: Tokenizer { compute.sourceTokenizer }
    /// Target ids → text: `targetTokenizer.decode(translation.tokens)` (`recur.target.tokenizer`).
    public var targetTokenizer: Tokenizer { compute.targetTokenizer }

    /// Splits `line` into source token ids with `sourceTokenizer`.
    ///
    /// - Parameter truncate: keep the first `recur.source.max_length` tokens of a
    ///   longer line (recorded in `truncatedFrom`) instead of leaving it to
    ///   `greedy`/`sample`/`beam` to refuse with `inputTooLong`.
    public func tokenize(_ line: String, truncate: Bool = false) -> SourceTokens {
        var ids: [Int32] = []
        let unknown = compute.sourceTokenizer.encode(line, into: &ids)
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
        return try decodeOne(source, temperature: 0, topK: 0, using: &unused)
    }

    /// Draws each token from `softmax(log p / temperature)` among the `topK` most
    /// probable (all when `topK` ≤ 0), with the lm sampling rule (`LanguageSession.sample`);
    /// temperature ≤ 0 is greedy. `logProbability` is under the model (temperature 1).
    public func sample(
        _ source: [Int32], temperature: Float, topK: Int, using generator: inout RecurRandom
    ) throws(RecurError) -> Translation {
        try decodeOne(source, temperature: temperature, topK: topK, using: &generator)
    }

    private func decodeOne(
        _ source: [Int32], temperature: Float, topK: Int, using generator: inout RecurRandom
    ) throws(RecurError) -> Translation {
        try encode(source)
        startHypotheses()
        let end = configuration.targetEnd
        var total: Float = 0
        var length = 0
        var finished = false
        while length < configuration.targetMaxLength {
            try step(live: 1)
            let logP = logits.floats
            let token: Int
            if temperature > 0 {
                token = TokenSampler.sample(
                    logP, count: vocabularySize, temperature: temperature, topK: topK, excluding: -1, ids: sampleIDs,
                    probabilities: sampleProbabilities.floats, using: &generator)
            } else {
                token = TokenSampler.argmax(logP, count: vocabularySize)
            }
            total += logP[token]
            if token == end {
                finished = true
                break
            }
            histories[length] = Int32(token)
            lastTokens[0] = Int32(token)
            length += 1
        }
        let tokens = Array(UnsafeBufferPointer(start: histories, count: length))
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
        if prefix.count >= configuration.targetMaxLength {
            throw .inputTooLong(tokens: prefix.count, limit: configuration.targetMaxLength - 1)
        }
        try encode(source)
        startHypotheses()
        try step(live: 1)
        for token in prefix {
            if token < 0 || Int(token) >= vocabularySize {
                throw .tokenOutOfRange(token: Int(token), vocabularySize: vocabularySize)
            }
            lastTokens[0] = token
            try step(live: 1)
        }
        return Array(UnsafeBufferPointer(start: logits.floats, count: vocabularySize))
    }

    // MARK: Encoding

    /// Runs the encoder over `source` into `memory` (and the keys, and the bridge states).
    func encode(_ source: [Int32]) throws(RecurError) {
        let n = source.count
        if n == 0 { throw .emptyInput }
        if n > configuration.sourceMaxLength {
            throw .inputTooLong(tokens: n, limit: configuration.sourceMaxLength)
        }
        let embedding = compute.sourceEmbedding
        for (j, token) in source.enumerated() {
            if token < 0 || Int(token) >= embedding.rows {
                throw .tokenOutOfRange(token: Int(token), vocabularySize: embedding.rows)
            }
            embedding.lookup(Int(token), into: embedded.floats + j * embedding.columns)
        }
        var input = UnsafePointer(embedded.floats)
        var inputWidth = embedding.columns
        for (index, layer) in compute.encoder.enumerated() {
            let out = layerOutputs[index % 2].floats
            let width = layer.outputWidth
            let hidden = Int(layer.forward.hidden)
            // Forward: tokens 0 … n−1; output columns [0, H).
            try runDirection(
                layer.forward, state: forwardState, input: input, inputWidth: inputWidth, n: n, reverse: false,
                output: out, outputWidth: width)
            if let backward = layer.backward {
                // Backward: tokens n−1 … 0 from a zero state; output columns [H, 2H).
                try runDirection(
                    backward, state: backwardState, input: input, inputWidth: inputWidth, n: n, reverse: true,
                    output: out + hidden, outputWidth: width)
            }
            if configuration.bridge == .copy { saveBridgeState(index, layer) }
            input = UnsafePointer(out)
            inputWidth = width
        }
        memory = UnsafeMutablePointer(mutating: input)
        sourceLength = n
        try computeKeys()
    }

    /// Steps one direction of an encoder layer over the n positions, writing h at
    /// each position's row of `output` (rows of `outputWidth`).
    private func runDirection(
        _ layer: rc_recurrent, state: AlignedBuffer, input: UnsafePointer<Float>, inputWidth: Int, n: Int,
        reverse: Bool, output: UnsafeMutablePointer<Float>, outputWidth: Int
    ) throws(RecurError) {
        var layer = layer
        let hidden = Int(layer.hidden)
        state.zero()
        for position in 0..<n {
            let j = reverse ? n - 1 - position : position
            let status = rc_recurrent_step(table, &layer, input + j * inputWidth, 0, 1, state.floats, scratch.base)
            if status != RC_OK { throw .internalError("rc_recurrent_step refused an encoder layer") }
            (output + j * outputWidth).update(from: state.floats, count: hidden)
        }
    }

    /// Bridge copy: encoder layer `index`'s final state into the decoder layer's layout.
    /// An LSTM state block is [h ; c]; a bidirectional layer's is [h_f ; h_b ; c_f ; c_b].
    private func saveBridgeState(_ index: Int, _ layer: Seq2SeqCompute.EncoderLayer) {
        let hidden = Int(layer.forward.hidden)
        let target = bridgeStates[index].floats
        let directions = layer.backward == nil ? 1 : 2
        let width = hidden * directions
        let parts = layer.forward.cell == RC_CELL_LSTM ? 2 : 1
        for part in 0..<parts {
            (target + part * width).update(from: forwardState.floats + part * hidden, count: hidden)
            if directions == 2 {
                (target + part * width + hidden).update(from: backwardState.floats + part * hidden, count: hidden)
            }
        }
    }

    /// general: k_j = W s_j; additive: k_j = W_k s_j + b (one row per source position).
    private func computeKeys() throws(RecurError) {
        let n = sourceLength
        var status = RC_OK
        if var weight = compute.attentionWeight {
            status = rc_linear(table, &weight, nil, memory, encoderWidth, n, keys.floats, scratch.base)
        } else if var weight = compute.keyWeight {
            status = rc_linear(table, &weight, compute.attentionBias, memory, encoderWidth, n, keys.floats, scratch.base)
        }
        if status != RC_OK { throw .internalError("rc_linear refused the attention keys") }
    }

    // MARK: One decoding step

    /// Slot 0 holds the start: BOS, h̃ = 0, the decoder state zero or the bridge's.
    func startHypotheses() {
        lastTokens[0] = Int32(configuration.targetBegin)
        liveLogP[0] = 0
        attentional.zero()
        for (l, buffer) in states.enumerated() {
            buffer.zero()
            if configuration.bridge == .copy {
                buffer.floats.update(from: bridgeStates[l].floats, count: decoderStateFloats[l])
            }
        }
    }

    /// Advances the hypotheses in slots 0..<live by one step: afterwards `logits` row
    /// b holds log p_t for slot b, `states` and `attentional` the state after it.
    func step(live: Int) throws(RecurError) {
        // x_t = [embed(y_{t−1}) ; h̃_{t−1}].
        let embedding = compute.targetEmbedding
        for b in 0..<live {
            let row = decoderInput.floats + b * decoderInputWidth
            embedding.lookup(Int(lastTokens[b]), into: row)
            if configuration.inputFeeding {
                (row + embedding.columns).update(from: attentional.floats + b * combineSize, count: combineSize)
            }
        }
        var x = UnsafePointer(decoderInput.floats)
        var stride = decoderInputWidth
        for l in 0..<compute.decoder.count {
            var layer = compute.decoder[l]
            let status = rc_recurrent_step(table, &layer, x, stride, live, states[l].floats, scratch.base)
            if status != RC_OK { throw .internalError("rc_recurrent_step refused decoder layer \(l + 1)") }
            x = UnsafePointer(states[l].floats)
            stride = decoderStateFloats[l]
        }
        let joinedWidth = encoderWidth + decoderHidden
        for b in 0..<live {
            let h = x + b * stride
            let row = joined.floats + b * joinedWidth
            try attend(h, context: row)
            (row + encoderWidth).update(from: h, count: decoderHidden)
        }
        // h̃_t = tanh(W_c [c_t ; h_t] + b_c).
        var combine = compute.combine
        var status = rc_linear(
            table, &combine, compute.combineBias, joined.floats, joinedWidth, live, attentional.floats, scratch.base)
        if status != RC_OK { throw .internalError("rc_linear refused att.combine") }
        rc_tanh_vec(table, attentional.floats, live * combineSize)
        // log p_t = logsoftmax(W_o h̃_t + b_o).
        var output = compute.output
        status = rc_linear(
            table, &output, compute.outputBias, attentional.floats, combineSize, live, logits.floats, scratch.base)
        if status != RC_OK { throw .internalError("rc_linear refused the output layer") }
        for b in 0..<live {
            LogMath.logSoftmax(logits.floats + b * vocabularySize, count: vocabularySize)
        }
    }

    /// c_t = Σ_j a_j s_j with a = softmax(e) over the n source positions.
    private func attend(_ h: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>) throws(RecurError) {
        let n = sourceLength
        let e = scores.floats
        switch configuration.attention {
        case .dot:
            // e_j = h_t · s_j
            rc_matvec_f32(table, memory, n, encoderWidth, h, 1, e)
        case .general:
            // e_j = h_t · k_j,  k_j = W s_j
            rc_matvec_f32(table, keys.floats, n, decoderHidden, h, 1, e)
        case .additive:
            // e_j = vᵀ tanh(k_j + W_q h_t),  k_j = W_k s_j + b
            var queryWeight = compute.queryWeight!
            let v = compute.scoreVector!.f32!
            let status = rc_linear(table, &queryWeight, nil, h, 0, 1, query.floats, scratch.base)
            if status != RC_OK { throw .internalError("rc_linear refused att.query.weight") }
            let a = attentionSize
            for j in 0..<n {
                let key = keys.floats + j * a
                for i in 0..<a { additive.floats[i] = key[i] + query.floats[i] }
                rc_tanh_vec(table, additive.floats, a)
                rc_matvec_f32(table, v, 1, a, additive.floats, 1, e + j)
            }
        }
        rc_softmax(e, n)
        context.update(repeating: 0, count: encoderWidth)
        for j in 0..<n {
            let weight = e[j]
            let s = memory + j * encoderWidth
            for i in 0..<encoderWidth { context[i] += weight * s[i] }
        }
    }
}
