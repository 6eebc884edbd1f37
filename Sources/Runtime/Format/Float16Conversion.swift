/// IEEE 754 binary16 → binary32 conversion, written by hand so it is the same on every
/// target (the Embedded build and armv7 have no `Float16` to lean on).
enum Float16Conversion {
    /// The Float exactly equal to the half-precision value with bit pattern `bits`.
    ///
    /// Layout: half = s·1 | e·5 | m·10 (bias 15); float = s·1 | e·8 | m·23 (bias 127).
    /// - normal (0 < e < 31): float exponent e − 15 + 127, mantissa m << 13
    /// - subnormal (e = 0, m ≠ 0): value m · 2^−24; normalised by shifting m until bit 10 is set
    /// - zero keeps its sign; e = 31 is infinity (m = 0) or NaN with the payload m << 13 kept.
    static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        var mantissa = UInt32(bits & 0x03FF)
        let result: UInt32
        if exponent == 0x1F {
            result = sign | 0x7F80_0000 | (mantissa << 13)
        } else if exponent != 0 {
            result = sign | ((exponent + 112) << 23) | (mantissa << 13)
        } else if mantissa == 0 {
            result = sign
        } else {
            // Subnormal: value = m · 2^-24. Shift m left until its leading 1 reaches bit 10;
            // each shift lowers the exponent by one from the smallest normal's (2^-14 → 113 biased).
            var floatExponent: UInt32 = 113
            while mantissa & 0x0400 == 0 {
                mantissa <<= 1
                floatExponent -= 1
            }
            result = sign | (floatExponent << 23) | ((mantissa & 0x03FF) << 13)
        }
        return Float(bitPattern: result)
    }
}
