/// Strict UTF-8 validation written out by hand (the Runtime has no Foundation).
///
/// Accepts exactly the well-formed sequences of Unicode 15 table 3-7: no overlong forms,
/// no surrogates (U+D800...U+DFFF), nothing above U+10FFFF, no truncated sequences.
enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // Sequence length and the allowed range of the second byte, per lead byte.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0              // no overlong 3-byte forms
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F             // no surrogates
            case 0xF0: length = 4; low = 0x90              // no overlong 4-byte forms
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F             // nothing above U+10FFFF
            default: return false                          // 0x80...0xC1, 0xF5...0xFF
            }
            if count - index < length {
                return false
            }
            let second = bytes[index + 1]
            if second < low || second > high {
                return false
            }
            var continuation = 2
            while continuation < length {
                if bytes[index + continuation] & 0xC0 != 0x80 {
                    return false
                }
                continuation += 1
            }
            index += length
        }
        return true
    }
}
