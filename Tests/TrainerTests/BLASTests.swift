import Testing
import TestSupport
@testable import Trainer

/// The BLAS seam (cblas_sgemm / cblas_sgemv) against the naive triple loop.
@Suite struct BLASTests {
    /// Runs one product through both paths with padded leading dimensions and a non-zero C.
    func compare(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Float, beta: Float,
                 _ rng: inout SeededGenerator) -> Float {
        // A stored (m, k) or (k, m); B stored (k, n) or (n, k); padding columns in every matrix.
        let (aRows, aCols) = ta ? (k, m) : (m, k)
        let (bRows, bCols) = tb ? (n, k) : (k, n)
        let lda = aCols + 1, ldb = bCols + 2, ldc = n + 1
        let a = rng.uniforms(aRows * lda), b = rng.uniforms(bRows * ldb), c0 = rng.uniforms(m * ldc)
        var fast = c0, slow = c0
        BLAS.gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, &fast, ldc)
        BLAS.naiveGemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, &slow, ldc)
        var worst: Float = 0
        for i in 0..<m {
            for j in 0..<n {
                // Relative to the size of the terms: |alpha|·k + |beta|.
                let scale = abs(alpha) * Float(max(k, 1)) + abs(beta)
                worst = max(worst, abs(fast[i * ldc + j] - slow[i * ldc + j]) / scale)
            }
            // The padding column of C is never written.
            #expect(fast[i * ldc + n] == c0[i * ldc + n])
        }
        return worst
    }

    @Test("gemm equals the naive product for every transpose combination at odd sizes (rel. 1e-6)")
    func everyTransposeOddSizes() {
        var rng = SeededGenerator(seed: 11)
        for ta in [false, true] {
            for tb in [false, true] {
                for (m, n, k) in [(1, 1, 1), (3, 7, 5), (17, 9, 33), (8, 16, 15), (31, 3, 1), (2, 257, 7)] {
                    let err = compare(ta, tb, m, n, k, alpha: 0.75, beta: 0.5, &rng)
                    #expect(err < 1e-6, "ta=\(ta) tb=\(tb) m=\(m) n=\(n) k=\(k): \(err)")
                }
            }
        }
    }

    @Test("the n == 1 path (sgemv) equals the naive product, beta 0 and 1")
    func matrixVectorPath() {
        var rng = SeededGenerator(seed: 12)
        for ta in [false, true] {
            for tb in [false, true] {
                for (m, k) in [(1, 1), (7, 3), (33, 17), (5, 64)] {
                    for beta: Float in [0, 1] {
                        // B is one column: stored (k, 1) with ldb 1, or (1, k) transposed with ldb k.
                        let (aRows, aCols) = ta ? (k, m) : (m, k)
                        let ldb = tb ? k : 1
                        let a = rng.uniforms(aRows * aCols), b = rng.uniforms(k)
                        let c0 = rng.uniforms(m)
                        var fast = c0, slow = c0
                        BLAS.gemm(ta, tb, m, 1, k, 1, a, aCols, b, ldb, beta, &fast, 1)
                        BLAS.naiveGemm(ta, tb, m, 1, k, 1, a, aCols, b, ldb, beta, &slow, 1)
                        for i in 0..<m {
                            #expect(abs(fast[i] - slow[i]) <= 1e-6 * Float(k + 1), "ta=\(ta) tb=\(tb) m=\(m) k=\(k) i=\(i)")
                        }
                    }
                }
            }
        }
    }

    @Test("k == 0 scales C by beta; beta 0 overwrites NaN already in C")
    func emptyInnerDimension() {
        let a: [Float] = [1], b: [Float] = [1]
        var c: [Float] = [2, 4, .nan, 8]
        BLAS.gemm(false, false, 2, 2, 0, 1, a, 1, b, 2, 0.5, &c, 2)
        #expect(c[0] == 1 && c[1] == 2 && c[3] == 4)
        var d: [Float] = [.nan, .nan]
        BLAS.gemm(false, false, 1, 2, 3, 1, [1, 2, 3], 3, [1, 0, 0, 1, 1, 1], 2, 0, &d, 2)
        #expect(d == [4, 5])
    }

    /// With 2 threads a large product is split: by C's rows, by its columns when C is wide, by k
    /// when C is small and the sum long (a weight gradient). Each split equals the naive product.
    @Test func splitProductsEqualTheNaiveOne() {
        let saved = BLAS.threads
        defer { BLAS.setThreads(saved) }
        BLAS.setThreads(2)
        var rng = SeededGenerator(seed: 13)
        // rows (m ≥ n), columns (n > m), k (k ≥ 4 · max(m, n)); every product ≥ the split threshold
        for (m, n, k) in [(301, 40, 30), (37, 513, 29), (33, 17, 4099)] {
            #expect(m * n * k >= BLAS.splitThreshold)
            for ta in [false, true] {
                for tb in [false, true] {
                    let err = compare(ta, tb, m, n, k, alpha: 0.75, beta: 0.5, &rng)
                    #expect(err < 1e-6, "ta=\(ta) tb=\(tb) m=\(m) n=\(n) k=\(k): \(err)")
                }
            }
        }
    }
}
