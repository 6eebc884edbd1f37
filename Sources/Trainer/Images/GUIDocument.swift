/// A GUI in the DSL as a tree: a header of navigation buttons, rows of columns of elements and an
/// optional footer.
///
/// `tokens` writes it as the DSL token sequence; `GUIDocument(parsing:)` (GUIDocument+Parsing.swift)
/// reads one back and is the grammar's only checker.
public struct GUIDocument: Equatable, Sendable {
    /// One row: `layout` is `.single`, `.double` or `.quadruple` and `columns` holds exactly
    /// `layout.columnsPerRow` columns, each a non-empty list of column elements.
    public struct Row: Equatable, Sendable {
        public var layout: GUIToken
        public var columns: [[GUIToken]]

        public init(layout: GUIToken, columns: [[GUIToken]]) {
            self.layout = layout
            self.columns = columns
        }
    }

    /// Navigation buttons (`btn-active`, `btn-inactive`), at least one.
    public var header: [GUIToken]
    /// At least one row.
    public var rows: [Row]
    /// Navigation buttons, or nil for a page without a footer.
    public var footer: [GUIToken]?

    public init(header: [GUIToken], rows: [Row], footer: [GUIToken]?) {
        self.header = header
        self.rows = rows
        self.footer = footer
    }

    /// The DSL token sequence, braces included.
    public var tokens: [GUIToken] {
        var out: [GUIToken] = [.header, .open]
        out += header
        out.append(.close)
        for row in rows {
            out += [.row, .open]
            for column in row.columns {
                out += [row.layout, .open]
                out += column
                out.append(.close)
            }
            out.append(.close)
        }
        if let footer {
            out += [.footer, .open]
            out += footer
            out.append(.close)
        }
        return out
    }

    /// The token sequence as text: tokens separated by single spaces (a manifest's target).
    public var text: String { tokens.map(\.rawValue).joined(separator: " ") }
}
