import CTrainer

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
/// The row kernels are C (`Sources/CTrainer/cells.c`: the same operations on every path, eight
/// lanes wide with AVX2).
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
        rt_lstm_forward_rows(PackedMatrix.bestPath, batch, h, a, bias, cPrev, cNext, tanhC, hNext)
    }

    /// Step backward for B rows. `dh` (B, H) holds dL/dh_t on entry and dL/dh_{t−1} on exit,
    /// `dc` likewise for the cell; `dGates` (B, 4H) receives the pre-activation gradients, and
    /// `dBias` their sums, one 4H row per `biasRows` rows of the batch.
    static func backward(gates: UnsafePointer<Float>, recurrent: PackedMatrix, cPrev: UnsafePointer<Float>,
                         tanhC: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>,
                         dGates: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>, biasRows: Int,
                         batch: Int, hidden h: Int) {
        let g4 = 4 * h
        rt_lstm_backward_rows(PackedMatrix.bestPath, batch, h, gates, cPrev, tanhC, dh, dc, dGates, dBias, biasRows)
        // dh_{t−1} = dA_t · W_hh      (B, 4H) × (4H, H), `recurrent` = W_hh packed
        recurrent.multiply(dGates, rows: batch, lda: g4, into: dh, ldc: h, accumulate: false)
    }
}
