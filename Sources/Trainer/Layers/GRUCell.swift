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
        for b in 0..<batch {
            forwardRow(u: u + b * g3, v: v + b * g3, bias: bias, biasHN: biasHN, hidden: h,
                       hPrev: hPrev + b * h, hNext: hNext + b * h)
        }
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
        for b in 0..<batch {
            backwardRow(gates: gates + b * g3, v: v + b * g3, hidden: h, hPrev: hPrev + b * h, dh: dh + b * h,
                        dGx: dGx + b * g3, dGh: dGh + b * g3,
                        dBiasIH: dBiasIH + (b / biasRows) * g3, dBiasHH: dBiasHH + (b / biasRows) * g3)
        }
        // dh_{t−1} = dh ⊙ z (in the row kernel) + dV_t · W_hh      (B, 3H) × (3H, H), `recurrent` = W_hh packed
        recurrent.multiply(dGh, rows: batch, lda: g3, into: dh, ldc: h, accumulate: true)
    }

    /// One row, in one pass: r = σ(u_r + b_r + v_r) ; z = σ(u_z + b_z + v_z) ;
    /// v_n += b_hn ; n = tanh(u_n + b_in + r ⊙ v_n) ; h' = (1 − z) ⊙ n + z ⊙ h. Overwrites u with r, z, n.
    @inline(__always)
    static func forwardRow(u: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                           biasHN: UnsafePointer<Float>, hidden h: Int,
                           hPrev: UnsafePointer<Float>, hNext: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h {
            let r = M.sigmoid(M.load(u + j) + M.load(bias + j) + M.load(v + j))
            let z = M.sigmoid(M.load(u + h + j) + M.load(bias + h + j) + M.load(v + h + j))
            let vn = M.load(v + 2 * h + j) + M.load(biasHN + j)
            let n = M.tanh(M.load(u + 2 * h + j) + M.load(bias + 2 * h + j) + r * vn)
            M.store(r, u + j); M.store(z, u + h + j); M.store(n, u + 2 * h + j)
            M.store(vn, v + 2 * h + j)
            M.store((1 - z) * n + z * M.load(hPrev + j), hNext + j)
            j += 8
        }
        while j < h {
            let r = M.scalar(M.sigmoid, u[j] + bias[j] + v[j])
            let z = M.scalar(M.sigmoid, u[h + j] + bias[h + j] + v[h + j])
            let vn = v[2 * h + j] + biasHN[j]
            let n = M.scalar(M.tanh, u[2 * h + j] + bias[2 * h + j] + r * vn)
            u[j] = r; u[h + j] = z; u[2 * h + j] = n
            v[2 * h + j] = vn
            hNext[j] = (1 - z) * n + z * hPrev[j]
            j += 1
        }
    }

    /// One row back: dn = dh ⊙ (1 − z) ; dz = dh ⊙ (h_{t−1} − n) ; da_n = dn ⊙ (1 − n²) ;
    /// da_r = da_n ⊙ v_n ⊙ r(1 − r) ; da_z = dz ⊙ z(1 − z) ;
    /// input side (da_r, da_z, da_n), hidden side (da_r, da_z, da_n ⊙ r), each added to its bias
    /// gradient ; dh ← dh ⊙ z.
    @inline(__always)
    static func backwardRow(gates: UnsafePointer<Float>, v: UnsafePointer<Float>, hidden h: Int,
                            hPrev: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
                            dGx: UnsafeMutablePointer<Float>, dGh: UnsafeMutablePointer<Float>,
                            dBiasIH: UnsafeMutablePointer<Float>, dBiasHH: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h {
            let r = M.load(gates + j), z = M.load(gates + h + j), n = M.load(gates + 2 * h + j)
            let dhv = M.load(dh + j)
            let dan = dhv * (1 - z) * (1 - n * n)
            let dar = dan * M.load(v + 2 * h + j) * r * (1 - r)
            let daz = dhv * (M.load(hPrev + j) - n) * z * (1 - z)
            let dhn = dan * r
            M.store(dar, dGx + j); M.store(daz, dGx + h + j); M.store(dan, dGx + 2 * h + j)
            M.store(dar, dGh + j); M.store(daz, dGh + h + j); M.store(dhn, dGh + 2 * h + j)
            M.store(M.load(dBiasIH + j) + dar, dBiasIH + j)
            M.store(M.load(dBiasIH + h + j) + daz, dBiasIH + h + j)
            M.store(M.load(dBiasIH + 2 * h + j) + dan, dBiasIH + 2 * h + j)
            M.store(M.load(dBiasHH + j) + dar, dBiasHH + j)
            M.store(M.load(dBiasHH + h + j) + daz, dBiasHH + h + j)
            M.store(M.load(dBiasHH + 2 * h + j) + dhn, dBiasHH + 2 * h + j)
            M.store(dhv * z, dh + j)
            j += 8
        }
        while j < h {
            let r = gates[j], z = gates[h + j], n = gates[2 * h + j]
            let dhv = dh[j]
            let dan = dhv * (1 - z) * (1 - n * n)
            let dar = dan * v[2 * h + j] * r * (1 - r)
            let daz = dhv * (hPrev[j] - n) * z * (1 - z)
            dGx[j] = dar; dGx[h + j] = daz; dGx[2 * h + j] = dan
            dGh[j] = dar; dGh[h + j] = daz; dGh[2 * h + j] = dan * r
            for k in 0..<3 {
                dBiasIH[k * h + j] += dGx[k * h + j]
                dBiasHH[k * h + j] += dGh[k * h + j]
            }
            dh[j] = dhv * z
            j += 1
        }
    }
}
