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
    /// (4H): forward, b_ih + b_hh; backward, Σ over rows of the gate gradients.
    private let bias = Tensor()

    init(index: Int, inputSize: Int, hidden: Int, random: inout SeededRandom, suffix: String = "") {
        super.init(index: index, inputSize: inputSize, hidden: hidden, gates: 4, random: &random, suffix: suffix)
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
        // a = W_ih x for every step at once; the biases join in the step kernel
        projectInput(into: gateCache.data, bias: .none)
        // b = b_ih + b_hh      (4H)
        bias.resize(g4)
        bias.data.update(from: biasIH.storage.data, count: g4)
        VectorMath.add(biasHH.storage.data, into: bias.data, g4)
        // Buffers as local pointers: no class-property access (and exclusivity check) in the loops.
        let whh = weightHH.storage.data, gateBase = gateCache.data, bsum = bias.data
        let hsBase = hs.data, csBase = cs.data, tanhBase = tanhC.data
        for t in 0..<steps {
            let a = gateBase + t * batch * g4
            // a += h_{t−1} · W_hhᵀ      (B, H) × (H, 4H)
            BLAS.gemm(false, true, batch, g4, h, 1, hsBase + t * bh, h, whh, h, 1, a, g4)
            let cPrev = csBase + t * bh, cNext = csBase + (t + 1) * bh
            let hNext = hsBase + (t + 1) * bh, tc = tanhBase + t * bh
            for b in 0..<batch {
                LSTMLayer.cellForward(gates: a + b * g4, bias: bsum, hidden: h, cPrev: cPrev + b * h,
                                      cNext: cNext + b * h, tanhC: tc + b * h, hNext: hNext + b * h)
            }
        }
    }

    /// One sequence, one step, in one pass over the row (overwrites the pre-activations with the gates):
    /// i = σ(a_i + b_i) ; f = σ(a_f + b_f) ; g = tanh(a_g + b_g) ; o = σ(a_o + b_o) ;
    /// c' = f ⊙ c + i ⊙ g ;  h' = o ⊙ tanh(c').
    @inline(__always)
    static func cellForward(gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden h: Int,
                                    cPrev: UnsafePointer<Float>, cNext: UnsafeMutablePointer<Float>,
                                    tanhC: UnsafeMutablePointer<Float>, hNext: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h {
            let i = M.sigmoid(M.load(gates + j) + M.load(bias + j))
            let f = M.sigmoid(M.load(gates + h + j) + M.load(bias + h + j))
            let g = M.tanh(M.load(gates + 2 * h + j) + M.load(bias + 2 * h + j))
            let o = M.sigmoid(M.load(gates + 3 * h + j) + M.load(bias + 3 * h + j))
            M.store(i, gates + j); M.store(f, gates + h + j); M.store(g, gates + 2 * h + j); M.store(o, gates + 3 * h + j)
            let c = f * M.load(cPrev + j) + i * g
            let tc = M.tanh(c)
            M.store(c, cNext + j)
            M.store(tc, tanhC + j)
            M.store(o * tc, hNext + j)
            j += 8
        }
        while j < h {
            let i = M.scalar(M.sigmoid, gates[j] + bias[j])
            let f = M.scalar(M.sigmoid, gates[h + j] + bias[h + j])
            let g = M.scalar(M.tanh, gates[2 * h + j] + bias[2 * h + j])
            let o = M.scalar(M.sigmoid, gates[3 * h + j] + bias[3 * h + j])
            gates[j] = i; gates[h + j] = f; gates[2 * h + j] = g; gates[3 * h + j] = o
            let c = f * cPrev[j] + i * g
            let tc = M.scalar(M.tanh, c)
            cNext[j] = c
            tanhC[j] = tc
            hNext[j] = o * tc
            j += 1
        }
    }

    override func backward(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        let h = hidden, g4 = 4 * hidden, bh = batch * hidden
        dGates.resize(steps * batch * g4)
        dh.resize(bh, zero: true)
        dc.resize(bh, zero: true)
        bias.resize(g4, zero: true)
        let whh = weightHH.storage.data, gateBase = gateCache.data, dGBase = dGates.data
        let csBase = cs.data, tanhBase = tanhC.data, dhp = dh.data, dcp = dc.data, dBias = bias.data
        for t in stride(from: steps - 1, through: 0, by: -1) {
            // dh_t = dL/dh_t from above + from step t + 1
            VectorMath.add(dOut + t * bh, into: dhp, bh)
            let gatesT = gateBase + t * batch * g4, dG = dGBase + t * batch * g4
            for b in 0..<batch {
                LSTMLayer.cellBackward(gates: gatesT + b * g4, hidden: h, cPrev: csBase + t * bh + b * h,
                                       tanhC: tanhBase + t * bh + b * h, dh: dhp + b * h,
                                       dc: dcp + b * h, dGates: dG + b * g4, dBias: dBias)
            }
            // dh_{t−1} = dA_t · W_hh      (B, 4H) × (4H, H)
            BLAS.gemm(false, false, batch, h, g4, 1, dG, g4, whh, h, 0, dhp, h)
        }
        accumulateWeightGradients(dGx: dGates.data, dGh: dGates.data, biasSum: bias.data, dInput: dInput)
    }

    /// One sequence, one step back:
    /// do = dh ⊙ tanh c ; dc += dh ⊙ o ⊙ (1 − tanh² c) ; di = dc ⊙ g ; dg = dc ⊙ i ; df = dc ⊙ c_{t−1};
    /// pre-activations: da_i = di·i(1−i), da_f = df·f(1−f), da_g = dg·(1−g²), da_o = do·o(1−o);
    /// dc_{t−1} = dc ⊙ f ; dBias += the four da (the bias gradient, summed while the row is hot).
    @inline(__always)
    static func cellBackward(gates: UnsafePointer<Float>, hidden h: Int, cPrev: UnsafePointer<Float>,
                                     tanhC: UnsafePointer<Float>, dh: UnsafePointer<Float>,
                                     dc: UnsafeMutablePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                                     dBias: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h {
            let i = M.load(gates + j), f = M.load(gates + h + j)
            let g = M.load(gates + 2 * h + j), o = M.load(gates + 3 * h + j)
            let tc = M.load(tanhC + j), dhv = M.load(dh + j)
            let dcv = M.load(dc + j) + dhv * o * (1 - tc * tc)
            let dai = dcv * g * i * (1 - i)
            let daf = dcv * M.load(cPrev + j) * f * (1 - f)
            let dag = dcv * i * (1 - g * g)
            let dao = dhv * tc * o * (1 - o)
            M.store(dai, dGates + j); M.store(daf, dGates + h + j)
            M.store(dag, dGates + 2 * h + j); M.store(dao, dGates + 3 * h + j)
            M.store(M.load(dBias + j) + dai, dBias + j)
            M.store(M.load(dBias + h + j) + daf, dBias + h + j)
            M.store(M.load(dBias + 2 * h + j) + dag, dBias + 2 * h + j)
            M.store(M.load(dBias + 3 * h + j) + dao, dBias + 3 * h + j)
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
            for k in 0..<4 { dBias[k * h + j] += dGates[k * h + j] }
            dc[j] = dcv * f
            j += 1
        }
    }
}
