/// Attention over the encoder memory and the combine layer, for a range of decoder steps at once.
///
/// For decoder state h_t (width H_d) and encoder outputs s_j (width E, j < n of its sequence):
///   dot       e_j = h_t · s_j
///   general   e_j = h_t · k_j,  k_j = W s_j                  (W: H_d × E)
///   additive  e_j = vᵀ tanh(k_j + W_q h_t),  k_j = W_k s_j + b   (W_k: A × E, W_q: A × H_d)
///   a = softmax(e) over j < n (pads get weight 0) ; c_t = Σ_j a_j s_j ;
///   h̃_t = tanh(W_c [c_t ; h_t] + b_c)                       (W_c: C × (E + H_d)).
/// A call covers steps [t0, t1): the whole teacher-forced target at once (one GEMM per sequence
/// for scores and contexts), or one step at a time (input feeding, decoding). Buffers are
/// time-major (T, B, ·); the memory is batch-major (B, S, E) and owned by the encoder.
final class Seq2SeqAttention {
    let kind: Seq2SeqSpec.Attention
    /// E, H_d, A (additive), C.
    let memoryWidth: Int, queryWidth: Int, scoreWidth: Int, combineWidth: Int
    /// general: (H_d, E) `att.weight`; additive: (A, E) `att.key.weight`.
    let keyWeight: Parameter?
    /// additive: (A, H_d) `att.query.weight`, (A) `att.bias`, (A) `att.v`.
    let queryWeight: Parameter?, scoreBias: Parameter?, scoreVector: Parameter?
    /// (C, E + H_d) and (C).
    let combineWeight: Parameter, combineBias: Parameter

    private var memory: UnsafePointer<Float>?
    private var lengths: [Int] = []
    private var batch = 0, sourceSteps = 0, steps = 0
    /// (B, S, K) keys: general K = H_d, additive K = A.
    private let keys = Tensor()
    /// (T, B, S) attention weights a (0 at pads); in backward, dL/de.
    private let weights = Tensor()
    private let dScores = Tensor()
    /// (T, B, E + H_d) [c_t ; h_t], the combine layer's input.
    let concat = Tensor()
    /// (T, B, A) additive: W_q h_t.
    private let queryProjection = Tensor()
    /// (T, B, S, A) additive: tanh(k_j + W_q h_t).
    private let tanhCache = Tensor()
    /// (T, B, C) h̃.
    let outputs = Tensor()
    /// Backward scratch: (T, B, C) dz, (T, B, E + H_d) d[c ; h], (T, B, A) dq, (B, S, K) dkeys.
    private let dz = Tensor(), dConcat = Tensor(), dQuery = Tensor(), dKeys = Tensor()
    /// (B, S, E) dL/dmemory, accumulated over the backward calls.
    let dMemory = Tensor()

    init(spec: Seq2SeqSpec, random: inout SeededRandom) {
        kind = spec.attention
        memoryWidth = spec.encoderOutput
        queryWidth = spec.decoderHidden
        scoreWidth = spec.attentionSize
        combineWidth = spec.combine
        let e = memoryWidth, hd = queryWidth, a = scoreWidth, c = combineWidth
        // nn.Linear-style: uniform in ±1/sqrt(fan-in).
        func uniform(_ n: Int, fanIn: Int) -> [Float] {
            let bound = 1 / Float(fanIn).squareRoot()
            return (0..<n).map { _ in random.uniform(-bound, bound) }
        }
        switch kind {
        case .dot:
            keyWeight = nil; queryWeight = nil; scoreBias = nil; scoreVector = nil
        case .general:
            keyWeight = Parameter(name: "att.weight", rows: hd, cols: e, value: uniform(hd * e, fanIn: e))
            queryWeight = nil; scoreBias = nil; scoreVector = nil
        case .additive:
            keyWeight = Parameter(name: "att.key.weight", rows: a, cols: e, value: uniform(a * e, fanIn: e))
            queryWeight = Parameter(name: "att.query.weight", rows: a, cols: hd, value: uniform(a * hd, fanIn: hd))
            scoreBias = Parameter(name: "att.bias", rows: a, cols: 1, value: uniform(a, fanIn: e))
            scoreVector = Parameter(name: "att.v", rows: a, cols: 1, value: uniform(a, fanIn: a))
        }
        combineWeight = Parameter(name: "att.combine.weight", rows: c, cols: e + hd, value: uniform(c * (e + hd), fanIn: e + hd))
        combineBias = Parameter(name: "att.combine.bias", rows: c, cols: 1, value: uniform(c, fanIn: e + hd))
    }

    /// FORMAT.md order.
    var parameters: [Parameter] {
        [keyWeight, queryWeight, scoreBias, scoreVector].compactMap { $0 } + [combineWeight, combineBias]
    }

    /// K, the width of a key row (general H_d, additive A; dot uses the memory itself).
    private var keyWidth: Int { kind == .additive ? scoreWidth : queryWidth }

    /// Takes the memory (B, S, E) of this batch and precomputes the keys; sizes the caches for T steps.
    func start(memory: UnsafePointer<Float>, lengths: [Int], batch b: Int, sourceSteps s: Int, steps t: Int) {
        self.memory = memory
        self.lengths = lengths
        batch = b
        sourceSteps = s
        steps = t
        let e = memoryWidth, kw = keyWidth
        if let keyWeight {
            keys.resize(b * s * kw)
            // keys (B·S, K) = memory · Wᵀ (+ b)
            BLAS.gemm(false, true, b * s, kw, e, 1, memory, e, keyWeight.storage.data, e, 0, keys.data, kw)
            if let scoreBias { VectorMath.addRow(scoreBias.storage.data, to: keys.data, rows: b * s, kw) }
        }
        weights.resize(t * b * s, zero: true)
        concat.resize(t * b * (e + queryWidth))
        outputs.resize(t * b * combineWidth)
        if kind == .additive {
            queryProjection.resize(t * b * scoreWidth)
            tanhCache.resize(t * b * s * scoreWidth)
        }
    }

    /// Attention and combine for steps [t0, t1); `queries` are their decoder states ((t1 − t0)·B, H_d).
    func forward(_ t0: Int, _ t1: Int, queries: UnsafePointer<Float>) {
        let b = batch, s = sourceSteps, e = memoryWidth, hd = queryWidth, w = e + hd, m = t1 - t0, rows = m * b
        let mem = memory!
        // [c ; h]: the queries into the h half
        for r in 0..<rows { (concat.data + (t0 * b + r) * w + e).update(from: queries + r * hd, count: hd) }
        switch kind {
        case .dot, .general:
            let keyBase = kind == .dot ? mem : UnsafePointer(keys.data)
            for i in 0..<b {
                // e (m, n) = H_i (m, H_d) · K_iᵀ (H_d, n)
                BLAS.gemm(false, true, m, lengths[i], hd, 1, concat.data + (t0 * b + i) * w + e, b * w,
                          keyBase + i * s * hd, hd, 0, weights.data + (t0 * b + i) * s, b * s)
            }
        case .additive:
            let a = scoreWidth
            let q = queryProjection.data + t0 * b * a
            // q (rows, A) = H · W_qᵀ
            BLAS.gemm(false, true, rows, a, hd, 1, queries, hd, queryWeight!.storage.data, hd, 0, q, a)
            let v = scoreVector!.storage.data
            for r in 0..<rows {
                let i = r % b, score = weights.data + (t0 * b + r) * s
                for j in 0..<lengths[i] {
                    let u = tanhCache.data + ((t0 * b + r) * s + j) * a
                    // u = tanh(k_j + q_t) ; e_j = v · u
                    u.update(from: keys.data + (i * s + j) * a, count: a)
                    VectorMath.add(q + r * a, into: u, a)
                    VectorMath.tanh(u, a)
                    var sum: Float = 0
                    for k in 0..<a { sum += v[k] * u[k] }
                    score[j] = sum
                }
            }
        }
        for r in 0..<rows {
            let n = lengths[r % b], row = weights.data + (t0 * b + r) * s
            // a = softmax(e) over j < n ; pads 0
            SoftmaxCrossEntropy.softmax(row, into: row, n)
            for j in n..<s { row[j] = 0 }
        }
        for i in 0..<b {
            // c (m, E) = a_i (m, n) · S_i (n, E)
            BLAS.gemm(false, false, m, e, lengths[i], 1, weights.data + (t0 * b + i) * s, b * s,
                      mem + i * s * e, e, 0, concat.data + (t0 * b + i) * w, b * w)
        }
        let c = combineWidth, out = outputs.data + t0 * b * c
        // h̃ = tanh([c ; h] · W_cᵀ + b_c)
        BLAS.gemm(false, true, rows, c, w, 1, concat.data + t0 * b * w, w, combineWeight.storage.data, w, 0, out, c)
        VectorMath.addRow(combineBias.storage.data, to: out, rows: rows, c)
        VectorMath.tanh(out, rows * c)
    }

    /// (B, C) h̃ of step t.
    func output(_ t: Int) -> UnsafeMutablePointer<Float> { outputs.data + t * batch * combineWidth }

    /// (B, S) attention weights of step t.
    func attentionWeights(_ t: Int) -> UnsafePointer<Float> { UnsafePointer(weights.data + t * batch * sourceSteps) }

    /// Beam search: row b of h̃ at step t becomes the old row `parents[b]` (input feeding reads it).
    func reorder(step t: Int, parents: [Int]) {
        let c = combineWidth, base = output(t)
        let old = Array(UnsafeBufferPointer(start: base, count: batch * c))
        old.withUnsafeBufferPointer { src in
            for (b, p) in parents.enumerated() { (base + b * c).update(from: src.baseAddress! + p * c, count: c) }
        }
    }

    // MARK: Backward

    /// Zeroes dL/dmemory and the key gradients; call before the first `backward`.
    func startBackward() {
        let b = batch, s = sourceSteps
        dMemory.resize(b * s * memoryWidth, zero: true)
        if keyWeight != nil { dKeys.resize(b * s * keyWidth, zero: true) }
        dScores.resize(steps * b * s)
        dz.resize(steps * b * combineWidth)
        dConcat.resize(steps * b * (memoryWidth + queryWidth))
        if kind == .additive { dQuery.resize(steps * b * scoreWidth) }
    }

    /// Steps [t0, t1) back from dL/dh̃ ((t1 − t0)·B, C): accumulates parameter gradients and
    /// dL/dmemory, and adds dL/dh_t into `dQueries` ((t1 − t0)·B, H_d).
    func backward(_ t0: Int, _ t1: Int, dOutput: UnsafePointer<Float>, dQueries: UnsafeMutablePointer<Float>) {
        let b = batch, s = sourceSteps, e = memoryWidth, hd = queryWidth, w = e + hd, m = t1 - t0, rows = m * b
        let c = combineWidth, mem = memory!
        let y = outputs.data + t0 * b * c, dzr = dz.data + t0 * b * c
        // dz = dh̃ ⊙ (1 − h̃²)
        for j in 0..<(rows * c) { dzr[j] = dOutput[j] * (1 - y[j] * y[j]) }
        let x = concat.data + t0 * b * w, dx = dConcat.data + t0 * b * w
        // dW_c += dzᵀ [c ; h] ; db_c += Σ dz ; d[c ; h] = dz · W_c
        BLAS.gemm(true, false, c, w, rows, 1, dzr, c, x, w, 1, combineWeight.gradient.data, w)
        VectorMath.addColumnSums(dzr, rows: rows, c, into: combineBias.gradient.data)
        BLAS.gemm(false, false, rows, w, c, 1, dzr, c, combineWeight.storage.data, w, 0, dx, w)
        // the direct path into h_t
        for r in 0..<rows { VectorMath.add(dx + r * w + e, into: dQueries + r * hd, hd) }
        let dE = dScores.data
        for i in 0..<b {
            let n = lengths[i]
            let aRows = weights.data + (t0 * b + i) * s, dERows = dE + (t0 * b + i) * s, dcRows = dx + i * w
            // da (m, n) = dc (m, E) · S_iᵀ
            BLAS.gemm(false, true, m, n, e, 1, dcRows, b * w, mem + i * s * e, e, 0, dERows, b * s)
            // dS_i += aᵀ dc      (n, m) × (m, E)
            BLAS.gemm(true, false, n, e, m, 1, aRows, b * s, dcRows, b * w, 1, dMemory.data + i * s * e, e)
            // de_j = a_j (da_j − Σ_k a_k da_k)
            for r in 0..<m {
                let a = aRows + r * b * s, d = dERows + r * b * s
                var dot: Float = 0
                for j in 0..<n { dot += a[j] * d[j] }
                for j in 0..<n { d[j] = a[j] * (d[j] - dot) }
            }
        }
        switch kind {
        case .dot, .general:
            let keyBase = kind == .dot ? mem : UnsafePointer(keys.data)
            let dKeyBase = kind == .dot ? dMemory.data : dKeys.data
            for i in 0..<b {
                let n = lengths[i], dERows = dE + (t0 * b + i) * s
                // dh += de · K_i      (m, n) × (n, H_d)
                BLAS.gemm(false, false, m, hd, n, 1, dERows, b * s, keyBase + i * s * hd, hd, 1, dQueries + i * hd, b * hd)
                // dK_i += deᵀ · H    (n, m) × (m, H_d)
                BLAS.gemm(true, false, n, hd, m, 1, dERows, b * s, x + i * w + e, b * w, 1, dKeyBase + i * s * hd, hd)
            }
        case .additive:
            let a = scoreWidth, v = scoreVector!.storage.data, dv = scoreVector!.gradient.data
            let dq = dQuery.data + t0 * b * a
            dq.update(repeating: 0, count: rows * a)
            for r in 0..<rows {
                let i = r % b
                for j in 0..<lengths[i] {
                    let g = dE[(t0 * b + r) * s + j]
                    let u = tanhCache.data + ((t0 * b + r) * s + j) * a, dk = dKeys.data + (i * s + j) * a
                    // dv += g u ; du = g v ⊙ (1 − u²) → dk_j and dq_t
                    for k in 0..<a {
                        dv[k] += g * u[k]
                        let du = g * v[k] * (1 - u[k] * u[k])
                        dk[k] += du
                        dq[r * a + k] += du
                    }
                }
            }
            // dW_q += dqᵀ H ; dh += dq · W_q
            BLAS.gemm(true, false, a, hd, rows, 1, dq, a, x + e, w, 1, queryWeight!.gradient.data, hd)
            BLAS.gemm(false, false, rows, hd, a, 1, dq, a, queryWeight!.storage.data, hd, 1, dQueries, hd)
        }
    }

    /// After the last `backward`: the key layer's gradients and their share of dL/dmemory.
    func finishBackward() {
        guard let keyWeight else { return }
        let rows = batch * sourceSteps, e = memoryWidth, kw = keyWidth
        // dW += dKᵀ · S ; db += Σ dK ; dS += dK · W
        BLAS.gemm(true, false, kw, e, rows, 1, dKeys.data, kw, memory!, e, 1, keyWeight.gradient.data, e)
        if let scoreBias { VectorMath.addColumnSums(dKeys.data, rows: rows, kw, into: scoreBias.gradient.data) }
        BLAS.gemm(false, false, rows, e, kw, 1, dKeys.data, kw, keyWeight.storage.data, e, 1, dMemory.data, e)
    }
}
