import Benchmark
import Trainer

// Training throughput of the Trainer. This file holds the product at the heart
// of a training step (the batched gate pre-activations of a 9→64 LSTM through
// the BLAS seam) so that the target builds and measures something real; the
// trainer branch adds the whole-step training throughput benchmark here.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        maxDuration: .seconds(2)
    )

    // Gates (batch 32, 4·64) = inputs (batch 32, 9 + 64) · weightsᵀ (4·64, 9 + 64).
    let batch = 32, inputs = 9 + 64, rows = 4 * 64
    Benchmark("Trainer gemm LSTM gates 32×(73→256)") { benchmark in
        var random = SeededRandom(seed: 1)
        let a = (0..<batch * inputs).map { _ in random.uniform(-1, 1) }
        let w = (0..<rows * inputs).map { _ in random.uniform(-0.2, 0.2) }
        var c = [Float](repeating: 0, count: batch * rows)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            a.withUnsafeBufferPointer { ap in
                w.withUnsafeBufferPointer { wp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BLAS.gemm(false, true, batch, rows, inputs, 1, ap.baseAddress!, inputs,
                                  wp.baseAddress!, inputs, 0, cp.baseAddress!, rows)
                    }
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(c)
    }
}
