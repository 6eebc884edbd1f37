/// An encoder–decoder with attention, trained with teacher forcing (see `Seq2SeqSpec`).
///
/// Forward: the encoder turns the padded source into the memory (B, S, E); the decoder reads
/// BOS y1 … y_{m−1} through its embedding and recurrent stack (starting from zeros or, with the
/// `copy` bridge, the encoder's final states), attends over the memory, combines into h̃ and
/// predicts y1 … y_m (EOS last) with a softmax; the loss is the mean cross-entropy over real
/// target positions. Without input feeding each decoder layer runs over the whole target at once
/// and attention covers all steps in batched products; with input feeding the first layer reads
/// [embed(y_{t−1}) ; h̃_{t−1}], so everything goes step by step. `backward` accumulates into
/// `Parameter.grad`; `trainStep` zeroes first.
///
/// An image → text spec (`spec.image`) swaps the token encoder for an `ImageEncoder`: the batch's
/// images give the memory (every length = its OH·OW rows) and the decoder starts from zeros.
public final class Seq2SeqModel: @unchecked Sendable {
    public let spec: Seq2SeqSpec
    /// Every trainable tensor: encoder (embedding, layers, reverse directions), decoder embedding,
    /// decoder layers, attention, output dense — each under its FORMAT.md tensor name.
    public let parameters: [Parameter]
    /// The dropout masks' generator; part of `TrainingState` so a resumed run draws the same masks.
    public var dropoutRandom: SeededRandom

    /// The token encoder; nil for an image model.
    let encoder: Seq2SeqEncoder?
    /// The image encoder; nil for a token model.
    let imageEncoder: ImageEncoder?
    let embedding: EmbeddingLayer
    let layers: [RecurrentLayer]
    let attention: Seq2SeqAttention
    /// Logits V_t from h̃ (`dec.{L+1}`).
    let output: DenseLayer
    private let dropouts: [DropoutMask]
    /// Per decoder layer k: (T, B, H_d) its output after dropout.
    private let layerOutputs: [Tensor]
    /// (N, V) probabilities and dL/dlogits of the N real target positions.
    private let probabilities = Tensor(), dLogits = Tensor()
    /// The N real positions as time-major rows s·B + i; (N, C) their h̃; (N, C) dL/d of it.
    private var realRows: [Int] = []
    private let realOutputs = Tensor(), dRealOutputs = Tensor()
    /// Backward scratch: (T, B, C) dL/dh̃; per layer (T, B, H_d) dL/doutput; (T, B, I_0) dL/dinput of layer 0.
    private let dOutputs = Tensor()
    private let dLayer: [Tensor]
    private let dFirstInput = Tensor()
    /// (T, B, D_d) dL/d(target embedding).
    private let dEmbedded = Tensor()
    private var steps = 0, count = 0
    private var trainingPass = false

    /// Builds every layer and initialises the parameters from `seed` (PyTorch's schemes).
    public init(spec: Seq2SeqSpec, seed: UInt64) throws(TrainerError) {
        try spec.validate()
        self.spec = spec
        var random = SeededRandom(seed: seed)
        if let image = spec.image {
            imageEncoder = try ImageEncoder(spec: image, random: &random)
            encoder = nil
        } else {
            encoder = Seq2SeqEncoder(spec: spec, random: &random)
            imageEncoder = nil
        }
        embedding = EmbeddingLayer(index: 0, vocabulary: spec.targetVocabulary, dimension: spec.targetEmbedding,
                                   random: &random, prefix: "dec.0.")
        var layers: [RecurrentLayer] = []
        var input = spec.decoderInput
        for k in 0..<spec.decoderLayers {
            layers.append(RecurrentLayer(cell: spec.cell, inputSize: input, hidden: spec.decoderHidden,
                                         prefix: "dec.\(k + 1).", random: &random))
            input = spec.decoderHidden
        }
        self.layers = layers
        attention = Seq2SeqAttention(spec: spec, random: &random)
        output = DenseLayer(index: spec.outputIndex, inputSize: spec.combine, outputSize: spec.targetVocabulary,
                            activation: .none, random: &random, prefix: "dec.\(spec.outputIndex).")
        parameters = (encoder?.parameters ?? imageEncoder?.parameters ?? []) + embedding.parameters + layers.flatMap(\.parameters)
            + attention.parameters + output.parameters
        dropouts = layers.map { _ in DropoutMask(probability: spec.dropout) }
        layerOutputs = layers.map { _ in Tensor() }
        dLayer = layers.map { _ in Tensor() }
        dropoutRandom = random.split()
    }

    // MARK: Forward

    /// Encodes the source (token ids, or for an image model `images` (B, H, W, C)) and prepares
    /// the decoder for `steps` steps over `batch` rows: initial states (zero or copied from the
    /// encoder) and the attention keys.
    func begin(source: [Int32], images: [Float], lengths: [Int], sourceSteps: Int, batch b: Int, steps t: Int,
               training: Bool) {
        steps = t
        count = b
        trainingPass = training
        let memory: UnsafePointer<Float>
        if let imageEncoder {
            images.withUnsafeBufferPointer { imageEncoder.forward($0.baseAddress!, batch: b) }
            memory = UnsafePointer(imageEncoder.memory)
        } else if let encoder {
            encoder.forward(source: source, lengths: lengths, steps: sourceSteps, batch: b, training: training,
                            random: &dropoutRandom)
            memory = UnsafePointer(encoder.memory.data)
        } else {
            preconditionFailure("a seq2seq model has a token or an image encoder")
        }
        // only the token encoder has final states (validate: copy needs it)
        let copy = spec.bridge == .copy ? encoder : nil
        for (k, layer) in layers.enumerated() {
            layer.start(steps: t, batch: b, initialH: copy.map { UnsafePointer($0.finalH[k].data) },
                        initialC: spec.cell == .lstm ? copy.map { UnsafePointer($0.finalC[k].data) } : nil)
            layerOutputs[k].resize(t * b * spec.decoderHidden)
            dropouts[k].draw(count: t * b * spec.decoderHidden, training: training, random: &dropoutRandom)
        }
        attention.start(memory: memory, lengths: lengths, batch: b, sourceSteps: sourceSteps, steps: t)
    }

    /// One decoder step t for every row: `embedded` (B, D_d) is embed(y_{t−1}); runs the stack
    /// (with input feeding, the first layer reads [embedded ; h̃_{t−1}]) and the attention; h̃_t
    /// is then `attention.output(t)`.
    func decoderStep(_ t: Int, embedded: UnsafePointer<Float>) {
        let b = count, d = spec.targetEmbedding, c = spec.combine, hd = spec.decoderHidden
        let first = layers[0], width = first.inputSize
        let slot = first.inputSlot(t)
        for r in 0..<b {
            (slot + r * width).update(from: embedded + r * d, count: d)
            if spec.inputFeeding {
                // h̃_0 = zeros
                if t == 0 { (slot + r * width + d).update(repeating: 0, count: c) }
                else { (slot + r * width + d).update(from: attention.output(t - 1) + r * c, count: c) }
            }
        }
        first.projectInput(t)
        for (k, layer) in layers.enumerated() {
            if k > 0 { layer.setInput(t, layerOutputs[k - 1].data + t * b * hd) }
            layer.step(t)
            let out = layerOutputs[k].data + t * b * hd
            out.update(from: layer.output(t), count: b * hd)
            dropouts[k].apply(out, offset: t * b * hd, count: b * hd)
        }
        attention.forward(t, t + 1, queries: layerOutputs[layers.count - 1].data + t * b * hd)
    }

    /// Teacher-forced forward over the whole batch; h̃ for every step ends in `attention.outputs`.
    private func run(_ batch: Seq2SeqBatch, training: Bool) {
        // A caller bug, not data: fitSeq2Seq validates every batch once with a thrown error.
        do { try batch.validate(for: spec) } catch { preconditionFailure("\(error)") }
        let b = batch.count, t = batch.targetSteps, hd = spec.decoderHidden
        begin(source: batch.source, images: batch.images, lengths: batch.sourceLengths, sourceSteps: batch.sourceSteps, batch: b,
              steps: t, training: training)
        var timeMajor = [Int32](repeating: 0, count: b * t)
        for i in 0..<b { for s in 0..<t { timeMajor[s * b + i] = batch.targetInput[i * t + s] } }
        embedding.forward(timeMajor)
        let embedded = embedding.output.data, d = spec.targetEmbedding
        if spec.inputFeeding {
            for s in 0..<t { decoderStep(s, embedded: embedded + s * b * d) }
        } else {
            var x = UnsafePointer(embedded)
            for (k, layer) in layers.enumerated() {
                layer.setInputs(x)
                for s in 0..<t { layer.step(s) }
                let out = layerOutputs[k].data
                out.update(from: layer.output(0), count: t * b * hd)
                dropouts[k].apply(out, offset: 0, count: t * b * hd)
                x = UnsafePointer(out)
            }
            attention.forward(0, t, queries: x)
        }
    }

    /// Forward pass and loss (mean cross-entropy over the real target positions, EOS included;
    /// metric: correctly predicted tokens). With `training`, dropout is on and caches are kept.
    ///
    /// Only the real positions (t < m of their pair) go through the output layer: its V-wide
    /// products dominate the cost with a large target vocabulary, and pads contribute nothing.
    @discardableResult
    public func forward(_ batch: Seq2SeqBatch, training: Bool) -> LossValue {
        run(batch, training: training)
        let b = batch.count, t = batch.targetSteps, v = spec.targetVocabulary, c = spec.combine
        // realRows: time-major row indices s·B + i with s < m_i, in order
        realRows.removeAll(keepingCapacity: true)
        var targets: [Int32] = []
        for s in 0..<t {
            for i in 0..<b where s < batch.targetLengths[i] {
                realRows.append(s * b + i)
                targets.append(batch.targetOutput[i * t + s])
            }
        }
        let n = realRows.count
        // (N, C) h̃ of the real positions
        realOutputs.resize(n * c)
        for (k, row) in realRows.enumerated() {
            (realOutputs.data + k * c).update(from: attention.outputs.data + row * c, count: c)
        }
        output.forward(realOutputs.data, rows: n)
        probabilities.resize(n * v)
        if training { dLogits.resize(n * v) }
        return SoftmaxCrossEntropy.evaluate(logits: output.output.data, rows: n, classes: v, targets: targets,
                                            mask: nil, probabilities: probabilities.data,
                                            gradient: training ? dLogits.data : nil)
    }

    // MARK: Backward

    /// Backpropagates the loss of the last training `forward`, accumulating into every gradient.
    public func backward() {
        precondition(trainingPass, "backward needs a forward with training: true")
        let b = count, t = steps, c = spec.combine, hd = spec.decoderHidden, d = spec.targetEmbedding
        dRealOutputs.resize(realRows.count * c, zero: true)
        output.backward(dLogits.data, dInput: dRealOutputs.data)
        // (T, B, C) dL/dh̃: the real rows' gradients, zero at pads
        dOutputs.resize(t * b * c, zero: true)
        for (k, row) in realRows.enumerated() {
            (dOutputs.data + row * c).update(from: dRealOutputs.data + k * c, count: c)
        }
        attention.startBackward()
        for (k, layer) in layers.enumerated() {
            layer.startBackward()
            dLayer[k].resize(t * b * hd, zero: true)
        }
        let top = layers.count - 1
        let width = layers[0].inputSize
        dFirstInput.resize(t * b * width, zero: true)
        if spec.inputFeeding {
            for s in stride(from: t - 1, through: 0, by: -1) {
                attention.backward(s, s + 1, dOutput: dOutputs.data + s * b * c, dQueries: dLayer[top].data + s * b * hd)
                for k in stride(from: top, through: 0, by: -1) {
                    let dOut = dLayer[k].data + s * b * hd
                    dropouts[k].apply(dOut, offset: s * b * hd, count: b * hd)
                    layers[k].backwardStep(s, dOut)
                    let below = k > 0 ? dLayer[k - 1].data + s * b * hd : dFirstInput.data + s * b * width
                    layers[k].inputGradient(s, into: below)
                }
                // the h̃_{s−1} half of layer 0's input
                if s > 0 {
                    for r in 0..<b {
                        VectorMath.add(dFirstInput.data + (s * b + r) * width + d, into: dOutputs.data + ((s - 1) * b + r) * c, c)
                    }
                }
            }
            for layer in layers { layer.finishBackward(dInput: nil) }
        } else {
            attention.backward(0, t, dOutput: dOutputs.data, dQueries: dLayer[top].data)
            for k in stride(from: top, through: 0, by: -1) {
                let dOut = dLayer[k].data
                dropouts[k].apply(dOut, offset: 0, count: t * b * hd)
                for s in stride(from: t - 1, through: 0, by: -1) { layers[k].backwardStep(s, dOut + s * b * hd) }
                layers[k].finishBackward(dInput: k > 0 ? dLayer[k - 1].data : dFirstInput.data)
            }
        }
        // dL/dembedding: the first D_d columns of layer 0's input gradient
        dEmbedded.resize(t * b * d)
        for r in 0..<(t * b) { (dEmbedded.data + r * d).update(from: dFirstInput.data + r * width, count: d) }
        embedding.backward(dEmbedded.data)
        attention.finishBackward()
        if let imageEncoder {
            imageEncoder.backward(dMemory: attention.dMemory.data)
        } else if spec.bridge == .copy, let encoder {
            // the decoder's initial-state gradients go into the encoder's final states
            encoder.backward(dMemory: attention.dMemory.data,
                             dFinalH: layers.map { UnsafePointer($0.dh.data) },
                             dFinalC: layers.map { spec.cell == .lstm ? UnsafePointer($0.dc.data) : nil })
        } else {
            encoder?.backward(dMemory: attention.dMemory.data, dFinalH: nil, dFinalC: nil)
        }
    }

    /// zeroGradients, training forward, backward: the gradients of this batch's mean loss.
    @discardableResult
    public func trainStep(_ batch: Seq2SeqBatch) -> LossValue {
        zeroGradients()
        let loss = forward(batch, training: true)
        backward()
        return loss
    }

    /// The loss of `batch` without dropout and without keeping anything for backward.
    public func evaluate(_ batch: Seq2SeqBatch) -> LossValue {
        forward(batch, training: false)
    }
}
