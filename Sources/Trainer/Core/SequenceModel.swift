/// A recurrent network built from a `ModelSpec`: optional embedding, a stack of LSTM/GRU/RNN
/// layers (a token classifier's may be bidirectional) with dropout after each, and a dense head
/// with its loss.
///
/// Batches come in batch-major (see `Batch`) and are turned time-major once: (T, B, F). A
/// classifier or regressor reads the last layer's output at the last step, or pools it over all
/// steps (`ModelSpec.Pool`); an lm emits logits at every step. A bidirectional layer runs its
/// reverse weights over the time-reversed input and joins y_t = [h_fwd(t) ; h_bwd(t)]: every
/// sequence of a batch has all T steps (no padding), as the Runtime sees a whole line. `forward`
/// keeps every cache that `backward` needs; `backward` *accumulates* into `Parameter.grad` (call
/// `zeroGradients()` first, or use `trainStep`).
public final class SequenceModel: @unchecked Sendable {
    public let spec: ModelSpec
    /// Every trainable tensor in FORMAT.md layer order (embedding, recurrent layers, head);
    /// within a recurrent layer weight_ih, weight_hh, bias_ih, bias_hh, then the same four
    /// `…_reverse` of a bidirectional layer; the head weight, bias.
    public let parameters: [Parameter]
    /// The dropout masks' generator; part of `TrainingState` so a resumed run draws the same masks.
    public var dropoutRandom: SeededRandom

    let embedding: EmbeddingLayer?
    let recurrent: [RecurrentLayer]
    /// Per recurrent layer, its reverse direction (nil: one direction).
    let reverse: [RecurrentLayer?]
    let dropouts: [Dropout]
    let head: DenseLayer

    /// (T, B, F) time-major frames of the last forward.
    private let input = Tensor()
    /// (B, E) the top layer's pooled output (classifier, regressor).
    private let lastStep = Tensor()
    /// (B, E) `max` pooling: the step each maximum came from.
    private var maxSteps: [Int32] = []
    /// (B, E) dL/d(pooled output).
    private let dPooled = Tensor()
    /// Per bidirectional layer k: (T, B, I_k) its input reversed in time, the reverse direction's input.
    private let reversedInputs: [Tensor]
    /// Per bidirectional layer k: (T, B, 2H_k) the joined output [h_fwd(t) ; h_bwd(t)].
    private let joinedOutputs: [Tensor]
    /// Scratch for a bidirectional backward: (T, B, H) the two directions' output gradients, the
    /// reverse one in its own (reversed) time; (T, B, I) the reverse direction's input gradient.
    private let dForwardHalf = Tensor(), dReverseHalf = Tensor(), dReversedInput = Tensor()
    /// (N, C) softmax of the head (classifier, lm), N = B or T·B.
    private let probabilities = Tensor()
    /// (N, O) dL/d(head output).
    private let dHead = Tensor()
    /// Per recurrent layer k: (T, B, H_k) dL/d(output of layer k).
    private let dOutputs: [Tensor]
    /// (T, B, I_0) dL/d(input of layer 0) for the embedding.
    private let dEmbedded = Tensor()
    /// Dropout on the embedded tokens (`ModelSpec.embeddingDropout`).
    private let embeddingDropout: Dropout
    private var steps = 0
    private var count = 0
    private var trainingPass = false

    /// Builds the layers and initialises every parameter from `seed` (PyTorch's schemes).
    public init(spec: ModelSpec, seed: UInt64) throws(TrainerError) {
        try spec.validate()
        self.spec = spec
        var random = SeededRandom(seed: seed)
        var parameters: [Parameter] = []
        if case .tokens(let vocabulary, let dimension) = spec.input {
            let e = EmbeddingLayer(index: 0, vocabulary: vocabulary, dimension: dimension, random: &random)
            parameters += e.parameters
            embedding = e
        } else {
            embedding = nil
        }
        var layers: [RecurrentLayer] = []
        var reverseLayers: [RecurrentLayer?] = []
        var inputSize = spec.firstLayerInput
        for (k, l) in spec.layers.enumerated() {
            let index = spec.recurrentIndex(k)
            func make(_ suffix: String) -> RecurrentLayer {
                RecurrentLayer(cell: l.cell, index: index, inputSize: inputSize, hidden: l.hidden, suffix: suffix,
                               random: &random)
            }
            let layer = make("")
            parameters += layer.parameters
            layers.append(layer)
            let backwards = l.isBidirectional ? make("_reverse") : nil
            parameters += backwards?.parameters ?? []
            reverseLayers.append(backwards)
            inputSize = l.outputWidth
        }
        recurrent = layers
        reverse = reverseLayers
        reversedInputs = spec.layers.map { _ in Tensor() }
        joinedOutputs = spec.layers.map { _ in Tensor() }
        head = DenseLayer(index: spec.headIndex, inputSize: inputSize, outputSize: spec.output.size,
                          activation: .none, random: &random)
        parameters += head.parameters
        self.parameters = parameters
        dropouts = spec.layers.map { _ in Dropout(probability: spec.dropout) }
        embeddingDropout = Dropout(probability: spec.embeddingDropoutRate)
        dOutputs = spec.layers.map { _ in Tensor() }
        dropoutRandom = random.split()
    }

    /// The name of the metric `LossValue.metricSum / weight` measures: "accuracy" or "mae".
    public var metricName: String {
        if case .regressor = spec.output { return "mae" }
        return "accuracy"
    }

    /// True when a larger metric is better (accuracy), false for an error (mae).
    public var metricHigherIsBetter: Bool { metricName == "accuracy" }

    // MARK: Forward

    /// Runs the stack and the head over the batch's inputs; returns the head's output rows.
    private func run(_ inputs: Batch.Inputs, count b: Int, steps t: Int, training: Bool,
                     initialState: [LayerState]?) -> UnsafeMutablePointer<Float> {
        precondition(initialState == nil || initialState!.count == recurrent.count,
                     "initial state for \(initialState!.count) layers, the model has \(recurrent.count)")
        steps = t
        count = b
        trainingPass = training
        var x: UnsafePointer<Float>
        switch inputs {
        case .frames(let frames, let f):
            precondition(frames.count == b * t * f && f == spec.firstLayerInput, "frames do not match the model")
            // (B, T, F) → (T, B, F)
            input.resize(t * b * f)
            frames.withUnsafeBufferPointer { src in
                for s in 0..<b {
                    for step in 0..<t {
                        (input.data + (step * b + s) * f).update(from: src.baseAddress! + (s * t + step) * f, count: f)
                    }
                }
            }
            x = UnsafePointer(input.data)
        case .tokens(let tokens):
            guard let embedding else { preconditionFailure("token input to a frame model") }
            precondition(tokens.count == b * t, "tokens do not match the batch shape")
            var timeMajor = [Int32](repeating: 0, count: b * t)
            for s in 0..<b { for step in 0..<t { timeMajor[step * b + s] = tokens[s * t + step] } }
            embedding.forward(timeMajor)
            x = UnsafePointer(embedding.output.data)
            if training && spec.embeddingDropoutRate > 0 {
                embeddingDropout.forward(x, count: t * b * embedding.dimension, random: &dropoutRandom)
                x = UnsafePointer(embeddingDropout.output.data)
            }
        }
        for (k, layer) in recurrent.enumerated() {
            layer.forward(x, steps: t, batch: b, initial: initialState?[k])
            if let backwards = reverse[k] {
                precondition(initialState == nil, "a bidirectional layer starts from zeros")
                x = runReverse(backwards, of: k, input: x, steps: t, batch: b)
            } else {
                x = UnsafePointer(layer.outputs)
            }
            if training && spec.dropout > 0 {
                dropouts[k].forward(x, count: t * b * spec.layers[k].outputWidth, random: &dropoutRandom)
                x = UnsafePointer(dropouts[k].output.data)
            }
        }
        if case .lm = spec.output {
            head.forward(x, rows: t * b)
        } else {
            pool(x, steps: t, batch: b)
            head.forward(lastStep.data, rows: b)
        }
        return head.output.data
    }

    /// Runs layer k's reverse direction over its input `x` (T, B, I) reversed in time and joins
    /// both directions into (T, B, 2H): y_t = [h_fwd(t) ; h_bwd(t)], h_bwd(t) being the reverse
    /// direction's step T − 1 − t.
    private func runReverse(_ backwards: RecurrentLayer, of k: Int, input x: UnsafePointer<Float>,
                            steps t: Int, batch b: Int) -> UnsafePointer<Float> {
        let i = backwards.inputSize, h = backwards.hidden, e = 2 * h
        let reversed = reversedInputs[k], joined = joinedOutputs[k]
        reversed.resize(t * b * i)
        for step in 0..<t { (reversed.data + step * b * i).update(from: x + (t - 1 - step) * b * i, count: b * i) }
        backwards.forward(reversed.data, steps: t, batch: b, initial: nil)
        joined.resize(t * b * e)
        let fwd = recurrent[k].outputs, bwd = backwards.outputs
        for step in 0..<t {
            for n in 0..<b {
                (joined.data + (step * b + n) * e).update(from: fwd + (step * b + n) * h, count: h)
                (joined.data + (step * b + n) * e + h).update(from: bwd + ((t - 1 - step) * b + n) * h, count: h)
            }
        }
        return UnsafePointer(joined.data)
    }

    /// The head's input (B, E) from the top layer's outputs y (T, B, E), by `spec.pooling`:
    /// last y_{T−1} (a bidirectional top: [h_fwd(T−1) ; h_bwd(0)]), mean (Σ_t y_t in step order,
    /// then one division by T) or the element-wise max (the first step wins a tie).
    private func pool(_ y: UnsafePointer<Float>, steps t: Int, batch b: Int) {
        let e = spec.topWidth
        let pooled = lastStep
        pooled.resize(b * e)
        switch spec.pooling {
        case .last:
            pooled.data.update(from: y + (t - 1) * b * e, count: b * e)
            if spec.layers[spec.layers.count - 1].isBidirectional {
                let h = e / 2
                for n in 0..<b { (pooled.data + n * e + h).update(from: y + n * e + h, count: h) }
            }
        case .mean:
            pooled.data.update(from: y, count: b * e)
            for step in 1..<max(t, 1) { VectorMath.add(y + step * b * e, into: pooled.data, b * e) }
            let n = Float(t)
            for j in 0..<(b * e) { pooled.data[j] /= n }
        case .max:
            pooled.data.update(from: y, count: b * e)
            maxSteps = [Int32](repeating: 0, count: b * e)
            for step in 1..<max(t, 1) {
                let row = y + step * b * e
                for j in 0..<(b * e) where row[j] > pooled.data[j] {
                    pooled.data[j] = row[j]
                    maxSteps[j] = Int32(step)
                }
            }
        }
    }

    /// dL/dy (T, B, E) += what the pooling passes back of dL/d(pooled) (B, E).
    private func unpool(_ dPooled: UnsafePointer<Float>, into dY: UnsafeMutablePointer<Float>, steps t: Int, batch b: Int) {
        let e = spec.topWidth
        switch spec.pooling {
        case .last:
            if spec.layers[spec.layers.count - 1].isBidirectional {
                let h = e / 2
                for n in 0..<b {
                    VectorMath.add(dPooled + n * e, into: dY + ((t - 1) * b + n) * e, h)
                    VectorMath.add(dPooled + n * e + h, into: dY + n * e + h, h)
                }
            } else {
                VectorMath.add(dPooled, into: dY + (t - 1) * b * e, b * e)
            }
        case .mean:
            let scale = 1 / Float(t)
            for step in 0..<t {
                let row = dY + step * b * e
                for j in 0..<(b * e) { row[j] += dPooled[j] * scale }
            }
        case .max:
            for j in 0..<(b * e) { dY[Int(maxSteps[j]) * b * e + j] += dPooled[j] }
        }
    }

    /// Forward pass and loss. With `training`, dropout is on and the caches for `backward` are kept.
    ///
    /// - Parameter initialState: per recurrent layer, the state to start from (truncated BPTT);
    ///   nil starts from zeros.
    @discardableResult
    public func forward(_ batch: Batch, training: Bool, initialState: [LayerState]? = nil) -> LossValue {
        let b = batch.count, t = batch.steps
        let out = run(batch.inputs, count: b, steps: t, training: training, initialState: initialState)
        let width = spec.output.size
        switch (spec.output, batch.targets) {
        case (.classifier, .classes(let classes)):
            probabilities.resize(b * width)
            if training { dHead.resize(b * width) }
            return SoftmaxCrossEntropy.evaluate(logits: out, rows: b, classes: width, targets: classes, mask: batch.mask,
                                                probabilities: probabilities.data, gradient: training ? dHead.data : nil)
        case (.lm, .classes(let tokens)):
            // targets and mask (B, T) → (T, B) like the logits
            var targets = [Int32](repeating: 0, count: b * t)
            var mask: [Float]? = batch.mask == nil ? nil : [Float](repeating: 0, count: b * t)
            for s in 0..<b {
                for step in 0..<t {
                    targets[step * b + s] = tokens[s * t + step]
                    if let m = batch.mask { mask![step * b + s] = m[s * t + step] }
                }
            }
            probabilities.resize(t * b * width)
            if training { dHead.resize(t * b * width) }
            return SoftmaxCrossEntropy.evaluate(logits: out, rows: t * b, classes: width, targets: targets, mask: mask,
                                                probabilities: probabilities.data, gradient: training ? dHead.data : nil)
        case (.regressor, .values(let values, _)):
            if training { dHead.resize(b * width) }
            return MeanSquaredError.evaluate(predictions: out, targets: values, count: b * width,
                                             gradient: training ? dHead.data : nil)
        default:
            preconditionFailure("batch targets do not match the model output \(spec.output)")
        }
    }

    // MARK: Backward

    /// Backpropagates the loss of the last training `forward`, accumulating into every gradient.
    public func backward() {
        precondition(trainingPass, "backward needs a forward with training: true")
        let t = steps, b = count
        let last = recurrent.count - 1
        let dTop = dOutputs[last]
        dTop.resize(t * b * spec.topWidth, zero: true)
        if case .lm = spec.output {
            head.backward(dHead.data, dInput: dTop.data)
        } else if spec.pooling == .last && reverse[last] == nil {
            head.backward(dHead.data, dInput: dTop.data + (t - 1) * b * spec.topWidth)
        } else {
            dPooled.resize(b * spec.topWidth, zero: true)
            head.backward(dHead.data, dInput: dPooled.data)
            unpool(dPooled.data, into: dTop.data, steps: t, batch: b)
        }
        for k in stride(from: last, through: 0, by: -1) {
            let layer = recurrent[k]
            let dOut = dOutputs[k]
            if spec.dropout > 0 { dropouts[k].backward(dOut.data, count: t * b * spec.layers[k].outputWidth) }
            var dBelow: UnsafeMutablePointer<Float>? = nil
            if k > 0 {
                dOutputs[k - 1].resize(t * b * layer.inputSize, zero: true)
                dBelow = dOutputs[k - 1].data
            } else if embedding != nil {
                dEmbedded.resize(t * b * layer.inputSize, zero: true)
                dBelow = dEmbedded.data
            }
            if let backwards = reverse[k] {
                backwardBoth(layer, backwards, dOut: dOut.data, dInput: dBelow, steps: t, batch: b)
            } else {
                layer.backward(dOut.data, dInput: dBelow)
            }
        }
        if let embedding {
            if spec.embeddingDropoutRate > 0 { embeddingDropout.backward(dEmbedded.data, count: t * b * embedding.dimension) }
            embedding.backward(dEmbedded.data)
        }
    }

    /// A bidirectional layer's backward: dOut (T, B, 2H) splits into the forward half and the
    /// reverse half (in the reverse direction's own time, T − 1 − t); the reverse direction's
    /// input gradient flows back to position T − 1 − s of dX.
    private func backwardBoth(_ forwards: RecurrentLayer, _ backwards: RecurrentLayer, dOut: UnsafePointer<Float>,
                              dInput: UnsafeMutablePointer<Float>?, steps t: Int, batch b: Int) {
        let h = forwards.hidden, e = 2 * h, i = forwards.inputSize
        dForwardHalf.resize(t * b * h)
        dReverseHalf.resize(t * b * h)
        for step in 0..<t {
            for n in 0..<b {
                (dForwardHalf.data + (step * b + n) * h).update(from: dOut + (step * b + n) * e, count: h)
                (dReverseHalf.data + ((t - 1 - step) * b + n) * h).update(from: dOut + (step * b + n) * e + h, count: h)
            }
        }
        forwards.backward(dForwardHalf.data, dInput: dInput)
        guard let dInput else {
            backwards.backward(dReverseHalf.data, dInput: nil)
            return
        }
        dReversedInput.resize(t * b * i, zero: true)
        backwards.backward(dReverseHalf.data, dInput: dReversedInput.data)
        for step in 0..<t {
            VectorMath.add(dReversedInput.data + step * b * i, into: dInput + (t - 1 - step) * b * i, b * i)
        }
    }

    /// zeroGradients, training forward, backward: the gradients of this batch's mean loss.
    @discardableResult
    public func trainStep(_ batch: Batch, initialState: [LayerState]? = nil) -> LossValue {
        zeroGradients()
        let loss = forward(batch, training: true, initialState: initialState)
        backward()
        return loss
    }

    // MARK: Inference

    /// Outputs without dropout, batch-major: classifier (B, C) probabilities, regressor (B, O)
    /// values, lm (B, T, V) next-token probabilities.
    public func predict(_ inputs: Batch.Inputs, count b: Int, steps t: Int, initialState: [LayerState]? = nil) -> [Float] {
        let out = run(inputs, count: b, steps: t, training: false, initialState: initialState)
        let width = spec.output.size
        switch spec.output {
        case .regressor:
            return Array(UnsafeBufferPointer(start: out, count: b * width))
        case .classifier:
            var p = [Float](repeating: 0, count: b * width)
            p.withUnsafeMutableBufferPointer { dst in
                for s in 0..<b { SoftmaxCrossEntropy.softmax(out + s * width, into: dst.baseAddress! + s * width, width) }
            }
            return p
        case .lm:
            var p = [Float](repeating: 0, count: b * t * width)
            p.withUnsafeMutableBufferPointer { dst in
                for s in 0..<b {
                    for step in 0..<t {
                        SoftmaxCrossEntropy.softmax(out + (step * b + s) * width,
                                                    into: dst.baseAddress! + (s * t + step) * width, width)
                    }
                }
            }
            return p
        }
    }

    /// Per recurrent layer, the state after the last step of the last forward (to carry into the
    /// next chunk of a stream; gradients never flow through it).
    public func finalState() -> [LayerState] {
        recurrent.map { $0.finalState() }
    }
}
