/// An Elman RNN layer: h' = act(W_ih x + b_ih + W_hh h + b_hh), act = tanh or relu.
final class RNNLayer: RecurrentLayer {
    /// True for relu, false for tanh.
    let relu: Bool
    /// (T, B, H): gradient of the pre-activations.
    private let dA = Tensor()

    init(index: Int, inputSize: Int, hidden: Int, relu: Bool, random: inout SeededRandom, suffix: String = "") {
        self.relu = relu
        super.init(index: index, inputSize: inputSize, hidden: hidden, gates: 1, random: &random, suffix: suffix)
    }

    override func forward(_ x: UnsafePointer<Float>, steps: Int, batch: Int, initial: LayerState?) {
        begin(x, steps: steps, batch: batch, initial: initial)
        let h = hidden, bh = batch * hidden
        // a = W_ih x + b_ih + b_hh for every step at once, written straight into the output slots
        projectInput(into: hs.data + bh, bias: .both)
        let whh = weightHH.storage.data
        for t in 0..<steps {
            let a = hs.data + (t + 1) * bh
            // a += W_hh h_{t−1}    (B, H) × (H, H)
            BLAS.gemm(false, true, batch, h, h, 1, hs.data + t * bh, h, whh, h, 1, a, h)
            // h_t = act(a)
            if relu { VectorMath.relu(a, bh) } else { VectorMath.tanh(a, bh) }
        }
    }

    override func backward(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        let h = hidden, bh = batch * hidden
        dA.resize(steps * bh)
        dh.resize(bh, zero: true)
        let whh = weightHH.storage.data
        for t in stride(from: steps - 1, through: 0, by: -1) {
            VectorMath.add(dOut + t * bh, into: dh.data, bh)
            let y = hs.data + (t + 1) * bh, d = dA.data + t * bh
            // da = dh ⊙ act'(a): tanh' = 1 − h², relu' = [h > 0]
            for j in 0..<bh {
                d[j] = relu ? (y[j] > 0 ? dh.data[j] : 0) : dh.data[j] * (1 - y[j] * y[j])
            }
            // dh_{t−1} = da · W_hh      (B, H) × (H, H)
            BLAS.gemm(false, false, batch, h, h, 1, d, h, whh, h, 0, dh.data, h)
        }
        accumulateWeightGradients(dGx: dA.data, dGh: dA.data, dInput: dInput)
    }
}
