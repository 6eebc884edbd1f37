import CRuntime

/// The decoder side of a seq2seq model with its memory: one decoding step for every live
/// hypothesis slot (docs/FORMAT.md, "Seq2seq models"), the slots' states and a spare set
/// that a beam reorders into.
///
/// For each live slot b, with y its last token and s_j the encoder memory:
///
///     x_t = [embed(y_{t−1}) ; h̃_{t−1}]  (h̃ only with input feeding)
///     h_t = decoder stack step           (a LayerStack, one lane per slot)
///     e_j = score(h_t, s_j),  a = softmax(e),  c_t = Σ_j a_j s_j
///     h̃_t = tanh(W_c [c_t ; h_t] + b_c)
///     log p_t = logsoftmax(W_o h̃_t + b_o)
///
/// All memory is allocated when the decoder is made, for `slots` hypotheses and the
/// encoder's longest source; `step` allocates nothing.
final class AttentionDecoder {
    let configuration: Seq2SeqConfiguration
    private let compute: Seq2SeqCompute
    private let table: OpaquePointer
    /// Hypothesis slots: the beam width.
    let slots: Int
    /// E, H_d, C, A, the target vocabulary, the decoder's first input width (D_d [+ C]).
    let encoderWidth: Int
    let decoderHidden: Int
    let combineSize: Int
    let attentionSize: Int
    let vocabularySize: Int
    let decoderInputWidth: Int

    /// The decoder's recurrent layers, one lane per slot, and the spare set a beam reorders
    /// into (then the two swap).
    private var stack: LayerStack
    private var spareStack: LayerStack
    /// h̃: (slots, C), and its spare.
    private var attentional: AlignedBuffer
    private var spareAttentional: AlignedBuffer
    /// (slots, decoderInputWidth): [embed(y) ; h̃].
    private let decoderInput: AlignedBuffer
    /// (slots, E + H_d): [c_t ; h_t], the combine layer's input.
    private let joined: AlignedBuffer
    /// general: (maxSource, H_d) = W s_j; additive: (maxSource, A) = W_k s_j + b.
    private let keys: AlignedBuffer
    /// (maxSource): attention scores, then weights, of one hypothesis.
    private let scores: AlignedBuffer
    /// additive: W_q h_t (A) and k_j + W_q h_t (A).
    private let query: AlignedBuffer
    private let additive: AlignedBuffer
    /// (slots, V): logits, turned into log-probabilities in place.
    private let logits: AlignedBuffer
    /// The C core's scratch for the attention's and the output's products.
    private let scratch: AlignedBuffer
    /// s_j: the encoder memory `attach` was given, `memoryLength` rows of E floats.
    private var memory: UnsafePointer<Float>?
    private var memoryLength = 0

    init(configuration: Seq2SeqConfiguration, compute: Seq2SeqCompute, slots: Int, table: OpaquePointer) {
        self.configuration = configuration
        self.compute = compute
        self.table = table
        self.slots = slots
        let maxSource = configuration.sourceMaxLength
        encoderWidth = configuration.encoderWidth
        decoderHidden = configuration.decoderHidden
        combineSize = configuration.combineSize
        attentionSize = configuration.attentionSize
        vocabularySize = configuration.targetVocabulary.count
        decoderInputWidth = compute.targetEmbedding.columns + (configuration.inputFeeding ? combineSize : 0)

        var scratchBytes = 0
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
        var layers: [LayerCompute] = []
        for layer in compute.decoder { layers.append(.recurrent(layer)) }
        stack = LayerStack(layers, lanes: slots, table: table)
        spareStack = LayerStack(layers, lanes: slots, table: table)
        var combine = compute.combine
        var output = compute.output
        scratchBytes = max(scratchBytes, rc_linear_scratch_bytes(&combine, slots))
        scratchBytes = max(scratchBytes, rc_linear_scratch_bytes(&output, slots))
        attentional = AlignedBuffer(floats: slots * combineSize)
        spareAttentional = AlignedBuffer(floats: slots * combineSize)
        decoderInput = AlignedBuffer(floats: slots * decoderInputWidth)
        joined = AlignedBuffer(floats: slots * (encoderWidth + decoderHidden))
        scores = AlignedBuffer(floats: maxSource)
        query = AlignedBuffer(floats: attentionSize)
        additive = AlignedBuffer(floats: attentionSize)
        logits = AlignedBuffer(floats: slots * vocabularySize)
        scratch = AlignedBuffer(byteCount: scratchBytes)
    }

    // MARK: Starting

    /// Attends over `memory` (`length` rows of E floats, at most the model's source.max_length;
    /// it must stay valid while decoding) from now on, and computes its keys — general:
    /// k_j = W s_j; additive: k_j = W_k s_j + b (one row per source position).
    func attach(_ memory: UnsafePointer<Float>, length n: Int) throws(RecurError) {
        self.memory = memory
        memoryLength = n
        var status = RC_OK
        if var weight = compute.attentionWeight {
            status = rc_linear(table, &weight, nil, memory, encoderWidth, n, keys.floats, scratch.base)
        } else if var weight = compute.keyWeight {
            status = rc_linear(
                table, &weight, compute.attentionBias, memory, encoderWidth, n, keys.floats, scratch.base)
        }
        if status != RC_OK { throw .internalError("rc_linear refused the attention keys") }
    }

    /// Slot 0 holds the start: h̃ = 0, the decoder state zero or (bridge `copy`) the encoder
    /// layers' final states in the decoder's layout: an LSTM block is [h ; c], a
    /// bidirectional layer's [h_f ; h_b ; c_f ; c_b]. (An image encoder has no state: nil.)
    func start(from encoder: SequenceEncoder?) {
        attentional.zero()
        stack.reset()
        guard configuration.bridge == .copy, let encoder else { return }
        for (l, layer) in encoder.layers.enumerated() {
            let hidden = layer.hidden
            let target = stack.block(layer: l, lane: 0)
            let directions = layer.backward == nil ? 1 : 2
            let width = hidden * directions
            let parts = compute.decoder[l].cell == RC_CELL_LSTM ? 2 : 1
            let forward = layer.forward.output(lane: 0)
            for part in 0..<parts {
                (target + part * width).update(from: forward + part * hidden, count: hidden)
                if let backward = layer.backward {
                    (target + part * width + hidden).update(from: backward.output(lane: 0) + part * hidden, count: hidden)
                }
            }
        }
    }

    // MARK: One step

    /// Advances slots 0..<live by one step, slot b fed `lastTokens[b]`: afterwards
    /// `logProbabilities(slot:)` holds log p_t for each slot, and the states the state after it.
    func step(live: Int, lastTokens: UnsafePointer<Int32>) throws(RecurError) {
        guard let memory else { throw .internalError("a decoding step before the encoder memory was attached") }
        // x_t = [embed(y_{t−1}) ; h̃_{t−1}].
        let embedding = compute.targetEmbedding
        for b in 0..<live {
            let row = decoderInput.floats + b * decoderInputWidth
            embedding.lookup(Int(lastTokens[b]), into: row)
            if configuration.inputFeeding {
                (row + embedding.columns).update(from: attentional.floats + b * combineSize, count: combineSize)
            }
        }
        try stack.run(decoderInput.floats, inputStride: decoderInputWidth, lanes: live)
        let joinedWidth = encoderWidth + decoderHidden
        for b in 0..<live {
            let h = UnsafePointer(stack.output(lane: b))
            let row = joined.floats + b * joinedWidth
            try attend(h, context: row, memory: memory)
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

    /// Slot `slot`'s log-probabilities over the target vocabulary after the last `step`.
    func logProbabilities(slot: Int) -> UnsafeMutablePointer<Float> {
        logits.floats + slot * vocabularySize
    }

    /// c_t = Σ_j a_j s_j with a = softmax(e) over the n source positions.
    private func attend(
        _ h: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>, memory: UnsafePointer<Float>
    ) throws(RecurError) {
        let n = memoryLength
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

    // MARK: Reordering (beam search)

    /// Copies slot `parent`'s decoder states and h̃ into spare slot `slot`.
    func moveSlot(from parent: Int, to slot: Int) {
        spareStack.copyLane(slot, from: stack, lane: parent)
        (spareAttentional.floats + slot * combineSize)
            .update(from: attentional.floats + parent * combineSize, count: combineSize)
    }

    /// The spare slots (the reordered beam) become the live ones.
    func swapSlots() {
        swap(&stack, &spareStack)
        swap(&attentional, &spareAttentional)
    }
}
