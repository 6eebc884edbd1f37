import CTrainer

/// The vanilla (Elman) RNN cell — the trainer's twin of the C core's rnn.c:
///
///     h' = act((W_ih x + b_ih) + (W_hh h + b_hh)),  act = tanh or relu (x > 0 ? x : 0)
///
/// and its gradient. `RecurrentLayer` owns the buffers and the time loop; these are one timestep
/// for B rows. The row kernel adds b = b_ih + b_hh (summed once per forward) and activates;
/// the backward row kernel sums the bias gradient.
/// The row kernels are C (`Sources/CTrainer/cells.c`: the same operations on every path, eight
/// lanes wide with AVX2).
enum RNNCell {
    /// Step forward for B rows. On entry `a` (B, H) — the output slot h_t — holds W_ih x_t; on
    /// exit h_t. `relu` picks the activation (else tanh).
    static func forward(a: UnsafeMutablePointer<Float>, recurrent: PackedMatrix, bias: UnsafePointer<Float>,
                        hPrev: UnsafePointer<Float>, relu: Bool, batch: Int, hidden h: Int) {
        // a += h_{t−1} · W_hhᵀ      (B, H) × (H, H), `recurrent` = W_hhᵀ packed
        recurrent.multiply(hPrev, rows: batch, lda: h, into: a, ldc: h, accumulate: true)
        rt_rnn_forward_rows(PackedMatrix.bestPath, batch, h, a, bias, relu ? 1 : 0)
    }

    /// Step backward for B rows. `dh` (B, H) holds dL/dh_t on entry and dL/dh_{t−1} on exit;
    /// `dA` (B, H) receives the pre-activation gradient and `dBias` its sums, one H row per
    /// `biasRows` rows of the batch. `y` (B, H) is h_t.
    static func backward(y: UnsafePointer<Float>, recurrent: PackedMatrix, relu: Bool,
                         dh: UnsafeMutablePointer<Float>, dA: UnsafeMutablePointer<Float>,
                         dBias: UnsafeMutablePointer<Float>, biasRows: Int, batch: Int, hidden h: Int) {
        rt_rnn_backward_rows(PackedMatrix.bestPath, batch, h, y, dh, dA, dBias, biasRows, relu ? 1 : 0)
        // dh_{t−1} = dA · W_hh      (B, H) × (H, H), `recurrent` = W_hh packed
        recurrent.multiply(dA, rows: batch, lda: h, into: dh, ldc: h, accumulate: false)
    }
}
