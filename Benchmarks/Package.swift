// swift-tools-version: 6.1
// Recur's benchmarks: a nested package so that package-benchmark and its
// dependencies never enter the main package's graph. Run from this directory:
//   swift package benchmark                       (every benchmark)
//   swift package benchmark --target KernelBenchmarks
//   swift package benchmark --target RuntimeBenchmarks
// See docs/KERNELS.md for the measured numbers.
import PackageDescription

let package = Package(
    name: "RecurBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Only the MallocInterposer trait: the default traits also fetch package-jemalloc
        // (and need the system's libjemalloc), which the package mirror this was built
        // against does not carry; allocation counts are what the kernel benchmarks gate on.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
                 traits: ["MallocInterposer"]),
        // The Recur package itself (CRuntime comes with its RecurRuntime product).
        .package(name: "Recur", path: ".."),
    ],
    targets: [
        // MARK: Benchmarks

        // Time and allocations per timestep of the C kernel core: int8 and f32
        // LSTM and GRU steps, the scalar path vs every vector path of the CPU.
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecurRuntime", package: "Recur"),
            ],
            path: "Benchmarks/KernelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Training throughput of the Trainer.
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Trainer", package: "Recur"),
            ],
            path: "Benchmarks/TrainingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The Runtime's FrameSession.step, LanguageSession feed + sample, and model load + self-test verification
        // (issue 3's performance targets). Trainer's Exporter builds the model files in setup.
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecurRuntime", package: "Recur"),
                .product(name: "Trainer", package: "Recur"),
            ],
            path: "Benchmarks/RuntimeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
