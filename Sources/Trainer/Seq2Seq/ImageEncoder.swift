/// The image side of an image → text model: convolutions, ReLUs and max-pooling run in order over
/// a batch of NHWC images (see `ImageEncoderSpec`).
///
/// The last layer's output (B, OH, OW, F) is, as it lies in memory, the attention memory
/// (B, S = OH·OW, E = F): row j of image b is pixel (j / OW, j % OW). Every image has the same
/// length S, so there is nothing to mask. Backward takes dL/dmemory and runs the layers in reverse;
/// the first convolution is not asked for an input gradient (pixels are not trained).
final class ImageEncoder {
    /// One layer with what it needs at run time.
    private enum Stage {
        case conv(Conv2DLayer)
        case relu(ReLULayer)
        case pool(MaxPoolLayer)

        /// (B, OH, OW, C) its output of the last forward.
        var output: Tensor {
            switch self {
            case .conv(let layer): layer.output
            case .relu(let layer): layer.output
            case .pool(let layer): layer.output
            }
        }
    }

    let spec: ImageEncoderSpec
    /// OH × OW × F of one image's memory.
    let outputShape: ImageShape
    private let stages: [Stage]
    /// Per layer: the shape of one image it reads.
    private let inputShapes: [ImageShape]
    /// Per layer k ≥ 1: (B, H_k, W_k, C_k) dL/d(its input) in backward (layer 0 gets none).
    private let dInputs: [Tensor]
    private var batch = 0

    /// Builds the layers (`enc.{i}.weight`/`.bias` for a convolution at index i), initialised from
    /// `random` in layer order.
    ///
    /// - Throws: `TrainerError.invalidSpec` when the spec is not valid (`ImageEncoderSpec.validate`).
    init(spec: ImageEncoderSpec, random: inout SeededRandom) throws(TrainerError) {
        try spec.validate()
        self.spec = spec
        var shape = spec.input, stages: [Stage] = [], inputs: [ImageShape] = []
        for (i, layer) in spec.layers.enumerated() {
            inputs.append(shape)
            switch layer {
            case .conv2d(let filters, let window):
                let conv = try Conv2DLayer(index: i, input: shape, filters: filters, window: window, random: &random)
                stages.append(.conv(conv))
                shape = conv.outputShape
            case .relu:
                stages.append(.relu(ReLULayer()))
            case .maxpool(let window):
                let pool = try MaxPoolLayer(index: i, input: shape, window: window)
                stages.append(.pool(pool))
                shape = pool.outputShape
            }
        }
        self.stages = stages
        inputShapes = inputs
        outputShape = shape
        dInputs = stages.map { _ in Tensor() }
    }

    /// Every convolution's weight and bias, in layer order.
    var parameters: [Parameter] {
        stages.flatMap { stage -> [Parameter] in
            if case .conv(let layer) = stage { return layer.parameters }
            return []
        }
    }

    /// S = OH · OW.
    var memoryRows: Int { outputShape.pixels }

    /// (B, S, F) the memory of the last forward.
    var memory: UnsafeMutablePointer<Float> { stages[stages.count - 1].output.data }

    /// Runs the layers over `images` (B, H, W, C); the result is `memory`.
    func forward(_ images: UnsafePointer<Float>, batch b: Int) {
        batch = b
        var x = images
        for (k, stage) in stages.enumerated() {
            switch stage {
            case .conv(let layer): layer.forward(x, batch: b)
            case .relu(let layer): layer.forward(x, count: b * inputShapes[k].count)
            case .pool(let layer): layer.forward(x, batch: b)
            }
            x = UnsafePointer(stage.output.data)
        }
    }

    /// Backpropagates dL/dmemory (B, S, F) through every layer, accumulating the convolutions'
    /// gradients.
    func backward(dMemory: UnsafePointer<Float>) {
        var dOutput = dMemory
        for k in stride(from: stages.count - 1, through: 0, by: -1) {
            // dL/d(input of layer k), zeroed (the layers accumulate into it); none for the pixels
            var dInput: UnsafeMutablePointer<Float>? = nil
            if k > 0 {
                dInputs[k].resize(batch * inputShapes[k].count, zero: true)
                dInput = dInputs[k].data
            }
            switch stages[k] {
            case .conv(let layer): layer.backward(dOutput, dInput: dInput)
            case .relu(let layer): if let dInput { layer.backward(dOutput, dInput: dInput) }
            case .pool(let layer): if let dInput { layer.backward(dOutput, dInput: dInput) }
            }
            if let dInput { dOutput = UnsafePointer(dInput) }
        }
    }
}
