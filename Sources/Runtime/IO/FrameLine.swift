/// What one line of a frame stream turned out to be (see `parseFrameLine`).
public enum FrameLine: Equatable, Sendable {
    /// A frame: `count` (== expected) values were written into the caller's buffer.
    case frame(count: Int)
    /// A blank line or a `#` comment: ignore it, and keep passing `allowHeader` as before.
    case skip
    /// A line of column names (only when `allowHeader` was true): ignore it, and pass
    /// `allowHeader: false` from now on.
    case header
    /// A malformed line: report it (stderr, with its line number) and skip it, or stop
    /// with exit code 65 under `--strict`. Pass `allowHeader: false` from now on.
    case bad(FrameLineProblem)
}

/// Why a line of a frame stream was rejected, and where.
public struct FrameLineProblem: Equatable, Sendable {
    /// The kinds of malformed line. Field numbers count from 1.
    public enum Kind: Equatable, Sendable {
        /// The line holds `found` numbers where the model takes `expected`.
        case wrongCount(expected: Int, found: Int)
        /// Two separators with nothing between them (`1,,2`), or a leading or trailing comma.
        case emptyField(field: Int)
        /// The field is not a decimal number; `text` is the field, escaped and truncated.
        case notANumber(field: Int, text: String)
        /// The field spells NaN or infinity.
        case notFinite(field: Int, text: String)
        /// The field is a number beyond the float range (it would be infinite).
        case outOfRange(field: Int, text: String)
        /// The line is not valid UTF-8; `offset` is the byte where decoding failed.
        case invalidUTF8(offset: Int)
        /// The line is longer than `limit` bytes (reported by `LineReader`).
        case tooLong(limit: Int)
    }

    /// The line's number, from 1.
    public let lineNumber: Int
    public let kind: Kind

    public init(lineNumber: Int, kind: Kind) {
        self.lineNumber = lineNumber
        self.kind = kind
    }

    /// A one-line message for stderr, e.g. `line 7: expected 6 numbers, found 5`.
    public var message: String {
        let what: String
        switch kind {
        case .wrongCount(let expected, let found):
            what = "expected \(expected) numbers, found \(found)"
        case .emptyField(let field):
            what = "field \(field) is empty"
        case .notANumber(let field, let text):
            what = "field \(field) is not a number: \"\(text)\""
        case .notFinite(let field, let text):
            what = "field \(field) is not finite: \"\(text)\""
        case .outOfRange(let field, let text):
            what = "field \(field) is out of the float range: \"\(text)\""
        case .invalidUTF8(let offset):
            what = "invalid UTF-8 at byte \(offset)"
        case .tooLong(let limit):
            what = "line longer than \(limit) bytes, skipped"
        }
        return "line \(lineNumber): \(what)"
    }

    /// The longest field text kept in a problem, in bytes of the original line.
    public static let maxQuotedBytes = 32

    /// `bytes` as printable ASCII for a message: printable characters as they are,
    /// `\` and `"` backslash-escaped, anything else as `\xHH`; cut after
    /// `maxQuotedBytes` bytes with `...`.
    public static func quote(_ bytes: UnsafeRawBufferPointer) -> String {
        let hex: StaticString = "0123456789abcdef"
        var out: [UInt8] = []
        out.reserveCapacity(min(bytes.count, maxQuotedBytes) * 4 + 3)
        for byte in bytes.prefix(maxQuotedBytes) {
            switch byte {
            case 0x5C, 0x22:
                out.append(0x5C)
                out.append(byte)
            case 0x20...0x7E:
                out.append(byte)
            default:
                out.append(0x5C)
                out.append(0x78)  // x
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 15)])
            }
        }
        if bytes.count > maxQuotedBytes {
            out.append(contentsOf: [0x2E, 0x2E, 0x2E])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
