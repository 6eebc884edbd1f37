/// Strict UTF-8 validation of untrusted bytes (RFC 3629).
///
/// Rejects overlong forms, surrogates (U+D800...U+DFFF), code points above
/// U+10FFFF, stray continuation bytes and truncated sequences.
public enum UTF8Validation {
    /// The offset of the first byte that starts an invalid sequence, or nil when all of `bytes` is valid UTF-8.
    ///
    /// - Complexity: O(n), no allocation.
    public static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        var i = 0
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            // Sequence length and the allowed range of the second byte (which
            // excludes overlong forms, surrogates and code points past U+10FFFF).
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i  // continuation byte without a lead, C0, C1, F5...FF
            }
            guard i + length <= count else { return i }
            let second = bytes[i + 1]
            guard second >= low && second <= high else { return i }
            for k in 2..<max(length, 2) where bytes[i + k] & 0xC0 != 0x80 {
                return i
            }
            i += length
        }
        return nil
    }
}
