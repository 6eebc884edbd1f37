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

    let model: MemoryModel
    let json: Bool
    let output: OutputStream
    let diagnostics: Diagnostics

    func run(input: LineReader) throws(RecurError) -> ExitCode {
        let session = model.makeSession()
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
                    output.writeJSONString(model.vocabulary[token])
                    output.write(", \"p\": ")
                    output.writeJSONNumber(p)
                    output.write("}")
                } else {
                    output.write(model.vocabulary[token])
                }
                try output.flushLine()
            }
        }
    }

    /// `--info` for a memory model.
    static func describe(_ model: MemoryModel, to output: OutputStream) {
        output.write("task: memory_qa\nmodel: memory network, ")
        output.write(model.hops)
        output.write(" hops, adjacent tying, position and temporal encoding\nname: ")
        output.write(model.name)
        output.write("\nmemory: the last ")
        output.write(model.capacity)
        output.write(" sentences, at most ")
        output.write(model.maxWords)
        output.write(" words each\nembedding: ")
        output.write(model.dim)
        output.write(" wide, ")
        output.write(model.weightType == .int8 ? "int8" : "f32")
        output.write("\nvocabulary: ")
        output.write(model.vocabulary.count)
        output.write(" words\nparameters: ")
        output.write(model.parameterCount)
        output.write("\nself-tests: ")
        output.write(model.selfTests.count)
    }
}
