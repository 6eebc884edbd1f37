/// The GUI grammar, checked by a recursive-descent parser:
///
///     document := "header" "{" nav+ "}" row+ [ "footer" "{" nav+ "}" ]
///     row      := "row" "{" column+ "}"     -- 1 single, 2 double or 4 quadruple columns
///     column   := ("single" | "double" | "quadruple") "{" element+ "}"
///     nav      := "btn-active" | "btn-inactive"
///     element  := "btn-green" | "btn-orange" | "btn-red" | "small-title" | "text" | "checkbox"
extension GUIDocument {
    /// Parses a token sequence, e.g. a model's output split at spaces.
    ///
    /// - Throws: `GUISyntaxError` naming the first token (counted from 1) that breaks the grammar.
    public init(parsing words: [String]) throws(GUISyntaxError) {
        var parser = GUIParser(words: words)
        self = try parser.document()
    }

    /// Parses DSL text: tokens separated by any whitespace (spaces, tabs, newlines).
    ///
    /// - Throws: `GUISyntaxError` as `init(parsing:)` with the words.
    public init(parsing text: String) throws(GUISyntaxError) {
        try self.init(parsing: text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init))
    }
}

/// The parser's cursor over the words; each method reads one production.
private struct GUIParser {
    let words: [String]
    var index = 0

    init(words: [String]) { self.words = words }

    /// The token at the cursor (nil at the end), refusing words outside the vocabulary.
    func peek() throws(GUISyntaxError) -> GUIToken? {
        guard index < words.count else { return nil }
        guard let token = GUIToken(rawValue: words[index]) else {
            throw .unknownToken(position: index + 1, token: words[index])
        }
        return token
    }

    /// Consumes the token at the cursor if `accept` holds for it, else throws naming `expected`.
    mutating func take(_ expected: String, where accept: (GUIToken) -> Bool) throws(GUISyntaxError) -> GUIToken {
        guard let token = try peek() else { throw .unexpectedEnd(position: index + 1, expected: expected) }
        guard accept(token) else { throw .unexpectedToken(position: index + 1, token: token.rawValue, expected: expected) }
        index += 1
        return token
    }

    mutating func take(_ wanted: GUIToken, after previous: GUIToken) throws(GUISyntaxError) {
        _ = try take("'\(wanted.rawValue)' after '\(previous.rawValue)'", where: { $0 == wanted })
    }

    mutating func document() throws(GUISyntaxError) -> GUIDocument {
        _ = try take("'header' (a document starts with its header)", where: { $0 == .header })
        let header = try navigation(after: .header)
        var rows: [GUIDocument.Row] = []
        repeat {
            rows.append(try row())
        } while try peek() == .row
        var footer: [GUIToken]?
        if try peek() != nil {
            _ = try take("'row', 'footer' or the end", where: { $0 == .footer })
            footer = try navigation(after: .footer)
        }
        if let extra = try peek() {
            throw .unexpectedToken(position: index + 1, token: extra.rawValue, expected: "the end (nothing follows the footer)")
        }
        return GUIDocument(header: header, rows: rows, footer: footer)
    }

    /// `{ nav+ }` after `header` or `footer`.
    mutating func navigation(after container: GUIToken) throws(GUISyntaxError) -> [GUIToken] {
        try take(.open, after: container)
        var buttons: [GUIToken] = []
        let expectation = "'btn-active' or 'btn-inactive' (a \(container.rawValue) holds navigation buttons)"
        buttons.append(try take(expectation, where: \.isNavigationButton))
        while try peek() != .close {
            buttons.append(try take(expectation + " or '}'", where: \.isNavigationButton))
        }
        index += 1
        return buttons
    }

    mutating func row() throws(GUISyntaxError) -> GUIDocument.Row {
        _ = try take("'row'", where: { $0 == .row })
        try take(.open, after: .row)
        let layout = try take("'single', 'double' or 'quadruple' (a row holds columns)", where: { $0.columnsPerRow != nil })
        var columns = [try column(layout)]
        while try peek() != .close {
            _ = try take("'\(layout.rawValue)' (this row's columns) or '}'", where: { $0 == layout })
            columns.append(try column(layout))
        }
        let expected = layout.columnsPerRow ?? 1
        guard columns.count == expected else {
            throw .columnCount(position: index + 1, layout: layout.rawValue, expected: expected, found: columns.count)
        }
        index += 1
        return GUIDocument.Row(layout: layout, columns: columns)
    }

    /// `{ element+ }` after a column token, which the caller has consumed.
    mutating func column(_ layout: GUIToken) throws(GUISyntaxError) -> [GUIToken] {
        try take(.open, after: layout)
        let expectation = "a column element (btn-green, btn-orange, btn-red, small-title, text, checkbox)"
        var elements = [try take(expectation, where: \.isColumnElement)]
        while try peek() != .close {
            elements.append(try take(expectation + " or '}'", where: \.isColumnElement))
        }
        index += 1
        return elements
    }
}
