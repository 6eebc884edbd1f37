import Foundation

/// Compiles GUI documents to self-contained HTML pages (inline CSS, no external files).
///
/// The compilation is a fixed wrapper around one fragment per token, so that the board binary,
/// which knows nothing of the grammar, can render a decoded token sequence from a table stored in
/// the model (IMAGE_SPEC.md, `recur.target.render.*`): containers open a `<div>`, `{` is a line
/// break, `}` closes the `<div>`, and each element is one fixed HTML element. `compile` walks the
/// parsed tree (opening and closing each container itself); `renderTable` is the same mapping per
/// token, and the tests check that the two agree on every generated document.
public enum GUIHTML {
    /// What a model file stores to render its output: the page is
    /// `before + tokens[t₁] + tokens[t₂] + … + after`.
    public struct RenderTable: Codable, Equatable, Sendable {
        public var before: String
        public var after: String
        /// The HTML fragment of each DSL token, keyed by the token's text.
        public var tokens: [String: String]

        /// The page for a token sequence; tokens missing from the table render as nothing.
        public func render(_ words: [String]) -> String {
            before + words.map { tokens[$0] ?? "" }.joined() + after
        }

        /// The table as JSON, `{"after": …, "before": …, "tokens": {token: fragment}}` with sorted
        /// keys: the file `recur gui2html --render-table` writes and `recur train image2text
        /// --render-from` reads (decode it with `JSONDecoder`).
        public func json() throws -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(self) + Data("\n".utf8)
        }
    }

    /// The page's head and the opening of its container.
    public static let before = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Generated GUI</title>
        <style>
        body { margin: 0; background: #fff; color: #212529; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        .container { max-width: 960px; margin: 0 auto; padding: 16px; }
        .header, .footer { display: flex; gap: 8px; padding: 12px; background: #f1f3f5; border-radius: 6px; margin-bottom: 16px; }
        .footer { margin: 16px 0 0; }
        .row { display: flex; gap: 16px; margin-bottom: 16px; }
        .col { box-sizing: border-box; padding: 12px; border: 1px solid #dee2e6; border-radius: 6px; display: flex; flex-direction: column; align-items: flex-start; gap: 8px; }
        .col-12 { flex: 0 0 100%; } .col-6 { flex: 1 1 0; } .col-3 { flex: 1 1 0; }
        .btn { display: inline-block; padding: 6px 14px; border: 1px solid transparent; border-radius: 4px; font: inherit; text-decoration: none; cursor: pointer; }
        .btn-active { background: #0d6efd; color: #fff; }
        .btn-inactive { background: #fff; color: #0d6efd; border-color: #0d6efd; }
        .btn-green { background: #198754; color: #fff; }
        .btn-orange { background: #fd7e14; color: #fff; }
        .btn-red { background: #dc3545; color: #fff; }
        h4 { margin: 0; font-size: 1.25rem; font-weight: 600; }
        p { margin: 0; color: #495057; }
        .check { display: flex; gap: 6px; align-items: center; }
        </style>
        </head>
        <body>
        <div class="container">

        """

    /// The container's and the page's end.
    public static let after = """
        </div>
        </body>
        </html>

        """

    /// The opening `<div>` of a container token, nil for other tokens.
    static func opening(_ token: GUIToken) -> String? {
        switch token {
        case .header: #"<div class="header">"#
        case .footer: #"<div class="footer">"#
        case .row: #"<div class="row">"#
        case .single: #"<div class="col col-12">"#
        case .double: #"<div class="col col-6">"#
        case .quadruple: #"<div class="col col-3">"#
        default: nil
        }
    }

    /// What opens a container's children (`{`) and what closes the container (`}`).
    static let openBrace = "\n"
    static let closeBrace = "</div>\n"

    /// The HTML element of a button or column element, nil for containers and braces.
    static func element(_ token: GUIToken) -> String? {
        switch token {
        case .buttonActive: ##"<a class="btn btn-active" href="#">Home</a>"## + "\n"
        case .buttonInactive: ##"<a class="btn btn-inactive" href="#">Link</a>"## + "\n"
        case .buttonGreen: #"<button class="btn btn-green">Confirm</button>"# + "\n"
        case .buttonOrange: #"<button class="btn btn-orange">Save</button>"# + "\n"
        case .buttonRed: #"<button class="btn btn-red">Delete</button>"# + "\n"
        case .smallTitle: "<h4>Title</h4>\n"
        case .text: "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n"
        case .checkbox: #"<label class="check"><input type="checkbox"> Option</label>"# + "\n"
        default: nil
        }
    }

    /// The page for a document, built from its tree.
    public static func compile(_ document: GUIDocument) -> String {
        var body = ""
        func container(_ token: GUIToken, _ children: () -> Void) {
            body += (opening(token) ?? "") + openBrace
            children()
            body += closeBrace
        }
        func elements(_ tokens: [GUIToken]) {
            for token in tokens { body += element(token) ?? "" }
        }
        container(.header) { elements(document.header) }
        for row in document.rows {
            container(.row) {
                for column in row.columns { container(row.layout) { elements(column) } }
            }
        }
        if let footer = document.footer { container(.footer) { elements(footer) } }
        return before + body + after
    }

    /// Parses DSL words and compiles them.
    ///
    /// - Throws: `GUISyntaxError` naming the first token that breaks the grammar.
    public static func compile(_ words: [String]) throws(GUISyntaxError) -> String {
        compile(try GUIDocument(parsing: words))
    }

    /// The per-token table for every token of the vocabulary.
    public static func renderTable() -> RenderTable {
        var tokens: [String: String] = [:]
        for token in GUIToken.allCases {
            switch token {
            case .open: tokens[token.rawValue] = openBrace
            case .close: tokens[token.rawValue] = closeBrace
            default: tokens[token.rawValue] = opening(token) ?? element(token) ?? ""
            }
        }
        return RenderTable(before: before, after: after, tokens: tokens)
    }
}
