import RecurRuntime

/// Runs a text classifier: each stdin line is one text, and its label is one stdout line,
/// flushed at once (docs/FORMAT.md, "Text classifier models").
///
/// - text: `<label> <p>`, p with 4 decimals like the frame classifier (`sports 0.9731`);
/// - `--json`: `{"line": 3, "label": "sports", "p": 0.973100, "probs": {"sports": 0.973100, …}}`.
///
/// A line that cannot be classified (over 1 MiB, not UTF-8, no tokens, more tokens than
/// `recur.text.max_length` without `--truncate`, every token unknown) is reported on stderr with
/// its line number and skipped: its output is an empty line (`--json`: `{"line": N, "error":
/// "..."}`), so output stays aligned with input. `--strict` stops at the first such line with
/// exit code 65. `--truncate` classifies the first max_length tokens of a longer line (and says
/// so on stderr).
struct TextRunner {
    let model: Model
    let classifier: TextClassifier
    let options: Options
    let output: OutputStream
    let diagnostics: Diagnostics

    init(model: Model, options: Options, output: OutputStream, diagnostics: Diagnostics) throws(RecurError) {
        self.model = model
        self.options = options
        self.output = output
        self.diagnostics = diagnostics
        classifier = try model.makeTextClassifier(kernels: options.kernels)
    }

    func run(input: LineReader) throws(RecurError) -> ExitCode {
        let lines = TextLines(
            input: input, json: options.json, strict: options.strict, output: output, diagnostics: diagnostics)
        var unknown = 0
        let status = try lines.forEach { (number, text) throws(RecurError) -> Bool in
            let result: TextResult
            do throws(RecurError) {
                result = try classifier.classify(text, truncate: options.truncate)
            } catch {
                switch error {
                case .emptyInput, .inputTooLong, .noKnownToken:
                    return try !lines.skip(number, "line \(number): \(error)")
                default:
                    throw error
                }
            }
            unknown += result.unknownCount
            if let original = result.truncatedFrom {
                diagnostics.report(
                    "line \(number): \(original) tokens, truncated to the model's limit of \(result.tokenCount) (--truncate)")
            }
            write(result, line: number)
            try output.flushLine()
            return true
        }
        if status != .ok { return status }
        if unknown > 0 {
            let what: String
            switch classifier.configuration.tokenizer {
            case .word: what = "words"
            case .char: what = "characters"
            case .charBigram: what = "character pairs"
            }
            diagnostics.report("\(unknown) \(what) were not in the vocabulary (read as the unknown token)")
        }
        return .ok
    }

    /// Writes one result line without its newline.
    private func write(_ result: TextResult, line: Int) {
        let labels = classifier.configuration.labels
        if options.json {
            output.write("{\"line\": ")
            output.write(line)
            output.write(", \"label\": ")
            output.writeJSONString(labels[result.label])
            output.write(", \"p\": ")
            output.writeJSONNumber(result.probability)
            output.write(", \"probs\": {")
            for (i, probability) in result.probabilities.enumerated() {
                if i > 0 { output.write(", ") }
                output.writeJSONString(labels[i])
                output.write(": ")
                output.writeJSONNumber(probability)
            }
            output.write("}}")
            return
        }
        output.write(labels[result.label])
        output.write(byte: 0x20)
        output.write(result.probability, decimals: 4)
    }
}
