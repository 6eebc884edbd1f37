/// The seq2seq encoder: embedding → stacked recurrent layers, each optionally bidirectional, with
/// dropout after every layer (training only).
///
/// Sources are right-padded; a sequence's pads come after its n real tokens, so the forward
/// direction never mixes them into real positions, and its final state is read at step n − 1.
/// The reverse direction runs over each sequence's own tokens reversed (x_{n−1} … x_0), so it
/// starts at the last real token; its output for position j is its step n − 1 − j. Outputs at
/// pad positions are zero. Buffers are time-major (S, B, ·); `memory` is batch-major (B, S, E).
final class Seq2SeqEncoder {
    let spec: Seq2SeqSpec
    let embedding: EmbeddingLayer
    let forwardLayers: [RecurrentLayer]
    /// Empty unless bidirectional.
    let reverseLayers: [RecurrentLayer]
    private let dropouts: [DropoutMask]
    /// Per layer k: (S, B, E) its output after dropout (the next layer's input).
    private let outputs: [Tensor]
    /// (B, S, E) the top layer's output, batch-major, zero at pads: the attention memory.
    let memory = Tensor()
    /// Per layer k: (B, E) the final state h [fwd ; bwd] after each sequence's last real token.
    let finalH: [Tensor]
    /// Per layer k: (B, E) the LSTM final cell state (unused otherwise).
    let finalC: [Tensor]
    /// Per layer k: (S, B, I_k) its input reversed in each sequence (the reverse direction reads
    /// it in place until its backward pass).
    private let reversed: [Tensor]
    /// Scratch: (S, B, I) the reversed inputs' gradient; (S, B, H) split output gradients.
    private let dReversed = Tensor(), dForward = Tensor(), dBackward = Tensor()
    /// (S, B, E) dL/d(top layer output), from dL/dmemory.
    private let dTop = Tensor()
    /// Per layer k: (S, B, I_k) gradient of its input.
    private let dInputs: [Tensor]
    private(set) var lengths: [Int] = []
    private(set) var steps = 0
    private(set) var batch = 0

    init(spec: Seq2SeqSpec, random: inout SeededRandom) {
        self.spec = spec
        embedding = EmbeddingLayer(index: 0, vocabulary: spec.sourceVocabulary, dimension: spec.sourceEmbedding,
                                   random: &random, prefix: "enc.0.")
        var forward: [RecurrentLayer] = [], reverse: [RecurrentLayer] = []
        var input = spec.sourceEmbedding
        for k in 0..<spec.encoderLayers {
            forward.append(RecurrentLayer(cell: spec.cell, inputSize: input, hidden: spec.hidden,
                                          prefix: "enc.\(k + 1).", random: &random))
            if spec.bidirectional {
                reverse.append(RecurrentLayer(cell: spec.cell, inputSize: input, hidden: spec.hidden,
                                              prefix: "enc.\(k + 1).", suffix: "_reverse", random: &random))
            }
            input = spec.encoderOutput
        }
        forwardLayers = forward
        reverseLayers = reverse
        dropouts = (0..<spec.encoderLayers).map { _ in DropoutMask(probability: spec.dropout) }
        outputs = (0..<spec.encoderLayers).map { _ in Tensor() }
        finalH = (0..<spec.encoderLayers).map { _ in Tensor() }
        finalC = (0..<spec.encoderLayers).map { _ in Tensor() }
        dInputs = (0..<spec.encoderLayers).map { _ in Tensor() }
        reversed = (0..<spec.encoderLayers).map { _ in Tensor() }
    }

    /// FORMAT.md order: embedding, then per layer the forward weights and the reverse ones.
    var parameters: [Parameter] {
        var p = embedding.parameters
        for k in 0..<forwardLayers.count {
            p += forwardLayers[k].parameters
            if spec.bidirectional { p += reverseLayers[k].parameters }
        }
        return p
    }

    /// Encodes `source` (B, S) batch-major with the given lengths.
    func forward(source: [Int32], lengths: [Int], steps s: Int, batch b: Int, training: Bool,
                 random: inout SeededRandom) {
        self.lengths = lengths
        steps = s
        batch = b
        let e = spec.encoderOutput, h = spec.hidden
        var timeMajor = [Int32](repeating: 0, count: b * s)
        for i in 0..<b { for t in 0..<s { timeMajor[t * b + i] = source[i * s + t] } }
        embedding.forward(timeMajor)
        var x = UnsafePointer(embedding.output.data)
        for k in 0..<forwardLayers.count {
            let fwd = forwardLayers[k], input = fwd.inputSize
            fwd.start(steps: s, batch: b, initialH: nil, initialC: nil)
            fwd.setInputs(x)
            for t in 0..<s { fwd.step(t) }
            let out = outputs[k]
            out.resize(s * b * e, zero: true)
            finalH[k].resize(b * e)
            finalC[k].resize(b * e)
            // out[t, i, 0..<H] = h_fwd(t) for t < n_i
            for i in 0..<b {
                for t in 0..<lengths[i] { (out.data + (t * b + i) * e).update(from: fwd.output(t) + i * h, count: h) }
                let last = lengths[i] - 1
                (finalH[k].data + i * e).update(from: fwd.output(last) + i * h, count: h)
                if spec.cell == .lstm { (finalC[k].data + i * e).update(from: fwd.cellState(last) + i * h, count: h) }
            }
            if spec.bidirectional {
                let rev = reverseLayers[k], reversed = self.reversed[k]
                // reversed[t', i] = x[n_i − 1 − t', i] for t' < n_i, zeros after
                reversed.resize(s * b * input, zero: true)
                for i in 0..<b {
                    let n = lengths[i]
                    for t in 0..<n {
                        (reversed.data + (t * b + i) * input).update(from: x + ((n - 1 - t) * b + i) * input, count: input)
                    }
                }
                rev.start(steps: s, batch: b, initialH: nil, initialC: nil)
                rev.setInputs(reversed.data)
                for t in 0..<s { rev.step(t) }
                // out[j, i, H..<2H] = h_bwd(n_i − 1 − j); final = after token 0 = step n_i − 1
                for i in 0..<b {
                    let n = lengths[i]
                    for j in 0..<n {
                        (out.data + (j * b + i) * e + h).update(from: rev.output(n - 1 - j) + i * h, count: h)
                    }
                    (finalH[k].data + i * e + h).update(from: rev.output(n - 1) + i * h, count: h)
                    if spec.cell == .lstm { (finalC[k].data + i * e + h).update(from: rev.cellState(n - 1) + i * h, count: h) }
                }
            }
            dropouts[k].draw(count: s * b * e, training: training, random: &random)
            dropouts[k].apply(out.data, offset: 0, count: s * b * e)
            x = UnsafePointer(out.data)
        }
        // memory (B, S, E) from the top output (S, B, E)
        memory.resize(b * s * e)
        for i in 0..<b {
            for t in 0..<s { (memory.data + (i * s + t) * e).update(from: x + (t * b + i) * e, count: e) }
        }
    }

    /// Backpropagates dL/dmemory (B, S, E) and, for the copy bridge, dL/d(final state) per layer
    /// ((B, E) h and c); accumulates every encoder gradient.
    func backward(dMemory: UnsafePointer<Float>, dFinalH: [UnsafePointer<Float>]?, dFinalC: [UnsafePointer<Float>?]?) {
        let s = steps, b = batch, e = spec.encoderOutput, h = spec.hidden
        let top = forwardLayers.count - 1
        // dOut of the top layer, time-major (S, B, E), zero at pads
        dTop.resize(s * b * e, zero: true)
        for i in 0..<b {
            for t in 0..<lengths[i] { (dTop.data + (t * b + i) * e).update(from: dMemory + (i * s + t) * e, count: e) }
        }
        var dCurrent = dTop
        for k in stride(from: top, through: 0, by: -1) {
            let fwd = forwardLayers[k]
            dropouts[k].apply(dCurrent.data, offset: 0, count: s * b * e)
            // split [fwd ; bwd] halves; the bwd half into reversed time
            dForward.resize(s * b * h, zero: true)
            if spec.bidirectional { dBackward.resize(s * b * h, zero: true) }
            for i in 0..<b {
                let n = lengths[i]
                for t in 0..<n {
                    let src = dCurrent.data + (t * b + i) * e
                    (dForward.data + (t * b + i) * h).update(from: src, count: h)
                    if spec.bidirectional { (dBackward.data + ((n - 1 - t) * b + i) * h).update(from: src + h, count: h) }
                }
            }
            let dOut = dInputs[k]
            dOut.resize(s * b * fwd.inputSize, zero: true)
            runBackward(fwd, dForward, half: 0, dFinalH: dFinalH?[k], dFinalC: dFinalC?[k])
            fwd.finishBackward(dInput: dOut.data)
            if spec.bidirectional {
                let rev = reverseLayers[k], input = rev.inputSize
                runBackward(rev, dBackward, half: h, dFinalH: dFinalH?[k], dFinalC: dFinalC?[k])
                dReversed.resize(s * b * input, zero: true)
                rev.finishBackward(dInput: dReversed.data)
                for i in 0..<b {
                    let n = lengths[i]
                    for t in 0..<n {
                        VectorMath.add(dReversed.data + (t * b + i) * input, into: dOut.data + ((n - 1 - t) * b + i) * input, input)
                    }
                }
            }
            dCurrent = dOut
        }
        embedding.backward(dCurrent.data)
    }

    /// Steps one direction back over all S steps, adding the final-state gradient (columns
    /// `half`..<`half` + H of dFinal) at each sequence's last real step.
    private func runBackward(_ layer: RecurrentLayer, _ dOut: Tensor, half: Int,
                             dFinalH: UnsafePointer<Float>?, dFinalC: UnsafePointer<Float>??) {
        let b = batch, h = spec.hidden, e = spec.encoderOutput
        layer.startBackward()
        for t in stride(from: steps - 1, through: 0, by: -1) {
            if let dFinalH {
                for i in 0..<b where lengths[i] - 1 == t {
                    let dc: UnsafePointer<Float>? = (dFinalC ?? nil).map { $0 + i * e + half }
                    layer.addStateGradient(row: i, h: dFinalH + i * e + half, c: dc)
                }
            }
            layer.backwardStep(t, dOut.data + t * b * h)
        }
    }
}
