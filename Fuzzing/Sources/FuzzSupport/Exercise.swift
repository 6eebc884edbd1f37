import RecurRuntime

/// What the model-loading targets share: load bytes the way recur-run does, then use the model a
/// little, so that a file the loader accepts is also one the session, translator and self-tests
/// can run without trapping.
public enum Exercise {
    /// The largest decompressed content the fuzz targets accept (recur-run takes 256 MiB): the
    /// limit check itself is fuzzed all the same, and small models keep each run fast.
    public static let contentLimit = 1 << 20

    /// Loads a model from `.rnnz` bytes (a zstd frame) or from uncompressed GGUF bytes, then
    /// exercises it. Refusals are the expected outcome of most inputs; their messages are built
    /// too, since recur-run prints them.
    public static func load(_ bytes: UnsafeRawBufferPointer, compressed: Bool) {
        do throws(RecurError) {
            let file = compressed
                ? try Rnnz.decode(bytes, limit: contentLimit)
                : try Rnnz.decodeUncompressed(bytes)
            let model = try Model(file: file)
            try run(model)
        } catch {
            consume(error.description)
        }
    }

    /// The self-tests (which already run a session over frames or tokens, or greedy decoding),
    /// then what they leave out: a beam of two (seq2seq; image_to_text from a grey image), one line (text classifier), a greedy pick (lm), a sentence
    /// and a question read as lines (memory_qa), a raw frame (frame tasks).
    public static func run(_ model: Model) throws(RecurError) {
        _ = try model.verifySelfTests()
        switch model.task {
        case .seq2seq:
            guard let configuration = model.seq2seq else {
                fatalError("a seq2seq model without its configuration")
            }
            let translator = try model.makeTranslator(beamWidth: 2)
            let beam = try translator.beam([Int32(configuration.sourceUnknown)], width: 2, best: 2)
            guard let best = beam.first else { fatalError("beam search returned no hypothesis") }
            if best.tokens.contains(where: { $0 < 0 || Int($0) >= configuration.targetVocabulary.count }) {
                fatalError("a translation token outside the target vocabulary")
            }
            consume(translator.targetTokenizer.decode(best.tokens))
        case .imageToText:
            guard let configuration = model.seq2seq, let image = model.image else {
                fatalError("an image_to_text model without its configuration")
            }
            let translator = try model.makeTranslator(beamWidth: 2)
            let pixels = [Float](repeating: 0.5, count: image.input.count)
            let beam = try translator.beam(image: pixels, width: 2, best: 2)
            guard let best = beam.first else { fatalError("beam search returned no hypothesis") }
            if best.tokens.contains(where: { $0 < 0 || Int($0) >= configuration.targetVocabulary.count }) {
                fatalError("a decoded token outside the target vocabulary")
            }
            consume(translator.render(best) ?? translator.targetTokenizer.decode(best.tokens))
        case .textClassifier:
            guard let configuration = model.textClassifier else {
                fatalError("a text classifier without its configuration")
            }
            let result = try model.makeTextClassifier().classify(ids: [Int32(configuration.unknown)])
            if result.label < 0 || result.label >= configuration.labels.count {
                fatalError("label \(result.label) outside the \(configuration.labels.count) labels")
            }
        case .lm:
            let session = try model.makeLanguageSession()
            try session.feed(0)
            let next = session.greedy()
            if next < 0 || next >= session.configuration.vocabulary.count { fatalError("greedy token \(next) outside the vocabulary") }
        case .memoryQA:
            let session = try model.makeMemorySession()
            for line in ["1 the one went there.", "2 where is the one?"] {
                let bytes = Array(line.utf8)
                let outcome = try bytes.withUnsafeBufferPointer { (b) throws(RecurError) in try session.read(line: b) }
                // Finite weights whose products overflow give a NaN distribution (as for every task);
                // the answer is still a word of the vocabulary (regressions/model/memory-overflowing-weights).
                if case .answer(let token, let p) = outcome,
                   token < 0 || token >= session.configuration.vocabulary.count || !(p.isNaN || (p >= 0 && p <= 1)) {
                    fatalError("answer \(token) (p \(p)) outside the \(session.configuration.vocabulary.count) words")
                }
            }
        case .classifier, .regressor:
            let session = try model.makeFrameSession(window: 0, hop: 1)
            let frames = session.configuration
            let frame = [Float](repeating: 0.5, count: frames.rawInputSize)
            if let result = try session.stepRaw(frame), result.outputs.count != frames.outputSize {
                fatalError("a result of \(result.outputs.count) outputs from a model of \(frames.outputSize)")
            }
        }
    }

    /// Keeps a computed value alive so the optimizer cannot drop the work that made it.
    @inline(never)
    public static func consume(_ value: String) {
        if value.utf8.count == Int.max { print(value) }
    }
}
