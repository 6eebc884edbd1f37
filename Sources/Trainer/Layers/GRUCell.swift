import CTrainer

/// The GRU cell, PyTorch's gate order (r, z, n), b_hn inside the reset — the trainer's twin of
/// the C core's gru.c:
///
///     u = W_ih x + b_ih,  v = W_hh h + b_hh
///     r = σ(u_r + v_r)    z = σ(u_z + v_z)
///     n = tanh(u_n + (r ⊙ v_n))
///     h' = ((1 − z) ⊙ n) + (z ⊙ h)
///
/// and its gradient. `RecurrentLayer` owns the buffers and the time loop; these are one timestep
/// for B rows. The row kernel adds the biases ([b_ir + b_hr, b_iz + b_hz, b_in], summed once
/// per forward, and b_hn), and the backward row kernel sums both bias gradients.
/// The row kernels are C (`Sources/CTrainer/cells.c`: the same operations on every path, eight
/// lanes wide with AVX2).
enum GRUCell {
    /// Step forward for B rows. On entry `u` (B, 3H) holds W_ih x_t; on exit r, z, n. `v`
    /// (B, 3H) receives W_hh h_{t−1}, its n block with b_hn added (backward needs v_n).
    /// `bias` (3H) is [b_ir + b_hr, b_iz + b_hz, b_in]; `biasHN` (H) is b_hn.
    static func forward(u: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, recurrent: PackedMatrix,
                        bias: UnsafePointer<Float>, biasHN: UnsafePointer<Float>,
                        hPrev: UnsafePointer<Float>, hNext: UnsafeMutablePointer<Float>, batch: Int, hidden h: Int) {
        let g3 = 3 * h
        // v = h_{t−1} · W_hhᵀ      (B, H) × (H, 3H), `recurrent` = W_hhᵀ packed
        recurrent.multiply(hPrev, rows: batch, lda: h, into: v, ldc: g3, accumulate: false)
        rt_gru_forward_rows(PackedMatrix.bestPath, batch, h, u, v, bias, biasHN, hPrev, hNext)
    }

    /// Step backward for B rows. `dh` (B, H) holds dL/dh_t on entry and dL/dh_{t−1} on exit;
    /// `dGx`/`dGh` (B, 3H) receive the input- and hidden-side pre-activation gradients, and
    /// `dBiasIH`/`dBiasHH` their sums, one 3H row per `biasRows` rows of the batch.
    static func backward(gates: UnsafePointer<Float>, v: UnsafePointer<Float>, recurrent: PackedMatrix,
                         hPrev: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
                         dGx: UnsafeMutablePointer<Float>, dGh: UnsafeMutablePointer<Float>,
                         dBiasIH: UnsafeMutablePointer<Float>, dBiasHH: UnsafeMutablePointer<Float>, biasRows: Int,
                         batch: Int, hidden h: Int) {
        let g3 = 3 * h
        rt_gru_backward_rows(PackedMatrix.bestPath, batch, h, gates, v, hPrev, dh, dGx, dGh, dBiasIH, dBiasHH, biasRows)
        // dh_{t−1} = dh ⊙ z (in the row kernel) + dV_t · W_hh      (B, 3H) × (3H, H), `recurrent` = W_hh packed
        recurrent.multiply(dGh, rows: batch, lda: g3, into: dh, ldc: h, accumulate: true)
    }
}
