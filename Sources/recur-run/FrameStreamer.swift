import RecurRuntime

/// Runs a classifier or regressor over frames on stdin, one result line per
/// completed window on stdout (docs/BOARD.md, "Frames (classifier, regressor)").
///
/// Input: one raw frame per line, `rawInputSize` numbers (what the model's
/// preprocessor reads, or `inputSize` without one) separated by commas and/or
/// blanks; blank lines and `#` comments are ignored; a first line of column names
/// is accepted. A malformed line is reported on stderr with its line number and
/// skipped (at most `maxReported` messages, then only counted), or, with
/// `--strict`, ends the run with exit code 65. Sample indices count valid frames
/// from 0, so a skipped line never shifts them.
///
/// A segment model (`recur.segments`) gives no result per frame: a blank line ends the
/// segment, its result is printed and the state is reset for the next one; the frames after the
/// last blank line form a last segment at the end of the input.
///
/// Output, one line per result, flushed as it is written:
/// - classifier text: `<t> <label> <p>` (`127 WALKING 0.9700`)
/// - classifier JSON: `{"t": 127, "label": "WALKING", "p": 0.970000, "probs": {"WALKING": 0.970000, …}}`
/// - regressor text: `<t> <y0> <y1> …`; JSON: `{"t": 127, "outputs": [y0, y1, …]}`
///
/// The loop allocates nothing per line: the reader's buffer, the frame buffer and
/// the session's memory are all made before the first line.
struct FrameStreamer {
    /// Malformed lines reported one by one before they are only counted.
    static let maxReported = 100

    let model: Model
    let session: FrameSession
    let json: Bool
    let strict: Bool
    let output: OutputStream
    let diagnostics: Diagnostics

    /// Streams stdin to the end (or to the first malformed line under `--strict`).
    ///
    /// - Throws: `readFailed` (stdin), `outputClosed` / `writeFailed` (stdout),
    ///   `internalError` from the session.
    func run(input: LineReader) throws(RecurError) -> ExitCode {
        let expected = session.configuration.rawInputSize
        let segments = session.configuration.segments
        // values: one raw frame, rawInputSize floats.
        let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(expected, 1))
        values.initialize(repeating: 0)
        defer { values.deallocate() }
        let frame = UnsafeBufferPointer(rebasing: values[0..<expected])

        var allowHeader = true
        var frames = 0
        var results = 0
        var malformed = 0
        var lines = 0
        reading: while true {
            let problem: FrameLineProblem
            switch try input.next() {
            case .end:
                break reading
            case .tooLong(let number):
                lines = number
                problem = FrameLineProblem(lineNumber: number, kind: .tooLong(limit: input.maxLineLength))
            case .line(let number, let bytes):
                lines = number
                switch parseFrameLine(bytes, into: values, expected: expected, lineNumber: number,
                                      allowHeader: allowHeader) {
                case .skip:
                    if segments && isBlank(bytes), try endSegment() { results += 1 }
                    continue reading
                case .header:
                    allowHeader = false
                    continue reading
                case .frame:
                    allowHeader = false
                    frames += 1
                    if let result = try session.stepRaw(frame) {
                        write(result)
                        try output.flushLine()
                        results += 1
                    }
                    continue reading
                case .bad(let bad):
                    problem = bad
                }
            }
            allowHeader = false
            malformed += 1
            if strict {
                diagnostics.report(problem.message + " (stopping: --strict)")
                return .dataError
            }
            if malformed <= FrameStreamer.maxReported {
                diagnostics.report(problem.message)
            }
            if malformed == FrameStreamer.maxReported {
                diagnostics.report("further malformed lines are skipped without a message each")
            }
        }
        if segments, try endSegment() { results += 1 }
        try output.flush()
        if malformed > 0 {
            diagnostics.report("skipped \(malformed) malformed of \(lines) lines")
        }
        if results == 0 {
            diagnostics.report(frames == 0
                ? "no frames on stdin, no results"
                : "\(frames) frames, no completed window (window \(session.window), hop \(session.hop))")
        }
        return .ok
    }

    /// Segment models: prints the current segment's result (true) or nothing when it has no frames.
    private func endSegment() throws(RecurError) -> Bool {
        guard let result = try session.endSegment() else { return false }
        write(result)
        try output.flushLine()
        return true
    }

    /// Only spaces, tabs and a line end (`\r`): a segment's end for a segment model.
    private func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// Writes one result line without its newline.
    private func write(_ result: FrameResult) {
        let outputs = result.outputs
        if json {
            output.write("{\"t\": ")
            output.write(result.sampleIndex)
            if let label = result.label {
                output.write(", \"label\": ")
                output.writeJSONString(labelName(label))
                output.write(", \"p\": ")
                output.writeJSONNumber(outputs[label])
                output.write(", \"probs\": {")
                for i in 0..<outputs.count {
                    if i > 0 { output.write(", ") }
                    output.writeJSONString(labelName(i))
                    output.write(": ")
                    output.writeJSONNumber(outputs[i])
                }
                output.write("}}")
            } else {
                output.write(", \"outputs\": [")
                for i in 0..<outputs.count {
                    if i > 0 { output.write(", ") }
                    output.writeJSONNumber(outputs[i])
                }
                output.write("]}")
            }
            return
        }
        output.write(result.sampleIndex)
        if let label = result.label {
            output.write(byte: 0x20)
            output.write(labelName(label))
            output.write(byte: 0x20)
            output.write(outputs[label], decimals: 4)
        } else {
            for i in 0..<outputs.count {
                output.write(byte: 0x20)
                output.write(outputs[i], decimals: 6)
            }
        }
    }

    /// The label's name from the file, or its index when the file has too few names.
    private func labelName(_ index: Int) -> String {
        let labels = session.configuration.labels
        return index < labels.count ? labels[index] : "\(index)"
    }
}
