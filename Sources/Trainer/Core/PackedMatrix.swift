import CTrainer

/// A matrix packed once for many products with it (the C kernel of `recur_trainer.h`).
///
/// A recurrent layer multiplies every timestep by the same W_hh: forward h_{t−1} · W_hhᵀ,
/// backward dA_t · W_hh. Through `BLAS.gemm` each of those calls re-packs all of W_hh, which for
/// a skinny product (a batch of 32 rows against 1024 × 256 weights) costs about as much as the
/// arithmetic; the layer packs W_hhᵀ once per forward and W_hh once per backward instead
/// (docs/TRAINING.md, "Training throughput"). Threads split a step by rows (`StepTeam`), not
/// inside this product.
final class PackedMatrix {
    /// The kernel path of this CPU (AVX2 + FMA on x86-64 that has them, else portable C).
    static let bestPath = rt_best_path()

    private let storage = Tensor()
    /// B is k × n.
    private(set) var k = 0
    private(set) var n = 0

    /// Packs B = W (`rows` × `cols`, row-major) or, with `transposed`, B = Wᵀ.
    func pack(_ w: UnsafePointer<Float>, rows: Int, cols: Int, transposed: Bool) {
        (k, n) = transposed ? (cols, rows) : (rows, cols)
        storage.resize(rt_packed_floats(k, n))
        if transposed {
            rt_pack(w, k, n, 1, cols, storage.data)
        } else {
            rt_pack(w, k, n, cols, 1, storage.data)
        }
    }

    /// C (m × n, row stride `ldc`) = A (m × k, row stride `lda`) · B, or C += A · B.
    func multiply(_ a: UnsafePointer<Float>, rows m: Int, lda: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
                  accumulate: Bool, path: rt_path = PackedMatrix.bestPath) {
        let panels = (n + Int(RT_PANEL) - 1) / Int(RT_PANEL)
        rt_gemm_packed(path, m, n, k, a, lda, storage.data, c, ldc, accumulate ? 1 : 0, 0, panels)
    }
}
