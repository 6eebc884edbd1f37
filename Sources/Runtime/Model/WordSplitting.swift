/// Word tokenizing for seq2seq models (`recur.tokenizer = word`), shared by the trainer and the runtime.
///
/// The trainer splits its training text with these functions and the runtime splits input lines with the
/// same ones, so a model sees at run time exactly the tokens it was trained on. Everything works on
/// Unicode scalars (no `Character`, no Foundation), so it is Embedded-Swift clean.
///
/// Rules (docs/SEQ2SEQ.md, "Tokenizing"):
/// - Optional lowercasing of A–Z, À–Þ (except ×), Ÿ and the upper/lower pairs of Latin Extended-A
///   (Ā…ž); İ (U+0130) is left as it is because its lowercase is not a single scalar.
/// - Whitespace separates tokens: the Unicode White_Space scalars (space, tab, newlines, NBSP, U+2000…U+200A,
///   …) and the zero-width space U+200B.
/// - A word is a run of letters and digits. Letters are A–Z, a–z, the Latin-1 letters (ª µ º À…ÿ except
///   × ÷) and every scalar from U+0100 up except the punctuation and symbol blocks U+2000…U+2BFF,
///   U+2E00…U+2E7F, U+3000…U+303F and U+1F000…U+1FAFF. Digits are 0–9.
/// - An apostrophe (' or U+2019 ’) with a letter or digit on both sides stays inside the word
///   ("don't", "rock'n'roll"); at a word edge it is its own token.
/// - Every other scalar (. , ! ? ¿ ¡ ; : " ( ) - « » % $ …) is a token of its own.
public enum WordSplitting {
    /// Splits `line` into word tokens by the rules above, lowercasing first when `lowercase` is set.
    ///
    /// - Complexity: O(n) in the number of Unicode scalars.
    public static func words(_ line: String, lowercase: Bool) -> [String] {
        // (n) the line's scalars, lowercased when asked.
        var scalars: [Unicode.Scalar] = []
        for scalar in line.unicodeScalars {
            scalars.append(lowercase ? lowercased(scalar) : scalar)
        }
        var tokens: [String] = []
        var word = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isWordScalar(scalar) {
                word.append(scalar)
            } else if isApostrophe(scalar), !word.isEmpty, index + 1 < scalars.count,
                isWordScalar(scalars[index + 1])
            {
                word.append(scalar)
            } else {
                if !word.isEmpty {
                    tokens.append(String(word))
                    word = String.UnicodeScalarView()
                }
                if !isSeparator(scalar) {
                    var single = String.UnicodeScalarView()
                    single.append(scalar)
                    tokens.append(String(single))
                }
            }
            index += 1
        }
        if !word.isEmpty { tokens.append(String(word)) }
        return tokens
    }

    /// Joins word tokens back into text.
    ///
    /// Tokens are separated by single spaces, except: no space before . , ! ? ; : ) » % and after
    /// ¿ ¡ ( «; a hyphen "-" joins its neighbours without spaces ("twenty-one", the common case in
    /// Tatoeba); straight double quotes alternate opening (no space after) and closing (no space before).
    /// On text written that way, `join(words(text, lowercase: false)) == text`.
    public static func join(_ tokens: [String]) -> String {
        var text = ""
        var quotesSeen = 0
        // Whether the previous token forbids a space after it.
        var glueNext = true
        for token in tokens {
            var glueBefore = glueNext
            glueNext = false
            if token.unicodeScalars.count == 1, let scalar = token.unicodeScalars.first {
                switch scalar {
                case ".", ",", "!", "?", ";", ":", ")", "»", "%":
                    glueBefore = true
                case "¿", "¡", "(", "«":
                    glueNext = true
                case "-":
                    glueBefore = true
                    glueNext = true
                case "\"":
                    if quotesSeen % 2 == 0 {
                        glueNext = true
                    } else {
                        glueBefore = true
                    }
                    quotesSeen += 1
                default:
                    break
                }
            }
            if !glueBefore { text += " " }
            text += token
        }
        return text
    }

    /// Lowercases the documented letter ranges only (A–Z, À–Þ except ×, Ÿ, the Latin Extended-A pairs);
    /// every other scalar is kept as it is.
    public static func lowercased(_ s: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            result.append(lowercased(scalar))
        }
        return String(result)
    }

    /// The lowercase of one scalar under the documented ranges.
    static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        let lower: UInt32
        switch value {
        case 0x41...0x5A, 0xC0...0xD6, 0xD8...0xDE:
            // A–Z, À–Ö, Ø–Þ: the lowercase is 0x20 higher.
            lower = value + 0x20
        case 0x100...0x12F, 0x132...0x137, 0x14A...0x177:
            // Latin Extended-A pairs with the capital on the even code point.
            lower = value & 1 == 0 ? value + 1 : value
        case 0x139...0x148, 0x179...0x17E:
            // Pairs with the capital on the odd code point (Ĺ…ň, Ź…ž).
            lower = value & 1 == 1 ? value + 1 : value
        case 0x178:
            // Ÿ → ÿ, outside its block.
            lower = 0xFF
        default:
            lower = value
        }
        return Unicode.Scalar(lower) ?? scalar
    }

    /// A letter or digit: part of a word.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            return true
        case 0xAA, 0xB5, 0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0xFF:
            return true
        case 0...0xFF:
            return false
        case 0x2000...0x2BFF, 0x2E00...0x2E7F, 0x3000...0x303F, 0x1F000...0x1FAFF:
            return false
        default:
            return !isSeparator(scalar)
        }
    }

    /// ' or the typographic apostrophe ’ (U+2019).
    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x27 || scalar.value == 0x2019
    }

    /// Whitespace: the Unicode White_Space scalars plus the zero-width space U+200B.
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
