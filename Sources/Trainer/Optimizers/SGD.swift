/// Stochastic gradient descent with (PyTorch-style) momentum and optional L2 weight decay.
///
/// g ← g + λθ ; u = μ u + g ; θ −= lr · u   (μ = 0: plain SGD)
public struct SGD: Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    private var steps = 0
    private var velocity = OptimizerBuffers()

    public init(learningRate: Float = 0.01, momentum: Float = 0.9, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public mutating func step(_ parameters: [Parameter]) {
        velocity.prepare(parameters)
        steps += 1
        let lr = learningRate, mu = momentum, l2 = weightDecay
        for (k, p) in parameters.enumerated() {
            let theta = p.storage.data, g = p.gradient.data, u = velocity.tensors[k].data
            for j in 0..<p.count {
                let gj = g[j] + l2 * theta[j]
                u[j] = mu * u[j] + gj
                theta[j] -= lr * u[j]
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(kind: "sgd", steps: steps, buffers: [velocity.export([])])
    }

    public mutating func restore(_ state: OptimizerState, parameters: [Parameter]) throws(TrainerError) {
        if state.steps == 0 && state.buffers.allSatisfy({ $0.isEmpty }) {
            steps = 0
            velocity = OptimizerBuffers()
            return
        }
        try state.check(kind: "sgd", sets: 1, parameters: parameters)
        steps = state.steps
        velocity.load(state.buffers[0])
    }
}
