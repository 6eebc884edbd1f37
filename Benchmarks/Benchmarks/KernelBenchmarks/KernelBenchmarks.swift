import Benchmark
import CRuntime

// Time and allocations per timestep of one recurrent layer in the C core:
// int8 and f32 weights, LSTM and GRU, at (input 9, hidden 64) and (input 64,
// hidden 256), on the scalar reference and on every vector path of this CPU.
//
// Each benchmark iteration runs 1,000 steps (scalingFactor .kilo), so the
// reported time is per step. docs/KERNELS.md records the medians.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    let shapes: [(input: Int, hidden: Int)] = [(9, 64), (64, 256)]
    let cells: [(rc_cell, String)] = [(RC_CELL_LSTM, "LSTM"), (RC_CELL_GRU, "GRU")]
    // The scalar reference, then every vector path this CPU runs (on x86-64 with
    // AVX-512 VNNI both avx2 and avx512-vnni, so the two can be compared).
    var paths: [OpaquePointer] = [rc_kernels_for(RC_PATH_SCALAR)!]
    for raw in 1..<UInt32(RC_PATH_COUNT) {
        if let table = rc_kernels_for(rc_path(rawValue: raw)) { paths.append(table) }
    }

    for (cell, cellName) in cells {
        for quantized in [true, false] {
            for shape in shapes {
                for kernels in paths {
                    let path = String(cString: rc_path_name(rc_kernels_path(kernels)))
                    let name = "\(cellName) \(quantized ? "int8" : "f32") \(shape.input)→\(shape.hidden) \(path)"
                    let fixture = StepFixture(cell: cell, input: shape.input, hidden: shape.hidden,
                                              quantized: quantized, kernels: kernels)
                    Benchmark(name) { benchmark in
                        for _ in benchmark.scaledIterations {
                            fixture.step()
                        }
                    }
                }
            }
        }
    }
}
