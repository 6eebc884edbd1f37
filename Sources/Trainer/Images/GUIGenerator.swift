/// Draws random GUI documents for the image → DSL data set (pix2code-style, generated).
///
/// A document has a header of 1–4 navigation buttons, 1–3 rows (each `single`, `double` or
/// `quadruple`, equally likely; 1–3 elements per column, 1–2 in a quadruple column) and, half
/// the time, a footer of 1–4 buttons. Documents longer than `maxTokens` are drawn again, so
/// every target fits a small decoder.
public struct GUIGenerator: Sendable {
    /// The longest token sequence kept (braces included); at least 11, the shortest document.
    public var maxTokens: Int

    /// The shortest possible document: `header { b } row { single { e } }`.
    public static let minimumTokens = 11

    public init(maxTokens: Int = 40) {
        precondition(maxTokens >= Self.minimumTokens, "maxTokens \(maxTokens) < \(Self.minimumTokens)")
        self.maxTokens = maxTokens
    }

    /// A random document of at most `maxTokens` tokens.
    public func document(random: inout SeededRandom) -> GUIDocument {
        while true {
            let candidate = draw(random: &random)
            if candidate.tokens.count <= maxTokens { return candidate }
        }
    }

    private func draw(random: inout SeededRandom) -> GUIDocument {
        let elements: [GUIToken] = GUIToken.allCases.filter(\.isColumnElement)
        let layouts: [GUIToken] = [.single, .double, .quadruple]
        var rows: [GUIDocument.Row] = []
        for _ in 0..<random.integer(in: 1...3) {
            let layout = random.element(of: layouts)
            let most = layout == .quadruple ? 2 : 3
            let columns = (0..<(layout.columnsPerRow ?? 1)).map { _ in
                (0..<random.integer(in: 1...most)).map { _ in random.element(of: elements) }
            }
            rows.append(GUIDocument.Row(layout: layout, columns: columns))
        }
        let header = navigation(random: &random)
        let footer = random.below(2) == 0 ? nil : navigation(random: &random)
        return GUIDocument(header: header, rows: rows, footer: footer)
    }

    /// 1–4 navigation buttons, each active with probability 1/3.
    private func navigation(random: inout SeededRandom) -> [GUIToken] {
        (0..<random.integer(in: 1...4)).map { _ in random.below(3) == 0 ? .buttonActive : .buttonInactive }
    }
}
