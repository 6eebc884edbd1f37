/// One direction of an LSTM, GRU or RNN layer that can also run one timestep at a time, with a
/// gradient into its initial state and into its final state of each sequence.
///
/// Seq2seq needs what the whole-sequence layers leave out: the decoder with input feeding feeds
/// step t's output back into step t + 1's input, the `copy` bridge passes gradients from the
/// decoder's initial state into the encoder's final state (which is at a different step for each
/// sequence: after its own last real token), and beam search reorders states between steps.
/// The cell kernels and the big weight-gradient GEMMs are the shared ones (`LSTMLayer`,
/// `GRULayer`, `RecurrentLayer`). Time-major buffers: x (T, B, I), states (T + 1, B, H).
final class StepRecurrentLayer: RecurrentLayer {
    let cell: ModelSpec.Cell
    /// (T, B, I) inputs of the current forward (copied in, so per-step callers need no buffer).
    let inputs = Tensor()
    /// (T, B, G·H) input-side pre-activations, then the activated gates (LSTM, GRU) — RNN: unused.
    private let gateCache = Tensor()
    /// (T, B, G·H) GRU: W_hh h_{t−1} + b_hh.
    private let hiddenCache = Tensor()
    /// (T + 1, B, H) LSTM cell states; slot 0 the initial one.
    private let cs = Tensor()
    /// (T, B, H) LSTM tanh(c_t).
    private let tanhC = Tensor()
    /// (T, B, G·H) gradient of the input-side pre-activations.
    private let dGx = Tensor()
    /// (T, B, G·H) gradient of the hidden-side pre-activations (GRU only; else dGx).
    private let dGh = Tensor()
    /// (B, H) LSTM gradient flowing back into c.
    let dc = Tensor()
    /// (G·H) LSTM: b_ih + b_hh in forward, Σ gate gradients in backward.
    private let biasSum = Tensor()

    init(cell: ModelSpec.Cell, inputSize: Int, hidden: Int, prefix: String, suffix: String = "",
         random: inout SeededRandom) {
        self.cell = cell
        super.init(index: 0, inputSize: inputSize, hidden: hidden, gates: cell.gates, random: &random,
                   prefix: prefix, suffix: suffix)
        if cell == .lstm {
            // As LSTMLayer: forget-gate block of b_ih at 1, of b_hh at 0.
            for j in hidden..<(2 * hidden) {
                biasIH.storage[j] = 1
                biasHH.storage[j] = 0
            }
        }
    }

    // MARK: Forward

    /// Sizes the caches for `steps` steps of `batch` sequences and sets the initial state
    /// (h, c of (B, H) each; nil = zeros; c is ignored by GRU and RNN).
    func start(steps: Int, batch: Int, initialH: UnsafePointer<Float>?, initialC: UnsafePointer<Float>?) {
        let gh = gates * hidden, bh = batch * hidden
        inputs.resize(steps * batch * inputSize)
        begin(UnsafePointer(inputs.data), steps: steps, batch: batch, initial: nil)
        if let initialH { hs.data.update(from: initialH, count: bh) }
        gateCache.resize(steps * batch * gh)
        if cell == .gru { hiddenCache.resize(steps * batch * gh) }
        if cell == .lstm {
            cs.resize((steps + 1) * bh)
            tanhC.resize(steps * bh)
            if let initialC { cs.data.update(from: initialC, count: bh) } else { cs.data.update(repeating: 0, count: bh) }
            biasSum.resize(gh)
            biasSum.data.update(from: biasIH.storage.data, count: gh)
            VectorMath.add(biasHH.storage.data, into: biasSum.data, gh)
        }
    }

    /// The pre-activation rows of steps [first, first + count) receive W_ih x (+ the biases the cell wants there).
    private func project(first: Int, count: Int) {
        let gh = gates * hidden, rows = count * batch
        let x = inputs.data + first * batch * inputSize
        let out = cell.gates == 1 ? hs.data + (first + 1) * batch * hidden : gateCache.data + first * batch * gh
        // out (rows, G·H) = X · W_ihᵀ
        BLAS.gemm(false, true, rows, gh, inputSize, 1, x, inputSize, weightIH.storage.data, inputSize, 0, out, gh)
        switch cell {
        case .lstm: break
        case .gru: VectorMath.addRow(biasIH.storage.data, to: out, rows: rows, gh)
        case .rnnTanh, .rnnRelu:
            VectorMath.addRow(biasIH.storage.data, to: out, rows: rows, gh)
            VectorMath.addRow(biasHH.storage.data, to: out, rows: rows, gh)
        }
    }

    /// Copies x (T, B, I) in and projects every step at once (one GEMM); then call `step` per t.
    func setInputs(_ x: UnsafePointer<Float>) {
        inputs.data.update(from: x, count: steps * batch * inputSize)
        project(first: 0, count: steps)
    }

    /// Copies x_t (B, I) in and projects step t alone.
    func setInput(_ t: Int, _ x: UnsafePointer<Float>) {
        (inputs.data + t * batch * inputSize).update(from: x, count: batch * inputSize)
        project(first: t, count: 1)
    }

    /// (B, I) the input slot of step t, for callers that assemble x_t in place before `projectInput(t)`.
    func inputSlot(_ t: Int) -> UnsafeMutablePointer<Float> { inputs.data + t * batch * inputSize }

    /// Projects step t's input after the caller wrote it into `inputSlot(t)`.
    func projectInput(_ t: Int) { project(first: t, count: 1) }

    /// (B, H) the output h_t of step t (state slot t + 1).
    func output(_ t: Int) -> UnsafeMutablePointer<Float> { hs.data + (t + 1) * batch * hidden }

    /// (B, H) the LSTM cell state after step t.
    func cellState(_ t: Int) -> UnsafeMutablePointer<Float> { cs.data + (t + 1) * batch * hidden }

    /// Runs step t (its input already projected): h_t from h_{t−1}.
    func step(_ t: Int) {
        let h = hidden, gh = gates * hidden, bh = batch * hidden
        let hPrev = hs.data + t * bh, hNext = hs.data + (t + 1) * bh
        switch cell {
        case .lstm:
            let a = gateCache.data + t * batch * gh
            // a += h_{t−1} · W_hhᵀ      (B, H) × (H, 4H)
            BLAS.gemm(false, true, batch, gh, h, 1, hPrev, h, weightHH.storage.data, h, 1, a, gh)
            let cPrev = cs.data + t * bh, cNext = cs.data + (t + 1) * bh, tc = tanhC.data + t * bh
            for b in 0..<batch {
                LSTMLayer.cellForward(gates: a + b * gh, bias: biasSum.data, hidden: h, cPrev: cPrev + b * h,
                                      cNext: cNext + b * h, tanhC: tc + b * h, hNext: hNext + b * h)
            }
        case .gru:
            let u = gateCache.data + t * batch * gh, v = hiddenCache.data + t * batch * gh
            // v = W_hh h_{t−1} + b_hh      (B, H) × (H, 3H)
            for b in 0..<batch { (v + b * gh).update(from: biasHH.storage.data, count: gh) }
            BLAS.gemm(false, true, batch, gh, h, 1, hPrev, h, weightHH.storage.data, h, 1, v, gh)
            for b in 0..<batch {
                GRULayer.step(u: u + b * gh, v: v + b * gh, hidden: h, hPrev: hPrev + b * h, hNext: hNext + b * h)
            }
        case .rnnTanh, .rnnRelu:
            // a = W_ih x + b + W_hh h_{t−1} ; h_t = act(a)
            BLAS.gemm(false, true, batch, h, h, 1, hPrev, h, weightHH.storage.data, h, 1, hNext, h)
            if cell == .rnnRelu { VectorMath.relu(hNext, bh) } else { VectorMath.tanh(hNext, bh) }
        }
    }

    /// Beam search: state slot t + 1 (after step t) row b becomes the old row `parents[b]`.
    func reorder(after t: Int, parents: [Int]) {
        let h = hidden, bh = batch * hidden
        func permute(_ base: UnsafeMutablePointer<Float>) {
            let old = Array(UnsafeBufferPointer(start: base, count: bh))
            for (b, p) in parents.enumerated() {
                old.withUnsafeBufferPointer { (base + b * h).update(from: $0.baseAddress! + p * h, count: h) }
            }
        }
        permute(hs.data + (t + 1) * bh)
        if cell == .lstm { permute(cs.data + (t + 1) * bh) }
    }

    // MARK: Backward

    /// Zeroes the carried gradients; call before the first `backwardStep` (at t = T − 1).
    func startBackward() {
        let gh = gates * hidden, bh = batch * hidden
        dGx.resize(steps * batch * gh)
        if cell == .gru { dGh.resize(steps * batch * gh) }
        dh.resize(bh, zero: true)
        dc.resize(bh, zero: true)
        if cell == .lstm { biasSum.resize(gh, zero: true) }
    }

    /// Adds a gradient into this sequence's state after step t — before `backwardStep(t)`: the final
    /// state of sequence b (h and, for LSTM, c) when t is its last real step.
    func addStateGradient(row b: Int, h dH: UnsafePointer<Float>, c dC: UnsafePointer<Float>?) {
        VectorMath.add(dH, into: dh.data + b * hidden, hidden)
        if cell == .lstm, let dC { VectorMath.add(dC, into: dc.data + b * hidden, hidden) }
    }

    /// Step t backward: dL/dh_t = dOut (B, H) (may be nil) + the gradient carried from step t + 1;
    /// leaves the gate gradients of step t and carries dh (and dc) to step t − 1.
    func backwardStep(_ t: Int, _ dOut: UnsafePointer<Float>?) {
        let h = hidden, gh = gates * hidden, bh = batch * hidden
        if let dOut { VectorMath.add(dOut, into: dh.data, bh) }
        let off = t * batch * gh
        let whh = weightHH.storage.data
        switch cell {
        case .lstm:
            for b in 0..<batch {
                LSTMLayer.cellBackward(gates: gateCache.data + off + b * gh, hidden: h, cPrev: cs.data + t * bh + b * h,
                                       tanhC: tanhC.data + t * bh + b * h, dh: dh.data + b * h, dc: dc.data + b * h,
                                       dGates: dGx.data + off + b * gh, dBias: biasSum.data)
            }
            // dh_{t−1} = dA_t · W_hh      (B, 4H) × (4H, H)
            BLAS.gemm(false, false, batch, h, gh, 1, dGx.data + off, gh, whh, h, 0, dh.data, h)
        case .gru:
            for b in 0..<batch {
                GRULayer.stepBackward(gates: gateCache.data + off + b * gh, v: hiddenCache.data + off + b * gh,
                                      hidden: h, hPrev: hs.data + t * bh + b * h, dh: dh.data + b * h,
                                      dGx: dGx.data + off + b * gh, dGh: dGh.data + off + b * gh)
            }
            // dh_{t−1} = dh ⊙ z (in stepBackward) + dV_t · W_hh
            BLAS.gemm(false, false, batch, h, gh, 1, dGh.data + off, gh, whh, h, 1, dh.data, h)
        case .rnnTanh, .rnnRelu:
            let y = hs.data + (t + 1) * bh, d = dGx.data + off
            // da = dh ⊙ act'(a): tanh' = 1 − h², relu' = [h > 0]
            for j in 0..<bh {
                d[j] = cell == .rnnRelu ? (y[j] > 0 ? dh.data[j] : 0) : dh.data[j] * (1 - y[j] * y[j])
            }
            BLAS.gemm(false, false, batch, h, h, 1, d, h, whh, h, 0, dh.data, h)
        }
    }

    /// dx_t (B, I) += dA_t · W_ih for step t (after `backwardStep(t)`).
    func inputGradient(_ t: Int, into dx: UnsafeMutablePointer<Float>) {
        let gh = gates * hidden
        BLAS.gemm(false, false, batch, inputSize, gh, 1, dGx.data + t * batch * gh, gh,
                  weightIH.storage.data, inputSize, 1, dx, inputSize)
    }

    /// After `backwardStep(0)`: weight and bias gradients of all steps (GEMMs), and dX (T, B, I)
    /// += dA · W_ih when given. The gradient into the initial state is then in `dh` (and `dc`).
    func finishBackward(dInput: UnsafeMutablePointer<Float>?) {
        switch cell {
        case .lstm: accumulateWeightGradients(dGx: dGx.data, dGh: dGx.data, biasSum: biasSum.data, dInput: dInput)
        case .gru: accumulateWeightGradients(dGx: dGx.data, dGh: dGh.data, dInput: dInput)
        case .rnnTanh, .rnnRelu: accumulateWeightGradients(dGx: dGx.data, dGh: dGx.data, dInput: dInput)
        }
    }
}
