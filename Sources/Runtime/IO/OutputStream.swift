import CPlatform

/// A buffered writer to a file descriptor (standard output by default).
///
/// Writes go into a fixed buffer (64 KiB by default) and reach the descriptor when
/// the buffer fills, on `flush()`, or on `flushLine()`, which ends a line and flushes
/// it, so that a live stream sees every result line as soon as it is complete.
/// Nothing allocates after `init`.
///
/// Write errors are sticky: the `write` methods never throw; the first failure is
/// kept, later writes are dropped, and `flush()`/`flushLine()` throw it. A reader that
/// went away (`| head -1`) shows up as `RecurError.outputClosed`, provided SIGPIPE is
/// ignored (`OutputStream.ignoreBrokenPipeSignal()`, once, at start-up); the board
/// binary then exits 0 quietly.
///
/// Numbers are formatted by this type, not by the C library or `description`, so the
/// bytes are the same on every architecture.
public final class OutputStream {
    /// The descriptor written to.
    public let fd: Int32
    // buffer[0..<count] holds bytes not yet written.
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    private var failure: RecurError? = nil

    /// A writer to `fd` with a buffer of `capacity` bytes (at least 64).
    public init(fd: Int32 = 1, capacity: Int = 64 << 10) {
        self.fd = fd
        self.capacity = max(capacity, 64)
        self.buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit {
        buffer.deallocate()
    }

    /// Makes writes to a closed pipe fail with EPIPE instead of killing the process.
    public static func ignoreBrokenPipeSignal() {
        _ = rp_ignore_sigpipe()
    }

    // MARK: Flushing

    /// Writes the buffered bytes to the descriptor.
    ///
    /// - Throws: `RecurError.outputClosed` when the reader has gone (EPIPE),
    ///   `RecurError.writeFailed` for any other write error (also one from an earlier write).
    public func flush() throws(RecurError) {
        writeOut()
        if let failure { throw failure }
    }

    /// Ends the current line with LF and flushes it.
    ///
    /// - Throws: as `flush()`.
    public func flushLine() throws(RecurError) {
        write(byte: 10)
        try flush()
    }

    /// Sends buffer[0..<count] to the descriptor, recording the first failure.
    private func writeOut() {
        guard count > 0 else { return }
        if failure == nil {
            record(rp_write_all(fd, buffer, count))
        }
        count = 0
    }

    private func record(_ status: Int32) {
        guard status != 0, failure == nil else { return }
        failure = status == RP_EPIPE ? .outputClosed : .writeFailed(errno: status)
    }

    /// Makes room for `needed` bytes (needed <= capacity).
    @inline(__always)
    private func reserve(_ needed: Int) {
        if count + needed > capacity { writeOut() }
    }

    // MARK: Bytes and text

    /// Appends one byte.
    public func write(byte: UInt8) {
        reserve(1)
        buffer[count] = byte
        count += 1
    }

    /// Appends raw bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count > capacity {
            writeOut()
            if failure == nil { record(rp_write_all(fd, base, bytes.count)) }
            return
        }
        reserve(bytes.count)
        (buffer + count).initialize(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in write(UnsafeRawBufferPointer(utf8)) }
    }

    /// Appends `text` as a JSON string literal: quoted, with `"`, `\` and control
    /// characters escaped (`\n`, `\r`, `\t`, else `\u00XX`); other characters as UTF-8.
    public func writeJSONString(_ text: String) {
        let hex: StaticString = "0123456789abcdef"
        write(byte: 0x22)
        var text = text
        text.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case 0x22, 0x5C:
                    write(byte: 0x5C)
                    write(byte: byte)
                case 0x0A:
                    write("\\n")
                case 0x0D:
                    write("\\r")
                case 0x09:
                    write("\\t")
                case 0x00..<0x20, 0x7F:
                    write("\\u00")
                    write(byte: hex.utf8Start[Int(byte >> 4)])
                    write(byte: hex.utf8Start[Int(byte & 15)])
                default:
                    write(byte: byte)
                }
            }
        }
        write(byte: 0x22)
    }

    // MARK: Numbers

    /// Appends a decimal integer (`-42`).
    public func write(_ value: Int) {
        if value < 0 { write(byte: 0x2D) }
        writeDigits(UInt64(value.magnitude), minimumDigits: 1)
    }

    /// Appends `value.magnitude` in decimal, zero-padded to at least `minimumDigits` digits.
    private func writeDigits(_ value: UInt64, minimumDigits: Int) {
        reserve(24)
        // At most 20 digits (UInt64.max); count them, then fill from the right.
        var digits = 0
        var rest = value
        repeat {
            digits += 1
            rest /= 10
        } while rest > 0
        digits = max(digits, minimumDigits)
        rest = value
        for k in stride(from: digits - 1, through: 0, by: -1) {
            buffer[count + k] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
            rest /= 10
        }
        count += digits
    }

    /// Powers of ten as exact doubles and integers, for `decimals` in 0...9 (UInt64, not
    /// UInt: the same code runs on 32-bit armv7).
    private static let scales: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]
    private static let integerScales: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000,
                                                10_000_000, 100_000_000, 1_000_000_000]

    /// Appends `value` with exactly `decimals` digits after the point (0...9), e.g. `0.9700`.
    ///
    /// The value is scaled as a double, `n = round_half_even(Double(value) · 10^decimals)`
    /// (one IEEE multiplication and one rounding, so every architecture agrees), and `n`
    /// is printed as an integer with the point inserted. Zero after rounding prints
    /// without a sign. Magnitudes from 9·10^15 / 10^decimals upwards print in scientific
    /// notation with the same number of decimals (`3.4028e+38`). NaN prints `nan`,
    /// infinities `inf` and `-inf` (JSON callers must not pass them).
    public func write(_ value: Float, decimals: Int) {
        let decimals = min(max(decimals, 0), 9)
        if value.isNaN {
            write("nan")
            return
        }
        if value.isInfinite {
            write(value < 0 ? "-inf" : "inf")
            return
        }
        let scaled = Double(value) * OutputStream.scales[decimals]
        if scaled.magnitude < 9e15 {
            let rounded = scaled.rounded(.toNearestOrEven)
            writeFixed(UInt64(rounded.magnitude), negative: rounded < 0, decimals: decimals)
            return
        }
        // m = |value| / 10^e in [1, 10): repeated IEEE divisions, deterministic everywhere.
        var mantissa = Double(value).magnitude
        var exponent = 0
        while mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        var digits = UInt64((mantissa * OutputStream.scales[decimals]).rounded(.toNearestOrEven))
        if digits >= 10 * OutputStream.integerScales[decimals] {
            digits /= 10
            exponent += 1
        }
        writeFixed(digits, negative: value < 0, decimals: decimals)
        write("e+")
        writeDigits(UInt64(exponent), minimumDigits: 2)
    }

    /// Appends `n / 10^decimals` with the point before the last `decimals` digits.
    private func writeFixed(_ n: UInt64, negative: Bool, decimals: Int) {
        if negative && n != 0 { write(byte: 0x2D) }
        let scale = OutputStream.integerScales[decimals]
        writeDigits(n / scale, minimumDigits: 1)
        if decimals > 0 {
            write(byte: 0x2E)
            writeDigits(n % scale, minimumDigits: decimals)
        }
    }
}
