import CPlatform

/// Parses decimal numbers from bytes into the nearest `Float`, fast.
///
/// Grammar (nothing else is a number):
///
///     number   = sign? (digits ("." digits?)? | "." digits) exponent?
///     sign     = "+" | "-"            a leading "+" is accepted, like strtof
///     exponent = ("e" | "E") sign? digits
///
/// Hex floats (`0x1p3`), `nan`, `inf`, `infinity`, whitespace and thousands
/// separators are not numbers here; `classifyNonNumber` tells the caller whether
/// a rejected field spelled a non-finite value.
///
/// The result is the correctly rounded float, on every architecture. The fast path
/// (Clinger's): with at most 19 significant digits, a mantissa `m ≤ 2^53` and a
/// decimal exponent `|e| ≤ 22`, both `m` and `10^|e|` are exact doubles, so one IEEE
/// multiplication or division gives the correctly rounded double `d` of `m·10^e`.
/// Rounding `d` to float is then correct unless `d` sits exactly on a midpoint
/// between two floats (double rounding); that case, subnormal results, and every
/// input outside the fast path go to the C library's `strtof`, which rounds
/// correctly on glibc.
public enum DecimalFloat {
    /// The outcome of parsing one field.
    public enum Parsed: Equatable, Sendable {
        case value(Float)
        /// The bytes do not match the grammar.
        case invalid
        /// A valid number too large for a float (it would be infinite).
        case overflow
    }

    /// The longest number handed to `strtof` (longer fallbacks are `.invalid`).
    public static let maxFallbackLength = 255

    /// Exact powers of ten 10^0 ... 10^22 (all representable in a double).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses all of `bytes` as one number.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Parsed {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .invalid }
        return parse(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    /// Parses base[0..<count] as one number.
    public static func parse(_ base: UnsafePointer<UInt8>, count: Int) -> Parsed {
        var i = 0
        var negative = false
        if i < count && (base[i] == 0x2B || base[i] == 0x2D) {  // + -
            negative = base[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var anyDigit = false
        var exponent10 = 0
        // False when more than 19 significant digits were seen: the fast path then
        // lacks digits, and strtof re-reads the whole text.
        var exact = true
        // Integer part, then the fraction after at most one point.
        var seenPoint = false
        while i < count {
            let byte = base[i]
            if byte == 0x2E {  // .
                if seenPoint { break }
                seenPoint = true
                i += 1
                continue
            }
            let digit = byte &- 0x30
            if digit > 9 { break }
            anyDigit = true
            if mantissa != 0 || digit != 0 {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                    if seenPoint { exponent10 -= 1 }
                } else {
                    exact = false
                }
            } else if seenPoint {
                exponent10 -= 1  // a leading zero of the fraction still scales the value
            }
            i += 1
        }
        guard anyDigit else { return .invalid }
        // Exponent.
        if i < count && (base[i] | 0x20) == 0x65 {  // e E
            i += 1
            var exponentNegative = false
            if i < count && (base[i] == 0x2B || base[i] == 0x2D) {
                exponentNegative = base[i] == 0x2D
                i += 1
            }
            var explicit = 0
            var exponentDigits = 0
            while i < count {
                let digit = base[i] &- 0x30
                if digit > 9 { break }
                // Saturate: anything past ±100000 is zero or infinite for a float anyway.
                if explicit < 100_000 { explicit = explicit * 10 + Int(digit) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return .invalid }
            exponent10 += exponentNegative ? -explicit : explicit
        }
        guard i == count else { return .invalid }

        if mantissa == 0 && exact {
            return .value(negative ? -0.0 : 0.0)
        }
        if exact && mantissa <= (1 << 53) && exponent10 >= -22 && exponent10 <= 22 {
            var double = Double(mantissa)
            // d = m · 10^e or m / 10^-e: one correctly rounded IEEE operation.
            if exponent10 >= 0 {
                double *= powersOfTen[exponent10]
            } else {
                double /= powersOfTen[-exponent10]
            }
            // Low 29 bits of the 52-bit fraction == 1 followed by 28 zeros: d is a
            // float midpoint, where rounding twice may differ from rounding once.
            let onMidpoint = double.bitPattern & 0x1FFF_FFFF == 0x1000_0000
            if double >= Double(Float.leastNormalMagnitude) && !onMidpoint {
                let single = Float(double)
                if single.isFinite {
                    return .value(negative ? -single : single)
                }
            }
        }
        return parseWithStrtof(base, count: count)
    }

    /// The slow, always-correct path: glibc's strtof on a NUL-terminated stack copy.
    private static func parseWithStrtof(_ base: UnsafePointer<UInt8>, count: Int) -> Parsed {
        guard count <= maxFallbackLength else { return .invalid }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: maxFallbackLength + 1) { scratch in
            var value: Float = 0
            var consumed = 0
            let status = rp_parse_float(base, count, scratch.baseAddress, scratch.count, &value, &consumed)
            if status == 0 && consumed == count { return .value(value) }
            if status == RP_ERANGE && consumed == count { return .overflow }
            return .invalid
        }
    }

    /// Whether rejected text spells a non-finite value: `nan`, `inf` or `infinity`
    /// in any case, with an optional sign.
    public static func spellsNonFinite(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        if i < bytes.count && (bytes[i] == 0x2B || bytes[i] == 0x2D) { i += 1 }
        let rest = bytes.count - i
        func matches(_ word: StaticString) -> Bool {
            guard rest == word.utf8CodeUnitCount else { return false }
            let letters = word.utf8Start
            for k in 0..<rest where (bytes[i + k] | 0x20) != letters[k] {
                return false
            }
            return true
        }
        return matches("nan") || matches("inf") || matches("infinity")
    }
}
