import Benchmark
import Foundation
import RecurRuntime
import Trainer

// The Runtime's performance targets (issue 3; docs/RUNTIME.md, "The allocation contract"):
//
//   FrameSession.step … one frame through a classifier session, int8 and f32: 9→64 LSTM + dense(6)
//                    and 64→256 LSTM + dense(65), window 0 (one continuous stream, a result
//                    every frame) and window 128 / hop 64 (two staggered states, a result every
//                    64 frames). One iteration = 1,000 steps (scalingFactor .kilo): times are
//                    per step. The contract: mallocCountTotal 0.
//   lm feed+sample … one token through embedding 64 → LSTM 256 → dense(65), then a draw at
//                    temperature 0.8 over all tokens, the draw fed back (generation). Per token.
//   MemorySession.read … one line of a story through a memory network of models/babi-qa1.rnnz's
//                    shape (d 20, 3 hops, 50 sentences, 17 words), int8 and f32: four sentences
//                    stored for each question answered, the memory full (every store drops the
//                    oldest). Per line. The contract: mallocCountTotal 0.
//   Load / verify …  Model(contentsOf:) of a ≈1 MB int8 lm file (embedding 64 → 2 × LSTM 272 →
//                    65) and verifySelfTests of its two embedded 32-token cases (what `recur
//                    train` embeds for a charlm). The target: load + verify under 20 ms.
//
// The models are seeded random weights exported by the Trainer's Exporter in each benchmark's
// setup hook. Run from Benchmarks/: swift package benchmark --target RuntimeBenchmarks
let benchmarks: @Sendable () -> Void = {
    let perStep = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    // MARK: FrameSession.step

    let classifiers: [(name: String, input: Int, hidden: Int, classes: Int)] = [
        ("9→64 + dense 6", 9, 64, 6),
        ("64→256 + dense 65", 64, 256, 65),
    ]
    for shape in classifiers {
        for quantized in [true, false] {
            for (window, hop) in [(0, 1), (128, 64)] {
                let windowing = window == 0 ? "window 0" : "window \(window) hop \(hop)"
                let stream = Fixture { () throws -> FrameStream in
                    let file = BenchmarkModels.classifier(
                        input: shape.input, hidden: shape.hidden, classes: shape.classes,
                        window: 128, hop: 64, seed: UInt64(shape.hidden))
                    let model = try BenchmarkModels.export(file, quantized: quantized).model
                    return try FrameStream(model: model, window: window, hop: hop, seed: 9)
                }
                perStepBenchmark(
                    "FrameSession.step \(quantized ? "int8" : "f32") LSTM \(shape.name), \(windowing)",
                    perStep, stream) { stream throws(RecurError) in try stream.step() }
            }
        }
    }

    // MARK: lm feed + sample

    for quantized in [true, false] {
        let generator = Fixture { () throws -> TokenGenerator in
            let file = BenchmarkModels.languageModel(vocabulary: 65, width: 64, hidden: 256, depth: 1, seed: 65)
            return try TokenGenerator(model: try BenchmarkModels.export(file, quantized: quantized).model, seed: 7)
        }
        perStepBenchmark(
            "lm feed+sample \(quantized ? "int8" : "f32") embedding 64 → LSTM 256 → 65",
            perStep, generator) { generator throws(RecurError) in try generator.next() }
    }

    // MARK: MemorySession.read

    for quantized in [true, false] {
        let reader = Fixture { () throws -> StoryReader in
            var settings = BabiSettings()
            settings.dim = 20
            settings.hops = 3
            settings.memory = 50
            let network = MemoryNetwork(vocabulary: StoryReader.vocabulary, dim: 20, hops: 3, capacity: 50, seed: 50)
            let exported = try MemoryExport.export(network, settings: settings, selfTestInputs: [], quantized: quantized, to: nil)
            return try StoryReader(model: exported.model)
        }
        perStepBenchmark(
            "MemorySession.read \(quantized ? "int8" : "f32") d 20, 3 hops, 50 sentences (4 stored : 1 question)",
            perStep, reader) { reader throws(RecurError) in try reader.read() }
    }

    // MARK: Load and verify

    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("recur-runtime-bench-\(ProcessInfo.processInfo.processIdentifier).rnnz").path
    // Written by each load benchmark's setup hook and removed by its teardown.
    let writeModelFile: Benchmark.BenchmarkSetupHook = {
        let file = BenchmarkModels.languageModel(vocabulary: 65, width: 64, hidden: 272, depth: 2, seed: 1)
        var random = SeededRandom(seed: 32)
        let cases: [SelfTestInput] = (0..<2).map { _ in
            .tokens((0..<32).map { _ in Int32(random.next() % 65) })
        }
        let bytes = try BenchmarkModels.export(file, quantized: true, selfTestInputs: cases, to: path).bytes
        FileHandle.standardError.write(Data("RuntimeBenchmarks: \(path) is \(bytes) bytes\n".utf8))
    }
    let loaded = Fixture { () throws -> Model in try Model(contentsOf: path) }
    let perCall = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(3),
        maxIterations: 2_000
    )
    let removeFile: Benchmark.BenchmarkTeardownHook = { try? FileManager.default.removeItem(atPath: path) }

    Benchmark(
        "Model(contentsOf:) ≈1 MB int8 lm",
        configuration: perCall,
        closure: { _ throws in blackHole(try Model(contentsOf: path)) },
        setup: writeModelFile,
        teardown: removeFile)
    Benchmark(
        "verifySelfTests ≈1 MB int8 lm (2 × 32 tokens)",
        configuration: perCall,
        closure: { _ throws in blackHole(try loaded.value.verifySelfTests()) },
        setup: {
            try await writeModelFile()
            try loaded.build()
        },
        teardown: removeFile)
    Benchmark(
        "load + verifySelfTests ≈1 MB int8 lm (target < 20 ms)",
        configuration: perCall,
        closure: { _ throws in blackHole(try Model(contentsOf: path).verifySelfTests()) },
        setup: writeModelFile,
        teardown: removeFile)
}

/// Registers a benchmark that builds `fixture` in its setup hook and calls `body` on it once per
/// scaled iteration (so with `.kilo` the reported figures are per call of `body`).
func perStepBenchmark<Value>(_ name: String, _ configuration: Benchmark.Configuration, _ fixture: Fixture<Value>,
                             _ body: @escaping (Value) throws(RecurError) -> Int) {
    Benchmark(
        name,
        configuration: configuration,
        closure: { benchmark throws in
            let value = fixture.value
            for _ in benchmark.scaledIterations {
                blackHole(try body(value))
            }
        },
        setup: { try fixture.build() })
}
