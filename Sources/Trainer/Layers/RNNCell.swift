/// The vanilla (Elman) RNN cell — the trainer's twin of the C core's rnn.c:
///
///     h' = act((W_ih x + b_ih) + (W_hh h + b_hh)),  act = tanh or relu (x > 0 ? x : 0)
///
/// and its gradient. `RecurrentLayer` owns the buffers and the time loop; these are one timestep
/// for B rows. The row kernel adds b = b_ih + b_hh (summed once per forward) and activates;
/// the backward row kernel sums the bias gradient.
enum RNNCell {
    /// Step forward for B rows. On entry `a` (B, H) — the output slot h_t — holds W_ih x_t; on
    /// exit h_t. `relu` picks the activation (else tanh).
    static func forward(a: UnsafeMutablePointer<Float>, recurrent: PackedMatrix, bias: UnsafePointer<Float>,
                        hPrev: UnsafePointer<Float>, relu: Bool, batch: Int, hidden h: Int) {
        // a += h_{t−1} · W_hhᵀ      (B, H) × (H, H), `recurrent` = W_hhᵀ packed
        recurrent.multiply(hPrev, rows: batch, lda: h, into: a, ldc: h, accumulate: true)
        for b in 0..<batch {
            if relu {
                forwardRow(a + b * h, bias: bias, hidden: h, act: rectify)
            } else {
                forwardRow(a + b * h, bias: bias, hidden: h, act: VectorMath.tanh)
            }
        }
    }

    /// Step backward for B rows. `dh` (B, H) holds dL/dh_t on entry and dL/dh_{t−1} on exit;
    /// `dA` (B, H) receives the pre-activation gradient and `dBias` its sums, one H row per
    /// `biasRows` rows of the batch. `y` (B, H) is h_t.
    static func backward(y: UnsafePointer<Float>, recurrent: PackedMatrix, relu: Bool,
                         dh: UnsafeMutablePointer<Float>, dA: UnsafeMutablePointer<Float>,
                         dBias: UnsafeMutablePointer<Float>, biasRows: Int, batch: Int, hidden h: Int) {
        for b in 0..<batch {
            backwardRow(y: y + b * h, dh: dh + b * h, dA: dA + b * h, dBias: dBias + (b / biasRows) * h, hidden: h, relu: relu)
        }
        // dh_{t−1} = dA · W_hh      (B, H) × (H, H), `recurrent` = W_hh packed
        recurrent.multiply(dA, rows: batch, lda: h, into: dh, ldc: h, accumulate: false)
    }

    /// max(x, 0) lane by lane.
    @inline(__always)
    private static func rectify(_ x: VectorMath.V) -> VectorMath.V {
        x.replacing(with: VectorMath.V(repeating: 0), where: x .< 0)
    }

    /// One row: a ← act(a + b).
    @inline(__always)
    private static func forwardRow(_ a: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden h: Int,
                                   act: (VectorMath.V) -> VectorMath.V) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h { M.store(act(M.load(a + j) + M.load(bias + j)), a + j); j += 8 }
        while j < h { a[j] = M.scalar(act, a[j] + bias[j]); j += 1 }
    }

    /// One row back: da = dh ⊙ act'(a) — tanh' = 1 − h², relu' = [h > 0] — ; dBias += da.
    @inline(__always)
    private static func backwardRow(y: UnsafePointer<Float>, dh: UnsafePointer<Float>, dA: UnsafeMutablePointer<Float>,
                                    dBias: UnsafeMutablePointer<Float>, hidden h: Int, relu: Bool) {
        typealias M = VectorMath
        let zero = M.V(repeating: 0)
        var j = 0
        while j + 8 <= h {
            let yv = M.load(y + j), dhv = M.load(dh + j)
            let da = relu ? dhv.replacing(with: zero, where: .!(yv .> 0)) : dhv * (1 - yv * yv)
            M.store(da, dA + j)
            M.store(M.load(dBias + j) + da, dBias + j)
            j += 8
        }
        while j < h {
            let da = relu ? (y[j] > 0 ? dh[j] : 0) : dh[j] * (1 - y[j] * y[j])
            dA[j] = da
            dBias[j] += da
            j += 1
        }
    }
}
