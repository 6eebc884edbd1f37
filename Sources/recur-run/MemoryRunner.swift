import RecurRuntime

/// Runs a memory-network model (`memory_qa`) over a story on stdin (docs/MEMORY.md, "recur-run"):
/// one sentence per line, bAbI-numbered (`3 Where is Mary?\tbathroom\t1`, answer fields ignored)
/// or plain. A line ending in `?` prints one answer line, flushed: the most probable word
/// (`bathroom`), or with `--json` `{"line": 3, "answer": "bathroom", "p": 0.991}`. Any other line
/// goes into the memory (the oldest sentence leaves when the memory is full). A line numbered 1
/// or a blank line starts a new story (the memory empties). A question before any sentence is
/// answered from the question alone.
///
/// A line of more than the model's `recur.memory.max_words` words is reported on stderr and
/// ignored (an over-long question prints an empty answer line, so answers stay aligned); a line
/// over `maxLineBytes` bytes is reported and skipped. Unknown words read as `<unk>`.
struct MemoryRunner {
    /// The longest line read, in bytes.
    static let maxLineBytes = 4096

    let session: MemorySession
    let vocabulary: [String]
    let json: Bool
    let output: OutputStream
    let diagnostics: Diagnostics

    init(model: Model, json: Bool, output: OutputStream, diagnostics: Diagnostics) throws(RecurError) {
        session = try model.makeMemorySession()
        vocabulary = session.configuration.vocabulary
        self.json = json
        self.output = output
        self.diagnostics = diagnostics
    }

    func run(input: LineReader) throws(RecurError) -> ExitCode {
        while true {
            switch try input.next() {
            case .end:
                try output.flush()
                return .ok
            case .tooLong(let number):
                diagnostics.report("line \(number): longer than \(input.maxLineLength) bytes; skipped")
            case .line(let number, let raw):
                let bytes = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
                let outcome: MemorySession.Outcome
                do {
                    outcome = try session.read(line: bytes)
                } catch .inputTooLong(let words, let limit) {
                    diagnostics.report("line \(number): \(words) words, over the model's limit of \(limit); ignored")
                    if MemoryLine.parse(bytes).isQuestion { try output.flushLine() }
                    continue
                }
                guard case .answer(let token, let p) = outcome else { continue }
                if json {
                    output.write("{\"line\": ")
                    output.write(number)
                    output.write(", \"answer\": ")
                    output.writeJSONString(vocabulary[token])
                    output.write(", \"p\": ")
                    output.writeJSONNumber(p)
                    output.write("}")
                } else {
                    output.write(vocabulary[token])
                }
                try output.flushLine()
            }
        }
    }
}
