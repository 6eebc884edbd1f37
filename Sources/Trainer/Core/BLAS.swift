import COpenBLAS

/// The seam through which the trainer's matrix products go — all but the recurrent layers'
/// per-timestep products with W_hh, which use a weight packed once per forward or backward
/// (`PackedMatrix`) instead of letting sgemm re-pack it at every step.
///
/// All matrices are row-major f32. `gemm` computes `C = alpha · op(A) · op(B) + beta · C` with
/// `op(A)` of shape m × k, `op(B)` k × n and `C` m × n, exactly like `cblas_sgemm` with
/// `CblasRowMajor`. When `n == 1` the product is a matrix–vector product and goes to
/// `cblas_sgemv` (measured here: sgemm with one column was about 4× slower than sgemv at 256×320).
/// `naiveGemm` is the obvious reference the tests hold the seam against; training never uses it.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses for its kernels (at least 1).
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }

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
