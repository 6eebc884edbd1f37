import CTrainer
import Testing
import TestSupport
@testable import Trainer

/// The packed product of the recurrent steps (CTrainer, `PackedMatrix`) against the naive triple
/// loop, on every path this CPU runs, at sizes that leave partial row blocks and partial panels.
@Suite(.serialized) struct PackedMatrixTests {
    static let paths = [RT_PATH_PORTABLE, RT_PATH_AVX2_FMA].filter { rt_path_available($0) != 0 }

    /// C (m × n, padded rows) = or += A (m × k, padded rows) · op(W), W stored (n × k) when
    /// `transposed` (B = Wᵀ, the forward step) else (k × n). Returns the worst error relative to
    /// the terms' size, and checks that the padding columns of C are never written.
    func compare(m: Int, n: Int, k: Int, transposed: Bool, accumulate: Bool, path: rt_path,
                 _ rng: inout SeededGenerator) -> (error: Float, result: [Float]) {
        let (wRows, wCols) = transposed ? (n, k) : (k, n)
        let lda = k + 3, ldc = n + 2
        let a = rng.uniforms(m * lda), w = rng.uniforms(wRows * wCols), c0 = rng.uniforms(m * ldc)
        let packed = PackedMatrix()
        packed.pack(w, rows: wRows, cols: wCols, transposed: transposed)
        #expect(packed.k == k && packed.n == n)
        var fast = c0, slow = c0
        packed.multiply(a, rows: m, lda: lda, into: &fast, ldc: ldc, accumulate: accumulate, path: path)
        BLAS.naiveGemm(false, transposed, m, n, k, 1, a, lda, w, wCols, accumulate ? 1 : 0, &slow, ldc)
        var worst: Float = 0
        for i in 0..<m {
            for j in 0..<n { worst = max(worst, abs(fast[i * ldc + j] - slow[i * ldc + j]) / Float(k + 1)) }
            for j in n..<ldc { #expect(fast[i * ldc + j] == c0[i * ldc + j], "padding column \(j) of row \(i) written") }
        }
        return (worst, fast)
    }

    @Test("packed product equals the naive one: W and Wᵀ, = and +=, partial blocks and panels (rel. 1e-6)")
    func matchesTheNaiveProduct() {
        #expect(Self.paths.contains(RT_PATH_PORTABLE))
        var rng = SeededGenerator(seed: 5)
        for path in Self.paths {
            for (m, n, k) in [(1, 1, 1), (5, 16, 3), (6, 17, 9), (7, 33, 1), (13, 15, 40), (32, 64, 16), (2, 100, 31)] {
                for transposed in [false, true] {
                    for accumulate in [false, true] {
                        let error = compare(m: m, n: n, k: k, transposed: transposed, accumulate: accumulate, path: path, &rng).error
                        #expect(error < 1e-6, "path \(path.rawValue) m=\(m) n=\(n) k=\(k) transposed=\(transposed) accumulate=\(accumulate): \(error)")
                    }
                }
            }
        }
    }

    /// A product big enough to be split among threads gives the same bits as on one thread.
    @Test func threadsDoNotChangeTheBits() {
        let saved = BLAS.threads
        defer { BLAS.setThreads(saved) }
        for path in Self.paths {
            var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
            BLAS.setThreads(1)
            let one = compare(m: 32, n: 1024, k: 64, transposed: true, accumulate: true, path: path, &first).result
            BLAS.setThreads(2)
            let two = compare(m: 32, n: 1024, k: 64, transposed: true, accumulate: true, path: path, &second).result
            #expect(32 * 1024 * 64 >= PackedMatrix.threadingThreshold)
            #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "path \(path.rawValue)")
        }
    }
}
