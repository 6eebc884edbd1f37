import RecurRuntime

/// `recur-run MODEL --bench [--steps N] [--json] [--seed S] [--kernels PATH]`: the number a
/// user measures on their own board (like TFLite's benchmark_model or llama-bench).
///
/// After the load (timed), the model runs a warm-up, then `N` timed steps on seeded
/// random input, each with a result:
/// - frame models: one random raw frame per step in one continuous stream (window 0,
///   hop 1), so the head runs on every step (a segment model ends a one-frame segment every
///   step, for the same reason); values are `mean + std · z` with z uniform
///   in [-2, 2) when the file has input statistics, z itself otherwise;
/// - lm: one random token per step (`LanguageSession.feed`, which computes the logits);
/// - seq2seq: one greedy translation per step of a random source (length uniform in
///   1…`recur.source.max_length`), so a "step" is a whole translation.
/// - image_to_text: one greedy decoding per step of a random image (values uniform in
///   [0, 1)), so a "step" is a whole image: encoder and decoder.
/// - text classifier: one classified line per step, a line being `textLineTokens` random token
///   ids (fewer when `recur.text.max_length` is smaller), so a "step" is a whole line.
///
/// Each step is timed on its own with the monotonic clock; the report gives the
/// nearest-rank p50/p90/p99, mean and minimum in ns, steps per second (timed steps
/// over the sum of their times), the clock's own cost per reading, the peak resident
/// set size and the kernel path. The inputs are generated before the timing and the
/// timed loop allocates nothing for frame models, lm and text classifiers (a translation
/// returns its tokens in an array).
struct BenchRunner {
    /// Timed steps when `--steps` is not given: frames/tokens, and translations.
    static let defaultSteps = 10_000
    static let defaultTranslations = 200
    /// Timed lines (text classifier) when `--steps` is not given, and the tokens of each.
    static let defaultTextLines = 1000
    static let textLineTokens = 32
    /// Random inputs generated up front and cycled through.
    static let inputRing = 256

    let model: Model
    let options: Options
    let output: OutputStream

    /// Why the options cannot be benchmarked, or nil (checked before the model runs).
    static func problem(_ options: Options) -> String? {
        if options.mode != .bench {
            return options.steps == nil ? nil : "--steps applies to --bench"
        }
        if options.window != nil || options.hop != nil {
            return "--bench runs one continuous stream with a result every step (window 0, hop 1); --window and --hop do not apply"
        }
        if !options.prime.isEmpty || options.temperature != nil || options.topK != 0
            || options.beam != nil || options.nbest != nil || options.alphaGiven || options.truncate
        {
            return "--bench takes --steps, --seed, --json and --kernels only"
        }
        return nil
    }

    func run(loadNanoseconds: UInt64) throws(RecurError) -> ExitCode {
        let steps: Int
        switch model.task {
        case .seq2seq, .imageToText: steps = options.steps ?? BenchRunner.defaultTranslations
        case .textClassifier: steps = options.steps ?? BenchRunner.defaultTextLines
        case .classifier, .regressor, .lm, .memoryQA: steps = options.steps ?? BenchRunner.defaultSteps
        }
        let warmup = min(max(steps / 10, 1), 1000)
        let step = try makeStep()

        for i in 0..<warmup { try step(i) }
        var times = [UInt64](repeating: 0, count: steps)
        var total: UInt64 = 0
        for i in 0..<steps {
            let start = Platform.monotonicNanoseconds()
            try step(warmup + i)
            let elapsed = Platform.monotonicNanoseconds() - start
            times[i] = elapsed
            total += elapsed
        }
        times.sort()
        let report = Report(
            loadNanoseconds: loadNanoseconds, warmup: warmup, steps: steps,
            p50: BenchRunner.percentile(times, 50), p90: BenchRunner.percentile(times, 90),
            p99: BenchRunner.percentile(times, 99), minimum: times[0],
            mean: Double(total) / Double(steps),
            stepsPerSecond: total == 0 ? 0 : Double(steps) * 1e9 / Double(total),
            clockNanoseconds: BenchRunner.clockCost(),
            peakResidentBytes: Platform.peakResidentBytes())
        if options.json { writeJSON(report) } else { writeText(report) }
        try output.flushLine()
        return .ok
    }

    // MARK: The step

    /// A closure that runs step `i` (input `i mod inputRing`) with its result.
    private func makeStep() throws(RecurError) -> (Int) throws(RecurError) -> Void {
        var random = RecurRandom(seed: options.seed)
        let ring = BenchRunner.inputRing
        switch model.task {
        case .seq2seq:
            guard let configuration = model.seq2seq else { throw .internalError("seq2seq model without its configuration") }
            let translator = try model.makeTranslator(beamWidth: 1, kernels: options.kernels)
            let vocabulary = UInt32(configuration.sourceVocabulary.count)
            let longest = UInt32(configuration.sourceMaxLength)
            var sources: [[Int32]] = []
            for _ in 0..<ring {
                let length = 1 + Int(random.next32() % longest)
                var source: [Int32] = []
                for _ in 0..<length { source.append(Int32(random.next32() % vocabulary)) }
                sources.append(source)
            }
            return { (i: Int) throws(RecurError) in _ = try translator.greedy(sources[i % ring]) }
        case .imageToText:
            guard let image = model.image else { throw .internalError("image_to_text model without its configuration") }
            let translator = try model.makeTranslator(beamWidth: 1, kernels: options.kernels)
            let count = image.input.count
            // Fewer distinct images for large inputs: the ring stays within 16 Mi floats.
            let images = max(1, min(ring, (16 << 20) / count))
            var values: [[Float]] = []
            for _ in 0..<images {
                var pixels = [Float](repeating: 0, count: count)
                for k in 0..<count { pixels[k] = random.nextUnitFloat() }
                values.append(pixels)
            }
            return { (i: Int) throws(RecurError) in _ = try translator.greedy(image: values[i % images]) }
        case .textClassifier:
            let classifier = try model.makeTextClassifier(kernels: options.kernels)
            let length = textLineLength
            let vocabulary = UInt32(classifier.configuration.vocabulary.count)
            var lines = [Int32](repeating: 0, count: ring * length)
            for i in 0..<lines.count { lines[i] = Int32(random.next32() % vocabulary) }
            return { (i: Int) throws(RecurError) in
                let start = (i % ring) * length
                _ = try lines.withUnsafeBufferPointer { (all) throws(RecurError) -> TextResult in
                    try classifier.classify(ids: UnsafeBufferPointer(rebasing: all[start..<start + length]))
                }
            }
        case .lm:
            let session = try model.makeLanguageSession(kernels: options.kernels)
            let vocabulary = UInt32(session.vocabularySize)
            var tokens: [Int] = []
            for _ in 0..<ring { tokens.append(Int(random.next32() % vocabulary)) }
            return { (i: Int) throws(RecurError) in try session.feed(tokens[i % ring]) }
        case .memoryQA:
            // `RecurRun.modeProblem` refuses --bench for a memory network before it loads.
            throw .wrongTask(expected: "a model with a step to benchmark", found: model.task.rawValue)
        case .classifier, .regressor:
            let session = try model.makeFrameSession(window: 0, hop: 1, kernels: options.kernels)
            let frames = session.configuration
            let segments = frames.segments
            let width = frames.rawInputSize
            let scaled = frames.preprocessor == nil && frames.mean.count == width
            var values = [Float](repeating: 0, count: ring * width)
            for f in 0..<ring {
                for c in 0..<width {
                    let z = random.nextUnitFloat() * 4 - 2
                    values[f * width + c] = scaled ? frames.mean[c] + frames.std[c] * z : z
                }
            }
            return { (i: Int) throws(RecurError) in
                let start = (i % ring) * width
                var result = try values.withUnsafeBufferPointer { (all) throws(RecurError) -> FrameResult? in
                    try session.stepRaw(UnsafeBufferPointer(rebasing: all[start..<start + width]))
                }
                // A segment model gives results per segment: every frame ends one, so the head
                // still runs on every step (the state then restarts from zero each frame).
                if segments { result = try session.endSegment() }
                if result == nil { throw .internalError("--bench: step \(i) gave no result (window 0, hop 1)") }
            }
        }
    }

    // MARK: Figures

    struct Report {
        let loadNanoseconds: UInt64
        let warmup: Int
        let steps: Int
        let p50, p90, p99, minimum: UInt64
        let mean: Double
        let stepsPerSecond: Double
        let clockNanoseconds: UInt64
        let peakResidentBytes: UInt64
    }

    /// The nearest-rank percentile of sorted values: the ⌈p·n/100⌉-th smallest.
    static func percentile(_ sorted: [UInt64], _ p: Int) -> UInt64 {
        let rank = (p * sorted.count + 99) / 100
        return sorted[max(rank, 1) - 1]
    }

    /// The median cost of one clock reading (back-to-back pairs), in ns: what every
    /// per-step time includes once.
    static func clockCost() -> UInt64 {
        var pairs = [UInt64](repeating: 0, count: 1001)
        for i in 0..<pairs.count {
            let a = Platform.monotonicNanoseconds()
            pairs[i] = Platform.monotonicNanoseconds() - a
        }
        pairs.sort()
        return pairs[pairs.count / 2]
    }

    /// What one step is, for the report.
    private var unit: String {
        switch model.task {
        case .seq2seq: return "translation"
        case .textClassifier: return "line"
        case .lm: return "token"
        case .classifier, .regressor: return "frame"
        case .memoryQA: return "question"
        case .imageToText: return "image"
        }
    }

    /// Tokens per benchmarked line (text classifier).
    private var textLineLength: Int {
        min(BenchRunner.textLineTokens, model.textClassifier?.maxLength ?? BenchRunner.textLineTokens)
    }

    /// `9 → lstm 64 → dense(softmax) 6` for the stack (the encoder's, for seq2seq).
    private var shape: String {
        var text = model.layers.isEmpty ? "" : "\(model.layers[0].input)"
        for layer in model.layers { text += " → \(layer.kind.name) \(layer.output)" }
        return text
    }

    private var weightType: String { model.layers.first?.weightType.rawValue ?? "none" }

    private func writeText(_ r: Report) {
        output.write("bench: \(options.modelPath) (\(model.task.rawValue), \(shape), \(weightType))\n")
        output.write("kernels: \(options.kernels.activeName)\n")
        output.write("load: ")
        output.write(Float(r.loadNanoseconds) / 1e6, decimals: 2)
        output.write(" ms\n")
        output.write("steps: \(r.steps) timed after \(r.warmup) warm-up, one \(unit) each")
        if model.task == .classifier || model.task == .regressor {
            output.write(" (window 0, hop 1: the head on every step)")
        } else if model.task == .textClassifier {
            output.write(" (\(textLineLength) random token ids)")
        }
        output.write(", seed \(options.seed)\n")
        output.write("ns per step: p50 \(r.p50), p90 \(r.p90), p99 \(r.p99), mean ")
        output.write(Float(r.mean), decimals: 0)
        output.write(", min \(r.minimum) (clock reading \(r.clockNanoseconds) ns)\n")
        output.write("steps/s: ")
        output.write(Float(r.stepsPerSecond), decimals: 0)
        output.write("\npeak RSS: ")
        output.write(Float(r.peakResidentBytes) / 1_048_576, decimals: 1)
        output.write(" MiB")
    }

    private func writeJSON(_ r: Report) {
        output.write("{\"model\": ")
        output.writeJSONString(options.modelPath)
        output.write(", \"task\": ")
        output.writeJSONString(model.task.rawValue)
        output.write(", \"weights\": ")
        output.writeJSONString(weightType)
        output.write(", \"kernels\": ")
        output.writeJSONString(options.kernels.activeName)
        output.write(", \"unit\": ")
        output.writeJSONString(unit)
        output.write(", \"load_ms\": ")
        output.writeJSONNumber(Float(r.loadNanoseconds) / 1e6)
        output.write(", \"warmup\": \(r.warmup), \"steps\": \(r.steps), \"seed\": \(options.seed)")
        output.write(", \"p50_ns\": \(r.p50), \"p90_ns\": \(r.p90), \"p99_ns\": \(r.p99), \"min_ns\": \(r.minimum)")
        output.write(", \"mean_ns\": ")
        output.writeJSONNumber(Float(r.mean))
        output.write(", \"steps_per_s\": ")
        output.writeJSONNumber(Float(r.stepsPerSecond))
        output.write(", \"clock_ns\": \(r.clockNanoseconds), \"peak_rss_bytes\": \(r.peakResidentBytes)}")
    }
}
