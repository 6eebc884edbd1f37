import Benchmark
import Trainer

// Training throughput of the Trainer (docs/TRAINING.md, "Training throughput"), on the shapes
// scripts/pytorch-throughput.py measures PyTorch with:
//
//   Train classifier …  LSTM(9→64)+Dense(6), batch 64, sequence 128: one iteration = one
//                       training step (64 samples); custom metric `samples/s`.
//   Train charlm …      embedding 64, LSTM 256, 65-way softmax, batch 32, 100 steps of
//                       truncated BPTT: one iteration = one chunk (3,200 characters);
//                       custom metric `chars/s`.
//
// Each at 2 OpenBLAS threads (the target) and 1 (a figure that a busy shared machine disturbs
// less). Plus the product at the heart of a step (batched gate pre-activations through the
// BLAS seam). Run from Benchmarks/: swift package benchmark --target TrainingBenchmarks
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        maxDuration: .seconds(2)
    )

    for threads in [2, 1] {
        for make in [TrainingWorkload.classifier, TrainingWorkload.charLM] {
            let workload = make()
            let rate = BenchmarkMetric.custom("\(workload.unit)/s", polarity: .prefersLarger, useScalingFactor: false)
            Benchmark("Train \(workload.name), \(threads) thread\(threads == 1 ? "" : "s")",
                      configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, rate],
                                           maxDuration: .seconds(10), maxIterations: 200)) { benchmark in
                BLAS.setThreads(threads)
                // The first steps size every cache and optimizer buffer; they are not measured.
                workload.step()
                workload.step()
                let clock = ContinuousClock()
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let start = clock.now
                    blackHole(workload.step())
                    let d = (clock.now - start).components
                    let seconds = Double(d.seconds) + Double(d.attoseconds) * 1e-18
                    benchmark.measurement(rate, Int(Double(workload.itemsPerStep) / seconds))
                }
                benchmark.stopMeasurement()
            }
        }
    }

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
