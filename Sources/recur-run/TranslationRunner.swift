import RecurRuntime

/// Runs a seq2seq model in line mode: each stdin line is a source, and its
/// translation is one stdout line, flushed at once. An image-to-text model reads the
/// same way, each stdin line being the path of one binary PGM/PPM image of the model's
/// size (`--render`: the render table's text instead of the tokens).
///
/// - default: greedy decoding; `--temperature T` (> 0) samples instead, with
///   `--top-k` and `--seed`; `--beam K` runs beam search with `--alpha`.
/// - `--nbest N` (N ≤ K; the beam is N wide without `--beam`): N lines
///   `<score>\t<text>` per input line, best first, then one empty line.
/// - `--json`: one JSON object per input line: `{"line": 3, "text": "...",
///   "score": -0.1, "log_prob": -0.4, "finished": true}`; with `--nbest`,
///   `{"line": 3, "nbest": [{...}, ...]}`.
///
/// A line that cannot be translated (over 1 MiB, not UTF-8, no tokens, more tokens
/// than `recur.source.max_length` without `--truncate`) is reported on stderr with
/// its line number and skipped: its output is an empty line (text), an empty block
/// (`--nbest`) or `{"line": N, "error": "..."}` (`--json`), so output stays aligned
/// with input; so is an image that cannot be read (missing, not PGM/PPM, cut short, another
/// size), its message naming the file. `--strict` stops at the first such line with exit code 65.
struct TranslationRunner {
    let model: Model
    let translator: Translator
    let options: Options
    let output: OutputStream
    let diagnostics: Diagnostics

    /// The beam width, when the run searches (`--beam`, or `--nbest` alone).
    var beamWidth: Int? { options.beam ?? options.nbest }

    init(model: Model, options: Options, output: OutputStream, diagnostics: Diagnostics) throws(RecurError) {
        self.model = model
        self.options = options
        self.output = output
        self.diagnostics = diagnostics
        translator = try model.makeTranslator(beamWidth: options.beam ?? options.nbest ?? 1, kernels: options.kernels)
    }

    func run(input: LineReader) throws(RecurError) -> ExitCode {
        let lines = TextLines(
            input: input, json: options.json, strict: options.strict, output: output, diagnostics: diagnostics)
        var generator = RecurRandom(seed: options.seed)
        var unknown = 0
        let status = try lines.forEach { (number, text) throws(RecurError) -> Bool in
            if model.image != nil {
                let image: [Float]
                do throws(RecurError) {
                    image = try readImage(text)
                } catch {
                    switch error {
                    case .fileUnreadable, .badImage, .wrongImageSize:
                        return try !lines.skip(number, "line \(number): \(text): \(error)")
                    default:
                        throw error
                    }
                }
                write(try translate(image: image, generator: &generator), line: number)
                try output.flushLine()
                return true
            }
            let source = translator.tokenize(text, truncate: options.truncate)
            unknown += source.unknownCount
            if let original = source.truncatedFrom {
                diagnostics.report(
                    "line \(number): \(original) tokens, truncated to the model's limit of \(source.ids.count) (--truncate)")
            }
            let results: [Translation]
            do throws(RecurError) {
                results = try translate(source.ids, generator: &generator)
            } catch .emptyInput {
                return try !lines.skip(number, "line \(number): \(RecurError.emptyInput)")
            } catch .inputTooLong(let tokens, let limit) {
                let error = RecurError.inputTooLong(tokens: tokens, limit: limit)
                return try !lines.skip(number, "line \(number): \(error)")
            }
            write(results, line: number)
            try output.flushLine()
            return true
        }
        if status != .ok { return status }
        if unknown > 0 {
            let what = model.seq2seq?.sourceTokenizer == .word ? "words" : "characters"
            diagnostics.report("\(unknown) source \(what) were not in the vocabulary (read as the unknown token)")
        }
        return .ok
    }

    /// Greedy, sampled, or the beam's best (N best with `--nbest`).
    private func translate(_ source: [Int32], generator: inout RecurRandom) throws(RecurError) -> [Translation] {
        if let width = beamWidth {
            return try translator.beam(source, width: width, alpha: options.alpha, best: options.nbest ?? 1)
        }
        if let temperature = options.temperature, temperature > 0 {
            return [try translator.sample(source, temperature: temperature, topK: options.topK, using: &generator)]
        }
        return [try translator.greedy(source)]
    }

    /// Largest image file read: 64 MiB.
    static let imageFileLimit = 64 << 20

    /// The image at `path` as the model's input values.
    ///
    /// - Throws: `fileUnreadable`, `badImage`, `wrongImageSize` (another size or channel count).
    private func readImage(_ path: String) throws(RecurError) -> [Float] {
        guard let shape = model.image?.input else { throw .wrongTask(expected: "image_to_text", found: model.task.rawValue) }
        let image = try FileContents.withBytes(ofFile: path, limit: Self.imageFileLimit) {
            (bytes) throws(RecurError) -> NetpbmImage in
            try Netpbm.parse(bytes.bindMemory(to: UInt8.self))
        }
        if image.width != shape.width || image.height != shape.height || image.channels != shape.channels {
            throw .wrongImageSize(
                width: image.width, height: image.height, channels: image.channels, expectedWidth: shape.width,
                expectedHeight: shape.height, expectedChannels: shape.channels)
        }
        return image.floats()
    }

    /// `translate` from an image.
    private func translate(image: [Float], generator: inout RecurRandom) throws(RecurError) -> [Translation] {
        if let width = beamWidth {
            return try translator.beam(image: image, width: width, alpha: options.alpha, best: options.nbest ?? 1)
        }
        if let temperature = options.temperature, temperature > 0 {
            return [try translator.sample(image: image, temperature: temperature, topK: options.topK, using: &generator)]
        }
        return [try translator.greedy(image: image)]
    }

    /// The text of a result: the target tokens joined by the target tokenizer, or with
    /// `--render` the render table's text.
    private func text(_ result: Translation) -> String {
        if options.render, let rendered = translator.render(result) { return rendered }
        return translator.targetTokenizer.decode(result.tokens)
    }

    private func write(_ results: [Translation], line: Int) {
        if options.json {
            output.write("{\"line\": ")
            output.write(line)
            if options.nbest == nil {
                writeJSONFields(results[0])
            } else {
                output.write(", \"nbest\": [")
                for (i, result) in results.enumerated() {
                    output.write(i == 0 ? "{" : ", {")
                    writeJSONFields(result, first: true)
                    output.write("}")
                }
                output.write("]")
            }
            output.write("}")
            return
        }
        guard options.nbest != nil else {
            output.write(text(results[0]))
            return
        }
        for result in results {
            output.write(result.score, decimals: 6)
            output.write(byte: 0x09)
            output.write(text(result))
            output.write(byte: 10)
        }
    }

    /// `"text": …, "tokens": […], "score": …, "log_prob": …, "finished": …` (after a comma
    /// unless `first`).
    private func writeJSONFields(_ result: Translation, first: Bool = false) {
        output.write(first ? "\"text\": " : ", \"text\": ")
        output.writeJSONString(text(result))
        // The target tokens themselves (what BLEU is computed on), before detokenizing.
        output.write(", \"tokens\": [")
        let tokenizer = translator.targetTokenizer
        for (i, token) in result.tokens.enumerated() {
            if i > 0 { output.write(", ") }
            output.writeJSONString(tokenizer.text(of: Int(token)))
        }
        output.write("]")
        output.write(", \"score\": ")
        output.writeJSONNumber(result.score)
        output.write(", \"log_prob\": ")
        output.writeJSONNumber(result.logProbability)
        output.write(result.finished ? ", \"finished\": true" : ", \"finished\": false")
    }
}
