/// A recurrent network built from a `ModelSpec`: optional embedding, a stack of LSTM/GRU/RNN
/// layers with dropout after each, and a dense head with its loss.
///
/// Batches come in batch-major (see `Batch`) and are turned time-major once: (T, B, F). A
/// classifier or regressor reads the last layer's output at the last step; an lm emits logits
/// at every step. `forward` keeps every cache that `backward` needs; `backward` *accumulates*
/// into `Parameter.grad` (call `zeroGradients()` first, or use `trainStep`).
public final class SequenceModel: @unchecked Sendable {
    public let spec: ModelSpec
    /// Every trainable tensor in FORMAT.md layer order (embedding, recurrent layers, head);
    /// within a recurrent layer weight_ih, weight_hh, bias_ih, bias_hh; the head weight, bias.
    public let parameters: [Parameter]
    /// The dropout masks' generator; part of `TrainingState` so a resumed run draws the same masks.
    public var dropoutRandom: SeededRandom

    let embedding: EmbeddingLayer?
    let recurrent: [RecurrentLayer]
    let dropouts: [Dropout]
    let head: DenseLayer

    /// (T, B, F) time-major frames of the last forward.
    private let input = Tensor()
    /// (B, H) the last step of the top layer (classifier, regressor).
    private let lastStep = Tensor()
    /// (N, C) softmax of the head (classifier, lm), N = B or T·B.
    private let probabilities = Tensor()
    /// (N, O) dL/d(head output).
    private let dHead = Tensor()
    /// Per recurrent layer k: (T, B, H_k) dL/d(output of layer k).
    private let dOutputs: [Tensor]
    /// (T, B, I_0) dL/d(input of layer 0) for the embedding.
    private let dEmbedded = Tensor()
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
        var inputSize = spec.firstLayerInput
        for (k, l) in spec.layers.enumerated() {
            let index = spec.recurrentIndex(k)
            let layer: RecurrentLayer
            switch l.cell {
            case .lstm: layer = LSTMLayer(index: index, inputSize: inputSize, hidden: l.hidden, random: &random)
            case .gru: layer = GRULayer(index: index, inputSize: inputSize, hidden: l.hidden, random: &random)
            case .rnnTanh: layer = RNNLayer(index: index, inputSize: inputSize, hidden: l.hidden, relu: false, random: &random)
            case .rnnRelu: layer = RNNLayer(index: index, inputSize: inputSize, hidden: l.hidden, relu: true, random: &random)
            }
            parameters += layer.parameters
            layers.append(layer)
            inputSize = l.hidden
        }
        recurrent = layers
        head = DenseLayer(index: spec.headIndex, inputSize: inputSize, outputSize: spec.output.size,
                          activation: .none, random: &random)
        parameters += head.parameters
        self.parameters = parameters
        dropouts = spec.layers.map { _ in Dropout(probability: spec.dropout) }
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
        }
        for (k, layer) in recurrent.enumerated() {
            layer.forward(x, steps: t, batch: b, initial: initialState?[k])
            x = UnsafePointer(layer.output)
            if training && spec.dropout > 0 {
                dropouts[k].forward(x, count: t * b * layer.hidden, random: &dropoutRandom)
                x = UnsafePointer(dropouts[k].output.data)
            }
        }
        let top = recurrent[recurrent.count - 1].hidden
        if case .lm = spec.output {
            head.forward(x, rows: t * b)
        } else {
            lastStep.resize(b * top)
            lastStep.data.update(from: x + (t - 1) * b * top, count: b * top)
            head.forward(lastStep.data, rows: b)
        }
        return head.output.data
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
        dTop.resize(t * b * recurrent[last].hidden, zero: true)
        if case .lm = spec.output {
            head.backward(dHead.data, dInput: dTop.data)
        } else {
            head.backward(dHead.data, dInput: dTop.data + (t - 1) * b * recurrent[last].hidden)
        }
        for k in stride(from: last, through: 0, by: -1) {
            let layer = recurrent[k]
            let dOut = dOutputs[k]
            if spec.dropout > 0 { dropouts[k].backward(dOut.data, count: t * b * layer.hidden) }
            var dBelow: UnsafeMutablePointer<Float>? = nil
            if k > 0 {
                dOutputs[k - 1].resize(t * b * layer.inputSize, zero: true)
                dBelow = dOutputs[k - 1].data
            } else if embedding != nil {
                dEmbedded.resize(t * b * layer.inputSize, zero: true)
                dBelow = dEmbedded.data
            }
            layer.backward(dOut.data, dInput: dBelow)
        }
        embedding?.backward(dEmbedded.data)
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
