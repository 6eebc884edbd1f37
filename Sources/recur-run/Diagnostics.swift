import RecurRuntime

/// Messages on stderr, each a line starting with `recur-run: `, flushed at once.
///
/// A failure to write stderr is ignored: there is nowhere left to report it.
final class Diagnostics {
    private let stream = OutputStream(fd: 2, capacity: 4096)

    /// Writes `recur-run: <message>` and a newline.
    func report(_ message: String) {
        stream.write("recur-run: ")
        stream.write(message)
        try? stream.flushLine()
    }
}
