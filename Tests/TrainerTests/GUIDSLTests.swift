import Foundation
import Testing
@testable import Trainer

/// The GUI DSL: generated documents obey the grammar, the parser refuses bad sequences naming the
/// position, and the per-token render table reproduces the tree compiler.
@Suite struct GUIDSLTests {
    func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    /// 400 generated documents of seeds 1…400.
    let documents: [GUIDocument] = (1...400).map { seed in
        var random = SeededRandom(seed: UInt64(seed))
        return GUIGenerator().document(random: &random)
    }

    @Test("every generated document parses back to itself and fits 11…40 tokens")
    func generatedParse() throws {
        for document in documents {
            let parsed = try GUIDocument(parsing: document.text)
            #expect(parsed == document)
            #expect(document.tokens.count >= GUIGenerator.minimumTokens && document.tokens.count <= 40)
            for row in document.rows { #expect(row.columns.count == row.layout.columnsPerRow) }
        }
        var short = SeededRandom(seed: 9)
        for _ in 0..<50 { #expect(GUIGenerator(maxTokens: 20).document(random: &short).tokens.count <= 20) }
    }

    @Test("the generator uses the whole vocabulary, with and without footers")
    func coverage() {
        let used = Set(documents.flatMap(\.tokens))
        #expect(used == Set(GUIToken.allCases))
        #expect(documents.contains { $0.footer == nil } && documents.contains { $0.footer != nil })
        #expect(Set(documents.map(\.rows.count)) == [1, 2, 3])
    }

    @Test("a hand-written sequence parses to the expected tree")
    func parseExample() throws {
        let document = try GUIDocument(parsing: """
            header { btn-active btn-inactive }
            row { double { small-title text } double { checkbox btn-red } }
            footer { btn-inactive }
            """)
        #expect(document == GUIDocument(
            header: [.buttonActive, .buttonInactive],
            rows: [.init(layout: .double, columns: [[.smallTitle, .text], [.checkbox, .buttonRed]])],
            footer: [.buttonInactive]))
    }

    @Test("bad sequences are refused with the position of the first bad token", arguments: [
        ("", GUISyntaxError.unexpectedEnd(position: 1, expected: "'header' (a document starts with its header)")),
        ("row { single { text } }", .unexpectedToken(position: 1, token: "row", expected: "'header' (a document starts with its header)")),
        ("header { btn-active } row { single { txt } }", .unknownToken(position: 9, token: "txt")),
        ("header { btn-green } row { single { text } }",
         .unexpectedToken(position: 3, token: "btn-green", expected: "'btn-active' or 'btn-inactive' (a header holds navigation buttons)")),
        ("header { } row { single { text } }",
         .unexpectedToken(position: 3, token: "}", expected: "'btn-active' or 'btn-inactive' (a header holds navigation buttons)")),
        ("header { btn-active }", .unexpectedEnd(position: 5, expected: "'row'")),
        ("header { btn-active } row { double { text } }", .columnCount(position: 11, layout: "double", expected: 2, found: 1)),
        ("header { btn-active } row { single { text } single { text } }",
         .columnCount(position: 15, layout: "single", expected: 1, found: 2)),
        ("header { btn-active } row { double { text } single { text } }",
         .unexpectedToken(position: 11, token: "single", expected: "'double' (this row's columns) or '}'")),
        ("header { btn-active } row { single { btn-active } }",
         .unexpectedToken(position: 9, token: "btn-active",
                          expected: "a column element (btn-green, btn-orange, btn-red, small-title, text, checkbox)")),
        ("header { btn-active } row { single text }", .unexpectedToken(position: 8, token: "text", expected: "'{' after 'single'")),
        ("header { btn-active } row { single { text } } footer { btn-active } row",
         .unexpectedToken(position: 16, token: "row", expected: "the end (nothing follows the footer)")),
        ("header { btn-active } row { single { text } } text",
         .unexpectedToken(position: 12, token: "text", expected: "'row', 'footer' or the end")),
        ("header { btn-active } row { single { text",
         .unexpectedEnd(position: 10, expected: "a column element (btn-green, btn-orange, btn-red, small-title, text, checkbox) or '}'")),
    ])
    func refusals(text: String, error: GUISyntaxError) {
        #expect(throws: error) { try GUIDocument(parsing: text) }
        #expect(throws: error) { try GUIHTML.compile(words(text)) }
    }

    @Test("the error message names the position and the token")
    func message() {
        let error = GUISyntaxError.unexpectedToken(position: 3, token: "btn-green", expected: "'btn-active' or 'btn-inactive'")
        #expect(error.description == "token 3 'btn-green': expected 'btn-active' or 'btn-inactive'")
        #expect(GUISyntaxError.columnCount(position: 11, layout: "double", expected: 2, found: 1).description
            == "token 11 ends a row of 1 'double' column; a 'double' row has 2")
    }

    @Test("rendering token by token with the render table equals the tree compiler")
    func renderTable() throws {
        let table = GUIHTML.renderTable()
        #expect(Set(table.tokens.keys) == Set(GUIToken.allCases.map(\.rawValue)))
        for document in documents {
            let compiled = GUIHTML.compile(document)
            #expect(table.render(document.tokens.map(\.rawValue)) == compiled)
            #expect(try GUIHTML.compile(words(document.text)) == compiled)
        }
    }

    @Test("a compiled page is one HTML document with balanced divs and one element per leaf")
    func pageShape() throws {
        let document = try GUIDocument(parsing: "header { btn-active } row { quadruple { text } quadruple { btn-green } "
            + "quadruple { btn-orange } quadruple { checkbox small-title } } footer { btn-inactive btn-inactive }")
        let html = GUIHTML.compile(document)
        func count(_ needle: String) -> Int { html.components(separatedBy: needle).count - 1 }
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(count("<div") == count("</div>"))
        #expect(count(#"class="col col-3""#) == 4)
        #expect(count("btn-inactive\"") == 2 && count("<h4>") == 1 && count("type=\"checkbox\"") == 1)
        #expect(!html.contains("http") && !html.contains("<link") && !html.contains("<script"))
    }

    @Test("the render table survives its JSON file")
    func renderTableJSON() throws {
        let table = GUIHTML.renderTable()
        let data = try table.json()
        #expect(try JSONDecoder().decode(GUIHTML.RenderTable.self, from: data) == table)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["before", "after", "tokens"])
    }
}
