import RecurRuntime

/// Stops the fuzzer with `message` (a crash libFuzzer records) when `condition` fails.
public func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

/// The next event of a reader of bytes in memory, which has no read to fail.
public func nextEvent(_ reader: LineReader) -> LineReader.Event {
    do throws(RecurError) {
        return try reader.next()
    } catch {
        fatalError("a reader of bytes in memory failed: \(error)")
    }
}
