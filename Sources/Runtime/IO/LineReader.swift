import CPlatform

/// Splits a byte stream (standard input, a pipe, or bytes in memory) into lines.
///
/// Lines end with LF; a CR right before the LF (CRLF) is not part of the line, and
/// neither is a CR at the very end of a last line without LF. A last line without
/// a newline is still a line. Lines are numbered from 1, counting every physical
/// line including blank, comment and over-long ones, so that messages point at the
/// line a user sees in an editor.
///
/// Memory is bounded: the buffer starts at `chunkSize` bytes and grows (doubling)
/// only while a line in progress needs it, up to `maxLineLength + 2` bytes. A line
/// longer than `maxLineLength` is reported once, as soon as it is detected, and the
/// rest of it is skipped without being stored. Bytes are not interpreted: NUL,
/// binary noise and invalid UTF-8 pass through to the caller's parser.
///
/// Reads return as soon as the source has any bytes, so a live stream yields each
/// line when its LF arrives.
public final class LineReader {
    /// What `next()` found.
    public enum Event {
        /// A complete line without its line terminator. `bytes` stays valid until the next call to `next()`.
        case line(number: Int, bytes: UnsafeRawBufferPointer)
        /// Line `number` was longer than `maxLineLength` bytes and has been skipped.
        case tooLong(number: Int)
        /// The source is exhausted.
        case end
    }

    /// The default longest line: 1 MiB.
    public static let defaultMaxLineLength = 1 << 20
    /// The default read size and initial buffer: 64 KiB.
    public static let defaultChunkSize = 64 << 10

    /// Where the bytes come from.
    private enum Source {
        case fileDescriptor(Int32)
        case memory([UInt8], position: Int)
    }

    /// The longest line accepted, in bytes, without its terminator.
    public let maxLineLength: Int
    private let chunkSize: Int
    private var source: Source

    // buffer[start..<end] holds bytes read but not yet returned; the line in
    // progress begins at `start`; bytes before `scanned` hold no LF.
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var scanned = 0
    private var atEndOfSource = false
    /// True while discarding the rest of an over-long line.
    private var skippingLongLine = false
    private var lineNumber = 0

    /// A reader of the open file descriptor `fd` (standard input by default). The reader does not close it.
    public init(fd: Int32 = 0, maxLineLength: Int = LineReader.defaultMaxLineLength,
                chunkSize: Int = LineReader.defaultChunkSize) {
        self.source = .fileDescriptor(fd)
        self.maxLineLength = max(maxLineLength, 0)
        self.chunkSize = max(chunkSize, 1)
        self.capacity = min(self.chunkSize, self.maxLineLength + 2)
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// A reader of `bytes` in memory, handed over `chunkSize` bytes at a time, like
    /// short reads from a pipe (tests use small chunks to hit every boundary).
    public init(bytes: [UInt8], maxLineLength: Int = LineReader.defaultMaxLineLength,
                chunkSize: Int = LineReader.defaultChunkSize) {
        self.source = .memory(bytes, position: 0)
        self.maxLineLength = max(maxLineLength, 0)
        self.chunkSize = max(chunkSize, 1)
        self.capacity = min(self.chunkSize, self.maxLineLength + 2)
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// The bytes of the buffer currently held, for tests of the memory bound.
    public var bufferCapacity: Int { capacity }

    /// The next line, over-long line report, or the end of the stream.
    ///
    /// - Throws: `RecurError.readFailed` when reading the file descriptor fails.
    public func next() throws(RecurError) -> Event {
        while true {
            if skippingLongLine {
                if let newline = findNewline() {
                    start = newline + 1
                    scanned = start
                    skippingLongLine = false
                    continue
                }
                // Nothing of the long line is kept: drop everything read so far.
                start = 0
                end = 0
                scanned = 0
                if atEndOfSource {
                    skippingLongLine = false
                    return .end
                }
                try fill()
                continue
            }
            if let newline = findNewline() {
                let lineStart = start
                var lineEnd = newline
                if lineEnd > lineStart && buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 13 {
                    lineEnd -= 1
                }
                start = newline + 1
                scanned = start
                lineNumber += 1
                if lineEnd - lineStart > maxLineLength {
                    return .tooLong(number: lineNumber)
                }
                return .line(number: lineNumber, bytes: UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart))
            }
            scanned = end
            if atEndOfSource {
                guard start < end else { return .end }
                let lineStart = start
                var lineEnd = end
                if buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 13 {
                    lineEnd -= 1
                }
                start = end
                scanned = end
                lineNumber += 1
                if lineEnd - lineStart > maxLineLength {
                    return .tooLong(number: lineNumber)
                }
                return .line(number: lineNumber, bytes: UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart))
            }
            // maxLineLength + 2 bytes without LF cannot be a line of maxLineLength bytes plus CR.
            if end - start >= maxLineLength + 2 {
                lineNumber += 1
                skippingLongLine = true
                start = 0
                end = 0
                scanned = 0
                return .tooLong(number: lineNumber)
            }
            makeRoom()
            try fill()
        }
    }

    /// The offset of the first LF in buffer[scanned..<end], if any.
    private func findNewline() -> Int? {
        guard scanned < end else { return nil }
        let hit = rp_find_byte(buffer + scanned, end - scanned, 10)
        return hit < 0 ? nil : scanned + hit
    }

    /// Ensures free space after `end`: moves the line in progress to the front, and
    /// doubles the buffer (up to maxLineLength + 2 bytes) if it fills the buffer.
    private func makeRoom() {
        guard end == capacity else { return }
        if start > 0 {
            let pending = end - start
            (buffer).copyMemory(from: buffer + start, byteCount: pending)
            scanned -= start
            start = 0
            end = pending
        }
        if end == capacity {
            // end - start < maxLineLength + 2 here, so capacity can still grow.
            let grown = min(capacity * 2, maxLineLength + 2)
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            bigger.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = bigger
            capacity = grown
        }
    }

    /// Reads the next chunk into buffer[end...]; sets `atEndOfSource` when the source is exhausted.
    private func fill() throws(RecurError) {
        let room = min(capacity - end, chunkSize)
        switch source {
        case .fileDescriptor(let fd):
            let got = rp_read(fd, buffer + end, room)
            if got < 0 { throw .readFailed(errno: Int32(truncatingIfNeeded: -got)) }
            if got == 0 { atEndOfSource = true }
            end += got
        case .memory(let bytes, let position):
            let count = min(room, bytes.count - position)
            if count == 0 {
                atEndOfSource = true
                return
            }
            bytes.withUnsafeBytes { all in
                (buffer + end).copyMemory(from: all.baseAddress! + position, byteCount: count)
            }
            end += count
            source = .memory(bytes, position: position + count)
        }
    }
}
