import Glibc
import RecurRuntime
import Testing
import TestSupport

/// Parses `text` with DecimalFloat.
func decimal(_ text: String) -> DecimalFloat.Parsed {
    Array(text.utf8).withUnsafeBytes { DecimalFloat.parse($0) }
}

/// glibc's strtof on `text`: the correctly rounded reference, or overflow.
func strtofReference(_ text: String) -> DecimalFloat.Parsed {
    errno = 0
    let value = strtof(text, nil)
    if errno == ERANGE && value.isInfinite { return .overflow }
    return .value(value)
}

/// Compares bit patterns (so -0 differs from 0).
func sameBits(_ a: DecimalFloat.Parsed, _ b: DecimalFloat.Parsed) -> Bool {
    switch (a, b) {
    case (.value(let x), .value(let y)): return x.bitPattern == y.bitPattern
    default: return a == b
    }
}

@Suite("IO: DecimalFloat parses decimals to the correctly rounded float")
struct IODecimalFloatTests {
    @Test("the grammar: accepted forms", arguments: [
        ("0", Float(0)), ("-0", -Float(0)), ("+1.5", 1.5), ("1.", 1), (".25", 0.25), ("-.5e1", -5),
        ("1e3", 1000), ("1E+3", 1000), ("2.5e-1", 0.25), ("007", 7), ("0.000", 0), ("1e-50", 0),
    ])
    func accepted(text: String, value: Float) {
        #expect(sameBits(decimal(text), .value(value)), "\(text)")
    }

    @Test("the grammar: rejected forms", arguments: [
        "", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1..2", "0x10", "0x1p3", "nan", "inf", "Infinity",
        " 1", "1 ", "1,0", "1_000", "--1", "+-1", "1e5.5", "١",
    ])
    func rejected(text: String) {
        #expect(decimal(text) == .invalid, "\(text)")
    }

    @Test("values beyond the float range overflow; tiny ones round to subnormals or zero like strtof")
    func range() {
        #expect(decimal("3.5e38") == .overflow)
        #expect(decimal("-1e39") == .overflow)
        #expect(decimal("1e100000000") == .overflow)
        #expect(sameBits(decimal("3.4028234e38"), .value(Float.greatestFiniteMagnitude)))
        #expect(sameBits(decimal("1e-45"), strtofReference("1e-45")))
        #expect(sameBits(decimal("1e-46"), .value(0)))
        #expect(sameBits(decimal("-1e-100000000"), .value(-0.0)))
    }

    @Test("float midpoints round half to even; many digits still round correctly")
    func hardCases() {
        for text in ["16777217", "16777219", "16777217.0000000001", "1.00000005960464477550",
                     "1.000000059604644775390625", "0.1", "3.4028235677973366e38", "7.006492321624085e-46",
                     "123456789012345678901234567890", "0.30000001192092895507812"] {
            #expect(sameBits(decimal(text), strtofReference(text)), "\(text)")
        }
        #expect(sameBits(decimal("16777217"), .value(16_777_216)))
        #expect(sameBits(decimal("16777219"), .value(16_777_220)))
    }

    @Test("seeded random decimal strings parse exactly as strtof does", arguments: [1, 2, 3])
    func randomAgainstStrtof(seed: UInt64) {
        var random = SeededGenerator(seed: 0xDEC1_0000 &+ seed)
        var mismatches: [String] = []
        for _ in 0..<30_000 {
            var text = ""
            switch Int.random(in: 0..<3, using: &random) {
            case 0: text += "-"
            case 1 where Bool.random(using: &random): text += "+"
            default: break
            }
            // Mostly sensor-like numbers, sometimes long mantissas (the strtof fallback).
            let integerDigits = Int.random(in: 0...(Bool.random(using: &random) ? 3 : 22), using: &random)
            let fractionDigits = Int.random(in: 0...(Bool.random(using: &random) ? 7 : 25), using: &random)
            for _ in 0..<integerDigits { text += String(Int.random(in: 0...9, using: &random)) }
            if fractionDigits > 0 || integerDigits == 0 {
                text += "."
                for _ in 0..<max(fractionDigits, 1) { text += String(Int.random(in: 0...9, using: &random)) }
            }
            if Int.random(in: 0..<3, using: &random) == 0 {
                text += Bool.random(using: &random) ? "e" : "E"
                text += ["", "+", "-"].randomElement(using: &random)!
                text += String(Int.random(in: 0...(Bool.random(using: &random) ? 25 : 60), using: &random))
            }
            if !sameBits(decimal(text), strtofReference(text)) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(10))")
    }

    @Test("seeded random floats printed shortest parse back to themselves")
    func roundTrip() {
        var random = SeededGenerator(seed: 0xF10A7)
        for _ in 0..<20_000 {
            let value = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &random))
            guard value.isFinite else { continue }
            #expect(sameBits(decimal("\(value)"), .value(value)), "\(value)")
        }
    }

    @Test("nan, inf and infinity are recognised as non-finite spellings, in any case")
    func nonFiniteSpellings() {
        for text in ["nan", "NaN", "-nan", "inf", "+INF", "-Infinity", "infinity"] {
            #expect(Array(text.utf8).withUnsafeBytes { DecimalFloat.spellsNonFinite($0) }, "\(text)")
        }
        for text in ["na", "infinit", "nanx", "1", ""] {
            #expect(!Array(text.utf8).withUnsafeBytes { DecimalFloat.spellsNonFinite($0) }, "\(text)")
        }
    }
}
