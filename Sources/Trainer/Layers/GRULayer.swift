/// A GRU layer with PyTorch's gate order (r, z, n); `b_hn` sits inside r ⊙ (W_hn h + b_hn).
final class GRULayer: RecurrentLayer {
    /// (T, B, 3H): input-side pre-activations W_ih x + b_ih, then the gates r, z, n.
    private let gateCache = Tensor()
    /// (T, B, 3H): hidden-side pre-activations W_hh h_{t−1} + b_hh (the n block is needed in backward).
    private let hiddenCache = Tensor()
    /// (T, B, 3H): gradient of the input-side pre-activations.
    private let dGx = Tensor()
    /// (T, B, 3H): gradient of the hidden-side pre-activations.
    private let dGh = Tensor()

    init(index: Int, inputSize: Int, hidden: Int, random: inout SeededRandom, suffix: String = "") {
        super.init(index: index, inputSize: inputSize, hidden: hidden, gates: 3, random: &random, suffix: suffix)
    }

    override func forward(_ x: UnsafePointer<Float>, steps: Int, batch: Int, initial: LayerState?) {
        begin(x, steps: steps, batch: batch, initial: initial)
        let h = hidden, g3 = 3 * hidden, bh = batch * hidden
        gateCache.resize(steps * batch * g3)
        hiddenCache.resize(steps * batch * g3)
        // u = W_ih x + b_ih for every step at once
        projectInput(into: gateCache.data, bias: .input)
        let whh = weightHH.storage.data, bhh = biasHH.storage.data
        for t in 0..<steps {
            let u = gateCache.data + t * batch * g3, v = hiddenCache.data + t * batch * g3
            // v = W_hh h_{t−1} + b_hh      (B, H) × (H, 3H)
            for b in 0..<batch { (v + b * g3).update(from: bhh, count: g3) }
            BLAS.gemm(false, true, batch, g3, h, 1, hs.data + t * bh, h, whh, h, 1, v, g3)
            let hPrev = hs.data + t * bh, hNext = hs.data + (t + 1) * bh
            for b in 0..<batch {
                GRULayer.step(u: u + b * g3, v: v + b * g3, hidden: h, hPrev: hPrev + b * h, hNext: hNext + b * h)
            }
        }
    }

    /// r = σ(u_r + v_r) ; z = σ(u_z + v_z) ; n = tanh(u_n + r ⊙ v_n) ; h' = (1 − z) ⊙ n + z ⊙ h.
    /// Overwrites u with r, z, n.
    @inline(__always)
    static func step(u: UnsafeMutablePointer<Float>, v: UnsafePointer<Float>, hidden h: Int,
                             hPrev: UnsafePointer<Float>, hNext: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        VectorMath.add(v, into: u, 2 * h)
        VectorMath.sigmoid(u, 2 * h)
        var j = 0
        while j + 8 <= h {
            let r = M.load(u + j), z = M.load(u + h + j)
            let n = M.tanh(M.load(u + 2 * h + j) + r * M.load(v + 2 * h + j))
            M.store(n, u + 2 * h + j)
            M.store((1 - z) * n + z * M.load(hPrev + j), hNext + j)
            j += 8
        }
        while j < h {
            let r = u[j], z = u[h + j]
            let n = M.scalar(M.tanh, u[2 * h + j] + r * v[2 * h + j])
            u[2 * h + j] = n
            hNext[j] = (1 - z) * n + z * hPrev[j]
            j += 1
        }
    }

    override func backward(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        let h = hidden, g3 = 3 * hidden, bh = batch * hidden
        dGx.resize(steps * batch * g3)
        dGh.resize(steps * batch * g3)
        dh.resize(bh, zero: true)
        let whh = weightHH.storage.data
        for t in stride(from: steps - 1, through: 0, by: -1) {
            VectorMath.add(dOut + t * bh, into: dh.data, bh)
            let off = t * batch * g3
            for b in 0..<batch {
                GRULayer.stepBackward(gates: gateCache.data + off + b * g3, v: hiddenCache.data + off + b * g3,
                                      hidden: h, hPrev: hs.data + t * bh + b * h, dh: dh.data + b * h,
                                      dGx: dGx.data + off + b * g3, dGh: dGh.data + off + b * g3)
            }
            // dh_{t−1} = dh ⊙ z (done above) + dV_t · W_hh     (B, 3H) × (3H, H)
            BLAS.gemm(false, false, batch, h, g3, 1, dGh.data + off, g3, whh, h, 1, dh.data, h)
        }
        accumulateWeightGradients(dGx: dGx.data, dGh: dGh.data, dInput: dInput)
    }

    /// dn = dh ⊙ (1 − z) ; dz = dh ⊙ (h_{t−1} − n) ; da_n = dn ⊙ (1 − n²) ;
    /// da_r = da_n ⊙ v_n ⊙ r(1 − r) ; da_z = dz ⊙ z(1 − z) ;
    /// input side (da_r, da_z, da_n), hidden side (da_r, da_z, da_n ⊙ r) ; dh ← dh ⊙ z.
    @inline(__always)
    static func stepBackward(gates: UnsafePointer<Float>, v: UnsafePointer<Float>, hidden h: Int,
                                     hPrev: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
                                     dGx: UnsafeMutablePointer<Float>, dGh: UnsafeMutablePointer<Float>) {
        typealias M = VectorMath
        var j = 0
        while j + 8 <= h {
            let r = M.load(gates + j), z = M.load(gates + h + j), n = M.load(gates + 2 * h + j)
            let dhv = M.load(dh + j)
            let dan = dhv * (1 - z) * (1 - n * n)
            let dar = dan * M.load(v + 2 * h + j) * r * (1 - r)
            let daz = dhv * (M.load(hPrev + j) - n) * z * (1 - z)
            M.store(dar, dGx + j); M.store(daz, dGx + h + j); M.store(dan, dGx + 2 * h + j)
            M.store(dar, dGh + j); M.store(daz, dGh + h + j); M.store(dan * r, dGh + 2 * h + j)
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
            dh[j] = dhv * z
            j += 1
        }
    }
}
