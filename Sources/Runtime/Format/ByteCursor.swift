/// A bounds-checked little-endian reader over untrusted bytes.
///
/// Every read checks the remaining length first and throws ``RecurError/truncated(what:offset:needed:available:)``
/// naming what was being read; nothing here can read outside the buffer or trap.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    /// Position of the next read, from the start of `bytes`.
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bytes left after `offset`.
    var remaining: Int {
        bytes.count - offset
    }

    /// Fails unless `count` more bytes are available.
    func require(_ count: Int, _ what: String) throws(RecurError) {
        if count < 0 || count > remaining {
            throw .truncated(what: what, offset: offset, needed: count, available: remaining)
        }
    }

    mutating func skip(_ count: Int, _ what: String) throws(RecurError) {
        try require(count, what)
        offset += count
    }

    mutating func readUInt8(_ what: String) throws(RecurError) -> UInt8 {
        try require(1, what)
        let value = bytes[offset]
        offset += 1
        return value
    }

    mutating func readUInt16(_ what: String) throws(RecurError) -> UInt16 {
        try readLittleEndian(what)
    }

    mutating func readUInt32(_ what: String) throws(RecurError) -> UInt32 {
        try readLittleEndian(what)
    }

    mutating func readUInt64(_ what: String) throws(RecurError) -> UInt64 {
        try readLittleEndian(what)
    }

    /// Reads one little-endian integer of `Value`'s width.
    private mutating func readLittleEndian<Value: FixedWidthInteger>(_ what: String) throws(RecurError) -> Value {
        let size = Value.bitWidth / 8
        try require(size, what)
        let value = Value(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Value.self))
        offset += size
        return value
    }

    /// Reads a u64 count or length and checks that `count × minimumSize` bytes could still
    /// follow, before anyone allocates for it: a declared 2^60 fails here, at once.
    mutating func readCount(_ what: String, minimumSize: Int) throws(RecurError) -> Int {
        let start = offset
        let raw = try readUInt64(what)
        let available = remaining
        if raw > UInt64(Int.max) || Int(raw) > available / max(minimumSize, 1) {
            let needed = raw > UInt64(Int.max / max(minimumSize, 1)) ? Int.max : Int(raw) * max(minimumSize, 1)
            throw .truncated(what: "\(what) (\(raw) declared)", offset: start + 8, needed: needed, available: available)
        }
        return Int(raw)
    }

    /// Reads a GGUF string (u64 length + bytes) and checks that it is valid UTF-8.
    mutating func readString(_ what: String) throws(RecurError) -> String {
        let length = try readCount(what, minimumSize: 1)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        guard UTF8Validation.firstInvalidOffset(slice) == nil else {
            throw .invalidUTF8(what: what)
        }
        offset += length
        return String(decoding: slice, as: UTF8.self)
    }
}
