/// Why a token sequence is not a GUI document; `position` counts tokens from 1.
public enum GUISyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A token that is not in the vocabulary (`GUIToken`).
    case unknownToken(position: Int, token: String)
    /// A known token where the grammar wants something else.
    case unexpectedToken(position: Int, token: String, expected: String)
    /// The sequence ended where the grammar wants `expected`.
    case unexpectedEnd(position: Int, expected: String)
    /// A row whose column count does not match its columns' kind (`double` needs two).
    case columnCount(position: Int, layout: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .unknownToken(let position, let token):
            "token \(position) '\(token)' is not a GUI token (known: \(GUIToken.allCases.map(\.rawValue).joined(separator: " ")))"
        case .unexpectedToken(let position, let token, let expected):
            "token \(position) '\(token)': expected \(expected)"
        case .unexpectedEnd(let position, let expected):
            "the sequence ends before token \(position): expected \(expected)"
        case .columnCount(let position, let layout, let expected, let found):
            "token \(position) ends a row of \(found) '\(layout)' column\(found == 1 ? "" : "s"); a '\(layout)' row has \(expected)"
        }
    }
}
