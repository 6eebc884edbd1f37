import FuzzSupport
import Glibc
import RecurRuntime

/// The stdin frame protocol: `LineReader` (short reads, over-long lines, CR/LF) feeding
/// `parseFrameLine` with recur-run's header rule, and `DecimalFloat` checked against glibc's
/// `strtof` on every field it accepts.
///
/// Input: byte 0 sets the frame width (1…16), byte 1 the read chunk size (1…256), byte 2 the
/// longest line (0…255); the rest is the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 3 else { return 0 }
    let expected = 1 + Int(data[0] % 16)
    let chunkSize = 1 + Int(data[1])
    let maxLineLength = Int(data[2])
    let stream = [UInt8](UnsafeBufferPointer(start: data + 3, count: size - 3))
    let reader = LineReader(bytes: stream, maxLineLength: maxLineLength, chunkSize: chunkSize)
    let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: expected)
    values.initialize(repeating: 0)
    defer { values.deallocate() }

    var allowHeader = true
    var previousNumber = 0
    while true {
        let event = nextEvent(reader)
        switch event {
        case .end:
            return 0
        case .tooLong(let number):
            check(number > previousNumber, "line numbers go up")
            previousNumber = number
            allowHeader = false
        case .line(let number, let bytes):
            check(number > previousNumber, "line numbers go up")
            previousNumber = number
            check(bytes.count <= maxLineLength, "a line longer than the limit was returned")
            check(bytes.last != 0x0A, "a line holds its newline")
            checkFields(bytes)
            switch parseFrameLine(bytes, into: values, expected: expected, lineNumber: number, allowHeader: allowHeader) {
            case .skip:
                break
            case .header:
                check(allowHeader, "a header where none is allowed")
                allowHeader = false
            case .frame(let count):
                check(count == expected, "a frame of \(count) values for \(expected)")
                for value in values where !value.isFinite {
                    check(false, "a frame holds a non-finite value")
                }
                allowHeader = false
            case .bad(let problem):
                check(problem.lineNumber == number, "a problem on the wrong line")
                Exercise.consume(problem.message)
                allowHeader = false
            }
        }
    }
}

/// Every comma-, space- or tab-separated field of `line`, through `DecimalFloat` and the oracle.
private func checkFields(_ line: UnsafeRawBufferPointer) {
    var start = 0
    for index in 0...line.count {
        if index == line.count || line[index] == 0x2C || line[index] == 0x20 || line[index] == 0x09 {
            if index > start { checkNumber(UnsafeRawBufferPointer(rebasing: line[start..<index])) }
            start = index + 1
        }
    }
}

/// A number `DecimalFloat` accepts is one `strtof` reads whole, to the same float (sign of zero
/// included); one it calls out of range is one `strtof` reads as infinite with ERANGE.
private func checkNumber(_ text: UnsafeRawBufferPointer) {
    let parsed = DecimalFloat.parse(text)
    if parsed == .invalid { return }
    var terminated = [CChar](repeating: 0, count: text.count + 1)
    for i in 0..<text.count { terminated[i] = CChar(bitPattern: text[i]) }
    terminated.withUnsafeBufferPointer { buffer in
        var end: UnsafeMutablePointer<CChar>? = nil
        errno = 0
        let reference = strtof(buffer.baseAddress!, &end)
        let status = errno
        let consumed = end.map { $0 - UnsafeMutablePointer(mutating: buffer.baseAddress!) } ?? 0
        let quoted = FrameLineProblem.quote(text)
        check(consumed == text.count, "DecimalFloat accepted \"\(quoted)\", strtof read \(consumed) bytes of it")
        switch parsed {
        case .value(let value):
            check(value.bitPattern == reference.bitPattern,
                  "DecimalFloat read \"\(quoted)\" as \(value), strtof as \(reference)")
        case .overflow:
            check(reference.isInfinite && status == ERANGE, "DecimalFloat called \"\(quoted)\" out of range, strtof read \(reference)")
        case .invalid:
            break
        }
    }
}
