import CTrainer
import Synchronization
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

    /// The team runs every part exactly once, whatever the thread count, and a step split into
    /// parts gives the forward pass's bits of one part. (The thread count is process-wide and other
    /// suites change it while this one runs: the layers' splits are fixed with `fixedParts`, and
    /// the team, when another thread holds it or the count is 1, runs the parts in order here.)
    @Test func teamRunsEveryPartOnceAndKeepsTheForwardBits() throws {
        let saved = BLAS.threads
        defer { BLAS.setThreads(saved) }
        BLAS.setThreads(2)
        for parts in [1, 2, 3, 7] {
            let counts = Mutex([Int](repeating: 0, count: parts))
            for _ in 0..<50 { StepTeam.run(parts: parts) { part in counts.withLock { $0[part] += 1 } } }
            #expect(counts.withLock { $0 } == [Int](repeating: 50, count: parts))
        }
        #expect(StepTeam.parts(rows: 32, work: 32 * 1024 * 256, threads: 2) == 2)
        #expect(StepTeam.parts(rows: 32, work: StepTeam.threshold - 1, threads: 2) == 1)
        #expect(StepTeam.parts(rows: 1, work: 1 << 30, threads: 2) == 1)
        #expect(StepTeam.parts(rows: 32, work: 1 << 30, threads: 1) == 1)
        for cell in [ModelSpec.Cell.lstm, .gru, .rnnTanh] {
            func outputs(parts: Int) -> [UInt32] {
                var random = SeededRandom(seed: 3)
                let layer = RecurrentLayer(cell: cell, index: 0, inputSize: 5, hidden: 64, random: &random)
                layer.fixedParts = parts
                var rng = SeededGenerator(seed: 4)
                let x = rng.uniforms(7 * 16 * 5)
                x.withUnsafeBufferPointer { layer.forward($0.baseAddress!, steps: 7, batch: 16, initial: nil) }
                return Array(UnsafeBufferPointer(start: layer.outputs, count: 7 * 16 * 64)).map(\.bitPattern)
            }
            #expect(outputs(parts: 1) == outputs(parts: 2), "\(cell)")
            #expect(outputs(parts: 1) == outputs(parts: 3), "\(cell)")
        }
    }

    /// Backward split into parts (rows per part) gives the gradients of one part, bit for bit: the
    /// finite-difference tests run below the team's threshold, this closes the gap.
    @Test func splitBackwardGivesTheGradientsOfOnePart() {
        let saved = BLAS.threads
        defer { BLAS.setThreads(saved) }
        BLAS.setThreads(2)
        for cell in [ModelSpec.Cell.lstm, .gru, .rnnRelu] {
            func gradients(parts: Int) -> [[Float]] {
                var random = SeededRandom(seed: 3)
                let layer = RecurrentLayer(cell: cell, index: 0, inputSize: 5, hidden: 64, random: &random)
                layer.fixedParts = parts
                var rng = SeededGenerator(seed: 4)
                let (steps, batch) = (6, 16)
                let x = rng.uniforms(steps * batch * 5), dOut = rng.uniforms(steps * batch * 64)
                var dX = [Float](repeating: 0, count: x.count)
                x.withUnsafeBufferPointer { x in
                    layer.forward(x.baseAddress!, steps: steps, batch: batch, initial: nil)
                    dOut.withUnsafeBufferPointer { layer.backward($0.baseAddress!, dInput: &dX) }
                }
                return layer.parameters.map { Array(UnsafeBufferPointer(start: $0.gradient.data, count: $0.count)) } + [dX]
            }
            // The bias sums go by fixed row groups, so any split gives the same bits.
            let one = gradients(parts: 1)
            for parts in [2, 3] {
                let split = gradients(parts: parts)
                #expect(one.map { $0.map(\.bitPattern) } == split.map { $0.map(\.bitPattern) }, "\(cell), \(parts) parts")
            }
            #expect(one.allSatisfy { $0.contains { $0 != 0 } })
        }
    }

    /// Runs of different part counts back to back, each part of each run exactly once. A helper
    /// that finished a part comes back to claim another while the caller already sets up the next
    /// run; the team's claims carry the run's number so that it cannot take an index of the old
    /// run against the new run's count (before, it could: a part ran twice, the count of finished
    /// parts overshot, and the caller waited for ever — seen in a 2-thread training). The time
    /// limit turns such a hang into a failure.
    @Test(.timeLimit(.minutes(1)))
    func teamRunsOfOtherSizesBackToBackClaimOnlyTheirOwnParts() {
        let saved = BLAS.threads
        defer { BLAS.setThreads(saved) }
        BLAS.setThreads(2)
        let sizes = [1, 4, 2, 7, 3, 5]
        let counts = Mutex([Int](repeating: 0, count: 8))
        var wrong = 0
        for i in 0..<200_000 {
            let parts = sizes[i % sizes.count]
            StepTeam.run(parts: parts) { part in counts.withLock { $0[part] += 1 } }
            let ran = counts.withLock { counts -> [Int] in
                defer { counts = [Int](repeating: 0, count: 8) }
                return counts
            }
            if ran != (0..<8).map({ $0 < parts ? 1 : 0 }) { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of 200,000 runs ran some part other than once")
    }
}
