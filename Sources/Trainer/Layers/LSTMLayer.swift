/// An LSTM layer with PyTorch's gate order (i, f, g, o) and two bias vectors.
///
/// The forget-gate block of `bias_ih` starts at 1 (and of `bias_hh` at 0) so that early in
/// training the cell remembers by default.
final class LSTMLayer: RecurrentLayer {
    /// (T, B, 4H): pre-activations, then the activated gates i, f, g, o.
    private let gateCache = Tensor()
    /// (T + 1, B, H): slot 0 the initial cell state, slot t + 1 the cell after step t.
    private let cs = Tensor()
    /// (T, B, H): tanh(c_t).
    private let tanhC = Tensor()
    /// (T, B, 4H): gradient of the pre-activations.
    private let dGates = Tensor()
    /// (B, H): gradient flowing back into c.
    private let dc = Tensor()

    init(index: Int, inputSize: Int, hidden: Int, random: inout SeededRandom) {
        super.init(index: index, inputSize: inputSize, hidden: hidden, gates: 4, random: &random)
        for j in hidden..<(2 * hidden) {
            biasIH.storage[j] = 1
            biasHH.storage[j] = 0
        }
    }

    override func finalState() -> LayerState {
        var s = super.finalState()
        let bh = batch * hidden
        s.c = Array(UnsafeBufferPointer(start: cs.data + steps * bh, count: bh))
        return s
    }

    override func forward(_ x: UnsafePointer<Float>, steps: Int, batch: Int, initial: LayerState?) {
        begin(x, steps: steps, batch: batch, initial: initial)
        let h = hidden, g4 = 4 * hidden, bh = batch * hidden
        gateCache.resize(steps * batch * g4)
        cs.resize((steps + 1) * bh)
        tanhC.resize(steps * bh)
        if let c0 = initial?.c, !c0.isEmpty {
            precondition(c0.count == bh, "initial cell state: \(c0.count) values for \(batch)×\(hidden)")
            c0.withUnsafeBufferPointer { cs.data.update(from: $0.baseAddress!, count: bh) }
        } else {
            cs.data.update(repeating: 0, count: bh)
        }
        // a = W_ih x + b_ih + b_hh for every step at once
        projectInput(into: gateCache.data, withHiddenBias: true)
        let whh = weightHH.storage.data
        for t in 0..<steps {
            let a = gateCache.data + t * batch * g4
            // a += W_hh h_{t−1}      (B, H) × (H, 4H)
            BLAS.gemm(false, true, batch, g4, h, 1, hs.data + t * bh, h, whh, h, 1, a, g4)
            let cPrev = cs.data + t * bh, cNext = cs.data + (t + 1) * bh
            let hNext = hs.data + (t + 1) * bh, tc = tanhC.data + t * bh
            for b in 0..<batch {
                let row = a + b * g4
                // i = σ(a_i), f = σ(a_f)
                VectorMath.sigmoid(row, 2 * h)
                // g = tanh(a_g)
                VectorMath.tanh(row + 2 * h, h)
                // o = σ(a_o)
                VectorMath.sigmoid(row + 3 * h, h)
                LSTMLayer.cellUpdate(gates: row, hidden: h, cPrev: cPrev + b * h, cNext: cNext + b * h,
                                     tanhC: tc + b * h, hNext: hNext + b * h)
            }
        }
    }

    /// c' = f ⊙ c + i ⊙ g ;  h' = o ⊙ tanh(c')  for one sequence.
    @inline(__always)
    private static func cellUpdate(gates: UnsafePointer<Float>, hidden h: Int, cPrev: UnsafePointer<Float>,
                                   cNext: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>,
                                   hNext: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h {
            let i = M.load(gates + j), f = M.load(gates + h + j)
            let g = M.load(gates + 2 * h + j), o = M.load(gates + 3 * h + j)
            let c = f * M.load(cPrev + j) + i * g
            let tc = M.tanh(c)
            M.store(c, cNext + j)
            M.store(tc, tanhC + j)
            M.store(o * tc, hNext + j)
            j += 8
        }
        while j < h {
            let c = gates[h + j] * cPrev[j] + gates[j] * gates[2 * h + j]
            let tc = M.scalar(M.tanh, c)
            cNext[j] = c
            tanhC[j] = tc
            hNext[j] = gates[3 * h + j] * tc
            j += 1
        }
    }

    override func backward(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        let h = hidden, g4 = 4 * hidden, bh = batch * hidden
        dGates.resize(steps * batch * g4)
        dh.resize(bh, zero: true)
        dc.resize(bh, zero: true)
        let whh = weightHH.storage.data
        for t in stride(from: steps - 1, through: 0, by: -1) {
            // dh_t = dL/dh_t from above + from step t + 1
            VectorMath.add(dOut + t * bh, into: dh.data, bh)
            let gatesT = gateCache.data + t * batch * g4, dG = dGates.data + t * batch * g4
            for b in 0..<batch {
                LSTMLayer.cellBackward(gates: gatesT + b * g4, hidden: h, cPrev: cs.data + t * bh + b * h,
                                       tanhC: tanhC.data + t * bh + b * h, dh: dh.data + b * h,
                                       dc: dc.data + b * h, dGates: dG + b * g4)
            }
            // dh_{t−1} = dA_t · W_hh      (B, 4H) × (4H, H)
            BLAS.gemm(false, false, batch, h, g4, 1, dG, g4, whh, h, 0, dh.data, h)
        }
        accumulateWeightGradients(dGx: dGates.data, dGh: dGates.data, dInput: dInput)
    }

    /// One sequence, one step back:
    /// do = dh ⊙ tanh c ; dc += dh ⊙ o ⊙ (1 − tanh² c) ; di = dc ⊙ g ; dg = dc ⊙ i ; df = dc ⊙ c_{t−1};
    /// pre-activations: da_i = di·i(1−i), da_f = df·f(1−f), da_g = dg·(1−g²), da_o = do·o(1−o);
    /// dc_{t−1} = dc ⊙ f.
    @inline(__always)
    private static func cellBackward(gates: UnsafePointer<Float>, hidden h: Int, cPrev: UnsafePointer<Float>,
                                     tanhC: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                                     dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h {
            let i = M.load(gates + j), f = M.load(gates + h + j)
            let g = M.load(gates + 2 * h + j), o = M.load(gates + 3 * h + j)
            let tc = M.load(tanhC + j), dhv = M.load(dh + j)
            let dcv = M.load(dc + j) + dhv * o * (1 - tc * tc)
            M.store(dcv * g * i * (1 - i), dGates + j)
            M.store(dcv * M.load(cPrev + j) * f * (1 - f), dGates + h + j)
            M.store(dcv * i * (1 - g * g), dGates + 2 * h + j)
            M.store(dhv * tc * o * (1 - o), dGates + 3 * h + j)
            M.store(dcv * f, dc + j)
            j += 8
        }
        while j < h {
            let i = gates[j], f = gates[h + j], g = gates[2 * h + j], o = gates[3 * h + j]
            let tc = tanhC[j], dhv = dh[j]
            let dcv = dc[j] + dhv * o * (1 - tc * tc)
            dGates[j] = dcv * g * i * (1 - i)
            dGates[h + j] = dcv * cPrev[j] * f * (1 - f)
            dGates[2 * h + j] = dcv * i * (1 - g * g)
            dGates[3 * h + j] = dhv * tc * o * (1 - o)
            dc[j] = dcv * f
            j += 1
        }
    }
}
