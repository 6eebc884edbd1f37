/// The LSTM cell, PyTorch's gate order (i, f, g, o) — the trainer's twin of the C core's lstm.c:
///
///     a  = (W_ih x + b_ih) + (W_hh h + b_hh)
///     i  = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
///     c' = (f ⊙ c) + (i ⊙ g)
///     h' = o ⊙ tanh(c')
///
/// and its gradient. `RecurrentLayer` owns the buffers and the time loop; these are one timestep
/// for B rows. The biases join in the row kernel (b = b_ih + b_hh, summed once per forward), and
/// their gradient is summed in the backward row kernel while the row is in cache.
enum LSTMCell {
    /// Step forward for B rows. On entry `a` (B, 4H) holds W_ih x_t; on exit the activated
    /// gates i, f, g, o (kept for backward).
    static func forward(a: UnsafeMutablePointer<Float>, recurrent: PackedMatrix, bias: UnsafePointer<Float>,
                        hPrev: UnsafePointer<Float>, hNext: UnsafeMutablePointer<Float>,
                        cPrev: UnsafePointer<Float>, cNext: UnsafeMutablePointer<Float>,
                        tanhC: UnsafeMutablePointer<Float>, batch: Int, hidden h: Int) {
        let g4 = 4 * h
        // a += h_{t−1} · W_hhᵀ      (B, H) × (H, 4H), `recurrent` = W_hhᵀ packed
        recurrent.multiply(hPrev, rows: batch, lda: h, into: a, ldc: g4, accumulate: true)
        for b in 0..<batch {
            forwardRow(gates: a + b * g4, bias: bias, hidden: h, cPrev: cPrev + b * h, cNext: cNext + b * h,
                       tanhC: tanhC + b * h, hNext: hNext + b * h)
        }
    }

    /// Step backward for B rows. `dh` (B, H) holds dL/dh_t on entry and dL/dh_{t−1} on exit,
    /// `dc` likewise for the cell; `dGates` (B, 4H) receives the pre-activation gradients, and
    /// `dBias` their sums, one 4H row per `biasRows` rows of the batch.
    static func backward(gates: UnsafePointer<Float>, recurrent: PackedMatrix, cPrev: UnsafePointer<Float>,
                         tanhC: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>,
                         dGates: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>, biasRows: Int,
                         batch: Int, hidden h: Int) {
        let g4 = 4 * h
        for b in 0..<batch {
            backwardRow(gates: gates + b * g4, hidden: h, cPrev: cPrev + b * h, tanhC: tanhC + b * h,
                        dh: dh + b * h, dc: dc + b * h, dGates: dGates + b * g4, dBias: dBias + (b / biasRows) * g4)
        }
        // dh_{t−1} = dA_t · W_hh      (B, 4H) × (4H, H), `recurrent` = W_hh packed
        recurrent.multiply(dGates, rows: batch, lda: g4, into: dh, ldc: h, accumulate: false)
    }

    /// One row, in one pass (overwrites the pre-activations with the gates):
    /// i = σ(a_i + b_i) ; f = σ(a_f + b_f) ; g = tanh(a_g + b_g) ; o = σ(a_o + b_o) ;
    /// c' = f ⊙ c + i ⊙ g ;  h' = o ⊙ tanh(c').
    @inline(__always)
    static func forwardRow(gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden h: Int,
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

    /// One row back:
    /// do = dh ⊙ tanh c ; dc += dh ⊙ o ⊙ (1 − tanh² c) ; di = dc ⊙ g ; dg = dc ⊙ i ; df = dc ⊙ c_{t−1};
    /// pre-activations: da_i = di·i(1−i), da_f = df·f(1−f), da_g = dg·(1−g²), da_o = do·o(1−o);
    /// dc_{t−1} = dc ⊙ f ; dBias += the four da.
    @inline(__always)
    static func backwardRow(gates: UnsafePointer<Float>, hidden h: Int, cPrev: UnsafePointer<Float>,
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
