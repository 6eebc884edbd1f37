/// Adam, and AdamW (decoupled weight decay) when `decoupledWeightDecay` is set.
///
/// m = β1 m + (1 − β1) g ; v = β2 v + (1 − β2) g² ;
/// θ −= lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
/// Weight decay λ: Adam adds λθ to g (L2); AdamW does θ −= lr · λ · θ before the update.
public struct Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public var decoupledWeightDecay: Bool
    private var steps = 0
    private var first = OptimizerBuffers()
    private var second = OptimizerBuffers()

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW with PyTorch's default decay 0.01.
    public static func adamW(learningRate: Float = 1e-3, weightDecay: Float = 0.01) -> Adam {
        Adam(learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    private var kind: String { decoupledWeightDecay ? "adamw" : "adam" }

    public mutating func step(_ parameters: [Parameter]) {
        first.prepare(parameters)
        second.prepare(parameters)
        steps += 1
        let t = Double(steps)
        let c1 = Float(1 - Math.exp(t * Math.log(Double(beta1))))
        let c2 = Float(1 - Math.exp(t * Math.log(Double(beta2))))
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon
        let l2: Float = decoupledWeightDecay ? 0 : weightDecay
        let shrink: Float = decoupledWeightDecay ? 1 - lr * weightDecay : 1
        typealias M = VectorMath
        for (k, p) in parameters.enumerated() {
            let theta = p.storage.data, g = p.gradient.data
            let m = first.tensors[k].data, v = second.tensors[k].data
            let n = p.count
            var j = 0
            while j + 8 <= n {
                let th = M.load(theta + j) * shrink
                let gj = M.load(g + j) + l2 * th
                let mj = b1 * M.load(m + j) + (1 - b1) * gj
                let vj = b2 * M.load(v + j) + (1 - b2) * (gj * gj)
                M.store(mj, m + j)
                M.store(vj, v + j)
                M.store(th - lr * (mj / c1) / ((vj / c2).squareRoot() + eps), theta + j)
                j += 8
            }
            while j < n {
                let th = theta[j] * shrink
                let gj = g[j] + l2 * th
                m[j] = b1 * m[j] + (1 - b1) * gj
                v[j] = b2 * v[j] + (1 - b2) * (gj * gj)
                theta[j] = th - lr * (m[j] / c1) / ((v[j] / c2).squareRoot() + eps)
                j += 1
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(kind: kind, steps: steps, buffers: [first.export([]), second.export([])])
    }

    public mutating func restore(_ state: OptimizerState, parameters: [Parameter]) throws(TrainerError) {
        if state.steps == 0 && state.buffers.allSatisfy({ $0.isEmpty }) {
            steps = 0
            first = OptimizerBuffers()
            second = OptimizerBuffers()
            return
        }
        try state.check(kind: kind, sets: 2, parameters: parameters)
        steps = state.steps
        first.load(state.buffers[0])
        second.load(state.buffers[1])
    }
}
