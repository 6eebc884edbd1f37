import RecurRuntime

/// The board binary: parses the command line, loads the model, and runs the mode.
///
/// Every outcome becomes an exit code here (`ExitCode`); nothing below traps on
/// input. Errors go to stderr as `recur-run: <what>`; results to stdout.
enum RecurRun {
    static func run(arguments: [String]) -> ExitCode {
        OutputStream.ignoreBrokenPipeSignal()
        let diagnostics = Diagnostics()
        let output = OutputStream(fd: 1)

        let options: Options
        do {
            options = try Options.parse(arguments)
        } catch {
            diagnostics.report(error.message)
            return .usage
        }
        if options.mode == .help {
            output.write(HelpText.text)
            return finish(output, diagnostics)
        }
        if options.mode == .version {
            output.write(RecurVersion.string)
            output.write("\n")
            return finish(output, diagnostics)
        }

        let started = Platform.monotonicNanoseconds()
        let model: Model
        do {
            let file = try FileContents.withBytes(ofFile: options.modelPath, limit: Rnnz.defaultLimit) {
                (bytes) throws(RecurError) -> GGUFFile in try Rnnz.decode(bytes, limit: Rnnz.defaultLimit)
            }
            model = try Model(file: file)
        } catch {
            diagnostics.report("\(options.modelPath): \(error)")
            return .modelInvalid
        }
        let loaded = Platform.monotonicNanoseconds()
        if let problem = modeProblem(options, model) {
            diagnostics.report(problem)
            return .usage
        }

        do throws(RecurError) {
            switch options.mode {
            case .help, .version:
                return .ok
            case .info:
                // The path must exist on this CPU for --info to name it.
                if !options.kernels.isAvailable { throw .kernelUnavailable(options.kernels.requestedName) }
                ModelDescription.write(model, kernels: options.kernels, to: output)
                try output.flushLine()
                return .ok
            case .bench:
                return try BenchRunner(model: model, options: options, output: output)
                    .run(loadNanoseconds: loaded - started)
            case .verify:
                return try verify(model, options, output, diagnostics, loadNanoseconds: loaded - started)
            case .stream where model.task == .textClassifier:
                let runner = try TextRunner(model: model, options: options, output: output, diagnostics: diagnostics)
                return try runner.run(input: LineReader(fd: 0))
            case .stream where model.task == .memoryQA:
                let runner = try MemoryRunner(model: model, json: options.json, output: output, diagnostics: diagnostics)
                return try runner.run(input: LineReader(fd: 0, maxLineLength: MemoryRunner.maxLineBytes))
            case .stream where model.task == .seq2seq || model.task == .imageToText:
                let runner = try TranslationRunner(
                    model: model, options: options, output: output, diagnostics: diagnostics)
                return try runner.run(input: LineReader(fd: 0))
            case .stream where model.task == .lm, .generate, .score:
                let session = try model.makeLanguageSession(kernels: options.kernels)
                let input = LineReader(fd: 0)
                let runner = LanguageRunner(
                    model: model, session: session, options: options, output: output, diagnostics: diagnostics)
                switch options.mode {
                case .generate(let count): return try runner.generate(count: count)
                case .score: return try runner.score(input: input)
                default: return try runner.continueLines(input: input)
                }
            case .stream:
                let session = try model.makeFrameSession(window: options.window, hop: options.hop, kernels: options.kernels)
                let input = LineReader(fd: 0)
                let streamer = FrameStreamer(
                    model: model, session: session, json: options.json, strict: options.strict,
                    output: output, diagnostics: diagnostics)
                return try streamer.run(input: input)
            }
        } catch {
            let code = ExitCode.forRunning(error)
            if code != .ok { diagnostics.report("\(error)") }
            return code
        }
    }

    /// `--verify`: recompute the self-tests; one line on stdout when they match.
    private static func verify(
        _ model: Model, _ options: Options, _ output: OutputStream, _ diagnostics: Diagnostics,
        loadNanoseconds: UInt64
    ) throws(RecurError) -> ExitCode {
        guard !model.selfTests.isEmpty else {
            diagnostics.report("\(options.modelPath): the file holds no self-test vectors (recur.selftest.count is 0)")
            return .modelInvalid
        }
        let started = Platform.monotonicNanoseconds()
        let report: SelfTestReport
        do {
            report = try model.verifySelfTests(kernels: options.kernels)
        } catch .selfTestMismatch(let testCase, let index, let expected, let found, let largest) {
            diagnostics.report(
                "\(options.modelPath): verify FAILED: self-test \(testCase) differs at output \(index): "
                    + "expected \(expected), computed \(found); largest difference \(largest) "
                    + "(kernels \(options.kernels.activeName)). The file was altered, or this "
                    + "machine computes differently from the one that exported it.")
            return .modelInvalid
        }
        let verified = Platform.monotonicNanoseconds()
        output.write("verify: OK, ")
        output.write(report.cases)
        output.write(report.cases == 1 ? " self-test, " : " self-tests, ")
        output.write(report.values)
        output.write(" values bit-identical (kernels ")
        output.write(report.kernelName)
        output.write("; load ")
        output.write(Float(loadNanoseconds) / 1e6, decimals: 2)
        output.write(" ms, verify ")
        output.write(Float(verified - started) / 1e6, decimals: 2)
        output.write(" ms)")
        try output.flushLine()
        return .ok
    }

    /// Why the options do not fit the model's task, or nil.
    private static func modeProblem(_ options: Options, _ model: Model) -> String? {
        let isLM = model.task == .lm
        let isImage = model.task == .imageToText
        let isSeq2Seq = model.task == .seq2seq || isImage
        if options.render && !isImage {
            return "--render applies to image_to_text models; this model is \(model.task == .lm ? "an" : "a") \(model.task.rawValue)"
        }
        if options.render && model.image?.render == nil {
            return "--render: this model has no render table (recur.target.render.*)"
        }
        if isImage && options.truncate { return "--truncate applies to source lines; an image_to_text model reads images" }
        let isText = model.task == .textClassifier
        if model.task == .memoryQA { return memoryProblem(options) }
        if let problem = BenchRunner.problem(options) { return problem }
        switch options.mode {
        case .generate, .score:
            if !isLM { return "--generate and --score need a language model; this model is a \(model.task.rawValue)" }
        case .stream where isLM || isSeq2Seq || isText:
            if options.window != nil || options.hop != nil {
                return "--window and --hop apply to frame models, not \(isLM ? "an lm" : isText ? "a text classifier" : "a seq2seq model")"
            }
        case .stream where model.frames?.segments == true:
            if options.window != nil || options.hop != nil {
                return "--window and --hop do not apply to a segment model: a blank line ends each segment"
            }
        default:
            break
        }
        if isText { return textProblem(options) }
        let decoding = options.beam != nil || options.nbest != nil || options.alphaGiven || options.truncate
        if !isSeq2Seq && decoding {
            return "--beam, --nbest, --alpha and --truncate apply to seq2seq models; this model is \(isLM ? "an" : "a") \(model.task.rawValue)"
        }
        if isSeq2Seq {
            return seq2seqProblem(options)
        }
        if !isLM && (!options.prime.isEmpty || options.temperature != nil || options.topK != 0) {
            return "--prime, --temperature and --top-k apply to language models; this model is a \(model.task.rawValue)"
        }
        return nil
    }

    /// Why the options do not fit a memory network, or nil: it reads a story on stdin and takes
    /// --json (and --info, --verify, the checks and --kernels).
    private static func memoryProblem(_ options: Options) -> String? {
        if options.window != nil || options.hop != nil || options.beam != nil || options.nbest != nil
            || options.alphaGiven || options.truncate || !options.prime.isEmpty || options.temperature != nil
            || options.topK != 0
        {
            return "a memory_qa model takes --json, --info and --verify only"
        }
        switch options.mode {
        case .generate, .score, .bench:
            return "a memory_qa model reads a story on stdin; --generate, --score and --bench do not apply"
        default:
            return options.steps == nil ? nil : "--steps applies to --bench"
        }
    }

    /// Why the options do not fit a text classifier, or nil: it takes --json, --strict and
    /// --truncate (and the checks and --kernels).
    private static func textProblem(_ options: Options) -> String? {
        if options.beam != nil || options.nbest != nil || options.alphaGiven || !options.prime.isEmpty
            || options.temperature != nil || options.topK != 0
        {
            return "--beam, --nbest, --alpha, --prime, --temperature and --top-k do not apply to a text classifier"
        }
        return nil
    }

    /// Why the options do not fit a seq2seq model, or nil.
    private static func seq2seqProblem(_ options: Options) -> String? {
        if !options.prime.isEmpty { return "--prime applies to language models; this model is a seq2seq" }
        let sampling = (options.temperature ?? 0) > 0 || options.topK != 0
        if sampling && (options.beam != nil || options.nbest != nil) {
            return "--temperature/--top-k sample and --beam/--nbest search: choose one"
        }
        if let beam = options.beam, beam > Translator.maximumBeamWidth {
            return "--beam \(beam): at most \(Translator.maximumBeamWidth)"
        }
        if let nbest = options.nbest, nbest > (options.beam ?? Translator.maximumBeamWidth) {
            return "--nbest \(nbest) is more than the beam width \(options.beam ?? Translator.maximumBeamWidth) (--beam K keeps K hypotheses)"
        }
        return nil
    }

    /// Flushes stdout at the end of a run; a closed pipe is still a success.
    private static func finish(_ output: OutputStream, _ diagnostics: Diagnostics) -> ExitCode {
        do {
            try output.flush()
            return .ok
        } catch {
            let code = ExitCode.forRunning(error)
            if code != .ok { diagnostics.report("\(error)") }
            return code
        }
    }
}
