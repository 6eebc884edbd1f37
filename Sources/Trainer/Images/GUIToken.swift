/// The vocabulary of the GUI language (pix2code-style): containers, braces and leaf elements.
///
/// A document is `header { … } row { … } … [footer { … }]`; docs/IMAGES.md has the grammar,
/// what each token looks like in a `GUISketch` and the HTML it compiles to (`GUIHTML`).
public enum GUIToken: String, CaseIterable, Sendable {
    case header
    case footer
    case row
    /// Columns: a row holds one `single`, two `double` or four `quadruple`.
    case single
    case double
    case quadruple
    case open = "{"
    case close = "}"
    /// Navigation buttons (header and footer only).
    case buttonActive = "btn-active"
    case buttonInactive = "btn-inactive"
    /// Column elements.
    case buttonGreen = "btn-green"
    case buttonOrange = "btn-orange"
    case buttonRed = "btn-red"
    case smallTitle = "small-title"
    case text
    case checkbox

    /// The columns a row of this kind holds: 1, 2 or 4; nil for tokens that are not column kinds.
    public var columnsPerRow: Int? {
        switch self {
        case .single: 1
        case .double: 2
        case .quadruple: 4
        default: nil
        }
    }

    /// Whether the token may appear in a header or footer.
    public var isNavigationButton: Bool { self == .buttonActive || self == .buttonInactive }

    /// Whether the token may appear in a column.
    public var isColumnElement: Bool {
        switch self {
        case .buttonGreen, .buttonOrange, .buttonRed, .smallTitle, .text, .checkbox: true
        default: false
        }
    }
}
