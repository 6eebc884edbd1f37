import COpenBLAS
import Synchronization

/// The seam through which the trainer's matrix products go — all but the recurrent layers'
/// per-timestep products with W_hh, which use a weight packed once per forward or backward
/// (`PackedMatrix`) instead of letting sgemm re-pack it at every step.
///
/// All matrices are row-major f32. `gemm` computes `C = alpha · op(A) · op(B) + beta · C` with
/// `op(A)` of shape m × k, `op(B)` k × n and `C` m × n, exactly like `cblas_sgemm` with
/// `CblasRowMajor`. When `n == 1` the product is a matrix–vector product and goes to
/// `cblas_sgemv` (measured here: sgemm with one column was about 4× slower than sgemv at 256×320).
/// `naiveGemm` is the obvious reference the tests hold the seam against; training never uses it.
///
/// Threads: OpenBLAS always runs on one thread. `setThreads(n)` sizes the trainer's own team
/// (`StepTeam`), which runs the parts of a recurrent step (rows) and of a large product here
/// (slices of C's rows or columns, or of k), one sgemm each. How a product is split depends on its
/// shape, not on the thread count: a run gives the same bits at any `--threads`. Measured on the training workloads, OpenBLAS's own
/// threads made these products slower, not faster (docs/TRAINING.md, "Training throughput"):
/// they are small or skinny, and its threads sleep between calls.
public enum BLAS {
    private static let count = Atomic<Int>(1)
    /// OpenBLAS's own threading off, once, before the first product.
    private static let singleThreadedOpenBLAS: Void = openblas_set_num_threads(1)

    /// Sets the number of threads the trainer uses (at least 1).
    public static func setThreads(_ threads: Int) {
        _ = singleThreadedOpenBLAS
        count.store(max(1, threads), ordering: .relaxed)
    }

    /// The number of threads the trainer uses (1 until `setThreads`).
    public static var threads: Int { count.load(ordering: .relaxed) }

    /// Below this many multiply-adds a product is not split among threads.
    static let splitThreshold = 1 << 18

    /// `C = alpha · op(A) · op(B) + beta · C`, row-major.
    ///
    /// - Parameters:
    ///   - transA: use Aᵀ (A is stored k × m with leading dimension `lda`).
    ///   - transB: use Bᵀ (B is stored n × k with leading dimension `ldb`).
    ///   - m, n, k: the sizes of the product.
    ///   - lda, ldb, ldc: row strides in elements.
    @inline(__always)
    public static func gemm(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
        _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
        _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        _ = singleThreadedOpenBLAS
        if m == 0 || n == 0 { return }
        if k == 0 {
            // Nothing to multiply: C = beta · C (BLAS leaves C untouched only when beta == 1).
            if beta != 1 {
                for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            }
            return
        }
        if n == 1 && ldc == 1 {
            // y (m) = alpha · op(A) · x + beta · y, x = column 0 of op(B).
            let incx = transB ? 1 : ldb
            if transA {
                // op(A) = Aᵀ, A stored k × m.
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(m), alpha, a, Int32(lda),
                            b, Int32(incx), beta, c, 1)
            } else {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(k), alpha, a, Int32(lda),
                            b, Int32(incx), beta, c, 1)
            }
            return
        }
        // The split depends on the shape alone (not on the thread count), so the bits do too.
        let parts = min(StepTeam.productParts, max(m, n))
        guard parts > 1, m * n * k >= splitThreshold else {
            return sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
        if k >= 4 * max(m, n) {
            // A small C from a long sum (a weight gradient over every timestep): slices of k, part 0
            // into C, the others into scratch added after in part order.
            withScratch((parts - 1) * m * n) { scratch in
                StepTeam.run(parts: parts) { part in
                    let ks = StepTeam.range(part: part, of: parts, count: k)
                    let aSlice = transA ? a + ks.lowerBound * lda : a + ks.lowerBound
                    let bSlice = transB ? b + ks.lowerBound : b + ks.lowerBound * ldb
                    if part == 0 {
                        sgemm(transA, transB, m, n, ks.count, alpha, aSlice, lda, bSlice, ldb, beta, c, ldc)
                    } else {
                        sgemm(transA, transB, m, n, ks.count, alpha, aSlice, lda, bSlice, ldb, 0, scratch + (part - 1) * m * n, n)
                    }
                }
                for part in 1..<parts {
                    for i in 0..<m { VectorMath.add(scratch + (part - 1) * m * n + i * n, into: c + i * ldc, n) }
                }
            }
            return
        }
        // Slices of C's rows, or of its columns when C is wide: each output is one slice's
        // sgemm, with the operands' slices in place.
        StepTeam.run(parts: parts) { part in
            if m >= n {
                let rows = StepTeam.range(part: part, of: parts, count: m)
                let aSlice = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
                sgemm(transA, transB, rows.count, n, k, alpha, aSlice, lda, b, ldb, beta, c + rows.lowerBound * ldc, ldc)
            } else {
                let cols = StepTeam.range(part: part, of: parts, count: n)
                let bSlice = transB ? b + cols.lowerBound * ldb : b + cols.lowerBound
                sgemm(transA, transB, m, cols.count, k, alpha, a, lda, bSlice, ldb, beta, c + cols.lowerBound, ldc)
            }
        }
    }

    /// The k-split's partial sums: one buffer that only grows, so a seq2seq decoder's per-step
    /// input gradients allocate nothing; a second thread that needs it meanwhile (tests train side
    /// by side) gets its own.
    private static let scratch = Mutex(Tensor())

    private static func withScratch(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        let used = scratch.withLockIfAvailable { tensor -> Bool in
            tensor.resize(count)
            body(tensor.data)
            return true
        } ?? false
        if !used {
            let own = UnsafeMutablePointer<Float>.allocate(capacity: count)
            defer { own.deallocate() }
            body(own)
        }
    }

    @inline(__always)
    private static func sgemm(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
        _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
        _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The reference product (triple loop, double accumulation). Tests only.
    public static func naiveGemm(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
        _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int,
        _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let av = transA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(av) * Double(bv)
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * Float(sum) + old
            }
        }
    }
}
