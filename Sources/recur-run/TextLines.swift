import RecurRuntime

/// Reading and skipping text lines for the runners that take one text per line (seq2seq,
/// text classifier): a line over the reader's limit or not UTF-8 is reported by number, a
/// CRLF file's carriage return is dropped, and a line that cannot be used keeps its place
/// in the output (an empty line, or `{"line": N, "error": "..."}` with `--json`).
struct TextLines {
    /// One stdin line.
    enum Line {
        case end
        /// A UTF-8 line, without its newline or a final carriage return.
        case text(number: Int, String)
        /// A line that is not text: its number and the message that says why.
        case unreadable(number: Int, message: String)
    }

    let input: LineReader
    let json: Bool
    let strict: Bool
    let output: OutputStream
    let diagnostics: Diagnostics

    /// The next line of stdin.
    ///
    /// - Throws: `readFailed` (stdin).
    func next() throws(RecurError) -> Line {
        switch try input.next() {
        case .end:
            return .end
        case .tooLong(let line):
            return .unreadable(
                number: line, message: FrameLineProblem(lineNumber: line, kind: .tooLong(limit: input.maxLineLength)).message)
        case .line(let line, let bytes):
            if let offset = UTF8Validation.firstInvalidOffset(bytes) {
                return .unreadable(
                    number: line, message: FrameLineProblem(lineNumber: line, kind: .invalidUTF8(offset: offset)).message)
            }
            // A CRLF file's carriage return is not part of the text.
            let end = bytes.count > 0 && bytes[bytes.count - 1] == 0x0D ? bytes.count - 1 : bytes.count
            return .text(number: line, String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self))
        }
    }

    /// Calls `body(number, text)` for every text line to the end of stdin, reporting and skipping
    /// the unreadable ones. `body` returns false to stop (a line it skipped under `--strict`).
    ///
    /// - Returns: `.ok` at the end of stdin, `.dataError` when a line stopped the run.
    func forEach(_ body: (Int, String) throws(RecurError) -> Bool) throws(RecurError) -> ExitCode {
        while true {
            switch try next() {
            case .end:
                return .ok
            case .unreadable(let number, let message):
                if try skip(number, message) { return .dataError }
            case .text(let number, let text):
                if try !body(number, text) { return .dataError }
            }
        }
    }

    /// Reports a line that cannot be used and writes its empty output; true when `--strict`
    /// ends the run (exit 65).
    func skip(_ line: Int, _ message: String) throws(RecurError) -> Bool {
        if strict {
            diagnostics.report(message + " (stopping: --strict)")
            try output.flush()
            return true
        }
        diagnostics.report(message + " (skipped)")
        if json {
            output.write("{\"line\": ")
            output.write(line)
            output.write(", \"error\": ")
            output.writeJSONString(message)
            output.write("}")
        }
        try output.flushLine()
        return false
    }
}
