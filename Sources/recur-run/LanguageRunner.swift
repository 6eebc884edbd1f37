import RecurRuntime

/// Runs a language model: `--generate`, `--score`, or one continuation per stdin line.
///
/// - `--generate N --prime TEXT`: prints TEXT, then N tokens drawn with
///   `--temperature` (default 1; 0 = greedy) among the `--top-k` most probable
///   (default all), from a generator seeded by `--seed` (default 0). Stops early at
///   the model's end token. Does not read stdin. With `--max-tunes M`: stops after the
///   Mth tune (text ending at a blank line) and prints only whole tunes.
/// - `--score`: reads UTF-8 text on stdin (each line followed by its newline) and
///   prints the model's cross-entropy in bits per character (per word for a word
///   tokenizer): `-Σ log2 p(token | tokens before) / tokens`. The first token is
///   predicted from the begin token when the model has one, else it only starts the
///   context.
/// - line mode (neither): for every stdin line, a fresh context of the begin token
///   (if any) and the line's tokens, then up to `--max-tokens` tokens (greedy unless
///   `--temperature` is given) until a newline or the end token; one output line per
///   input line, so a malformed input line gives an empty output line.
struct LanguageRunner {
    let model: Model
    let session: LanguageSession
    let language: LanguageConfiguration
    let tokenizer: Tokenizer
    let options: Options
    let output: OutputStream
    let diagnostics: Diagnostics

    init(model: Model, session: LanguageSession, options: Options, output: OutputStream,
         diagnostics: Diagnostics) {
        self.model = model
        self.session = session
        language = session.configuration
        if !options.allowUnknown { session.excludedToken = language.unknownToken }
        tokenizer = language.tokenizer
        self.options = options
        self.output = output
        self.diagnostics = diagnostics
    }

    // MARK: Generating

    /// `--generate count`: the prime, then `count` sampled tokens, then a newline; with
    /// `--max-tunes`, `generateTunes`.
    func generate(count: Int) throws(RecurError) -> ExitCode {
        guard try feedPrime() else { return .usage }
        if let maxTunes = options.maxTunes { return try generateTunes(count: count, maxTunes: maxTunes) }
        output.write(options.prime)
        try output.flush()

        var generator = RecurRandom(seed: options.seed)
        let temperature = options.temperature ?? 1
        for _ in 0..<count {
            let next = session.sample(temperature: temperature, topK: options.topK, using: &generator)
            if next == language.endToken { break }
            writeToken(next)
            try output.flush()
            try session.feed(next)
        }
        try output.flushLine()
        return .ok
    }

    /// `--generate count --max-tunes n`: the same draws as `generate`, printed a tune at a time
    /// (`PieceSplitter`: a tune ends at a blank line; the prime is the first tune's start), up
    /// to the `n`th tune's blank line. A tune still open when the `count` tokens or the model's
    /// end token run out is left out (and reported), so no tune is cut in half.
    func generateTunes(count: Int, maxTunes: Int) throws(RecurError) -> ExitCode {
        var splitter = PieceSplitter()
        var pending = ""   // the text since the last tune's end
        var printed = 0
        func take(_ text: String) throws(RecurError) {
            pending += text
            if splitter.feed(text) {
                output.write(pending)
                try output.flush()
                pending = ""
                printed = splitter.finished
            }
        }
        try take(options.prime)
        var generator = RecurRandom(seed: options.seed)
        let temperature = options.temperature ?? 1
        var drawn = 0
        while drawn < count && printed < maxTunes {
            let next = session.sample(temperature: temperature, topK: options.topK, using: &generator)
            drawn += 1
            if next == language.endToken { break }
            try take(tokenizer.piece(next))
            try session.feed(next)
        }
        if printed < maxTunes && splitter.inPiece {
            diagnostics.report("--max-tunes \(maxTunes): tune \(printed + 1) had not ended (no blank line) after "
                + "\(drawn) generated tokens and is left out; raise --generate \(count) to give it room")
        }
        return .ok
    }

    /// Feeds the begin token (if any) and the prime; false (reported) when there is nothing to
    /// start from.
    private func feedPrime() throws(RecurError) -> Bool {
        var tokens: [Int32] = []
        if let begin = language.beginToken { tokens.append(Int32(begin)) }
        let missing = tokenizer.encode(options.prime, into: &tokens)
        if missing > 0 { reportMissing(missing, in: "--prime") }
        guard !tokens.isEmpty else {
            diagnostics.report("--generate needs a non-empty --prime TEXT: this model has no begin token to start from")
            return false
        }
        for token in tokens { try session.feed(Int(token)) }
        return true
    }

    // MARK: Scoring

    /// `--score`: bits per character of stdin.
    func score(input: LineReader) throws(RecurError) -> ExitCode {
        var bits: Double = 0
        var scored = 0
        var missing = 0
        var predicting = false
        if let begin = language.beginToken {
            try session.feed(begin)
            predicting = true
        }
        var tokens: [Int32] = []
        reading: while true {
            let text: String
            switch try nextText(input) {
            case .end: break reading
            case .strictStop: return .dataError
            case .malformed: continue reading
            case .text(let line): text = line
            }
            tokens.removeAll(keepingCapacity: true)
            missing += tokenizer.encode(text, into: &tokens)
            missing += tokenizer.encode("\n", into: &tokens)
            for token in tokens {
                if predicting {
                    // The probability is floored at the smallest normal float (126 bits),
                    // so that one underflowed probability cannot make the sum infinite.
                    let p = max(session.probabilities(temperature: 1)[Int(token)], Float.leastNormalMagnitude)
                    bits -= LanguageRunner.log2(Double(p))
                    scored += 1
                }
                try session.feed(Int(token))
                predicting = true
            }
        }
        if missing > 0 { reportMissing(missing, in: "the input") }
        let unit = tokenizer.kind == .word ? "word" : "character"
        let perToken = scored > 0 ? bits / Double(scored) : 0
        if options.json {
            output.write("{\"bits_per_\(unit)\": ")
            output.write(Float(perToken), decimals: 6)
            output.write(", \"\(unit)s\": ")
            output.write(scored)
            output.write("}")
        } else {
            output.write(Float(perToken), decimals: 4)
            output.write(" bits per \(unit) over ")
            output.write(scored)
            output.write(" \(unit)s")
        }
        try output.flushLine()
        if scored == 0 { diagnostics.report("no text scored: the input held no predictable \(unit)") }
        return .ok
    }

    /// log2(x) for x > 0, without the C library (`LogMath.log2`).
    static func log2(_ x: Double) -> Double {
        LogMath.log2(x)
    }

    // MARK: Line mode

    /// One continuation per stdin line.
    func continueLines(input: LineReader) throws(RecurError) -> ExitCode {
        var tokens: [Int32] = []
        var generator = RecurRandom(seed: options.seed)
        let temperature = options.temperature ?? 0
        var missing = 0
        reading: while true {
            switch try nextText(input) {
            case .end:
                break reading
            case .strictStop:
                return .dataError
            case .malformed:
                try output.flushLine()
            case .text(let line):
                session.reset()
                tokens.removeAll(keepingCapacity: true)
                if let begin = language.beginToken { tokens.append(Int32(begin)) }
                missing += tokenizer.encode(line, into: &tokens)
                if tokens.isEmpty {
                    try output.flushLine()
                    continue reading
                }
                for token in tokens { try session.feed(Int(token)) }
                for _ in 0..<options.maxTokens {
                    let next = session.sample(temperature: temperature, topK: options.topK, using: &generator)
                    if next == language.endToken || language.vocabulary[next] == "\n" { break }
                    writeToken(next)
                    try session.feed(next)
                }
                try output.flushLine()
            }
        }
        if missing > 0 { reportMissing(missing, in: "the input") }
        return .ok
    }

    // MARK: Helpers

    /// One stdin line as text.
    private enum TextLine {
        case text(String)
        /// Over-long or not UTF-8: reported, to be skipped.
        case malformed
        /// Malformed under `--strict`: reported, the run ends with exit 65.
        case strictStop
        case end
    }

    /// The next stdin line as text, reporting an over-long line or invalid UTF-8.
    private func nextText(_ input: LineReader) throws(RecurError) -> TextLine {
        let problem: FrameLineProblem
        switch try input.next() {
        case .end:
            return .end
        case .tooLong(let number):
            problem = FrameLineProblem(lineNumber: number, kind: .tooLong(limit: input.maxLineLength))
        case .line(let number, let bytes):
            guard let offset = UTF8Validation.firstInvalidOffset(bytes) else {
                return .text(String(decoding: bytes, as: UTF8.self))
            }
            problem = FrameLineProblem(lineNumber: number, kind: .invalidUTF8(offset: offset))
        }
        return try malformed(problem) ? .strictStop : .malformed
    }

    /// Writes a generated token's text (`Tokenizer.piece`: a word tokenizer's words get a
    /// space before them).
    private func writeToken(_ token: Int) {
        output.write(tokenizer.piece(token))
    }

    /// Reports a malformed line; true when `--strict` ends the run (exit 65).
    private func malformed(_ problem: FrameLineProblem) throws(RecurError) -> Bool {
        if options.strict {
            diagnostics.report(problem.message + " (stopping: --strict)")
            try output.flush()
            return true
        }
        diagnostics.report(problem.message)
        return false
    }

    private func reportMissing(_ count: Int, in place: String) {
        let what = tokenizer.kind == .word ? "words" : "characters"
        let fate = language.unknownToken == nil ? "skipped" : "read as the unknown token"
        diagnostics.report("\(count) \(what) of \(place) are not in the vocabulary (\(fate))")
    }
}
