import ArgumentParser
import Foundation
import Trainer

/// `recur gui2html [FILE]`: compiles GUI DSL tokens to a self-contained HTML page, and writes the
/// per-token render table that `recur train image2text --render-from` stores in a model.
struct GUI2HTMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gui2html",
        abstract: "Compile GUI DSL tokens (from FILE or stdin) to an HTML page on stdout.",
        discussion: """
            The tokens are separated by whitespace, e.g. \
            "header { btn-active btn-inactive } row { single { small-title text btn-green } }". \
            A sequence that breaks the grammar is refused with the position of the first bad token \
            (docs/IMAGES.md has the grammar).

            --render-table FILE writes the JSON {before, after, tokens: {token: html}} whose \
            concatenation before + tokens[t1] + … + after equals the compiled page; without an input \
            FILE only the table is written.

            Examples:
              recur gui2html page.gui > page.html
              echo "header { btn-active } row { single { text } }" | recur gui2html > page.html
              recur gui2html --render-table gui-render.json
            """)

    @Argument(help: "A file of DSL tokens; - or none reads stdin.")
    var file: String?
    @Option(help: "Write the render table (JSON) to this file.")
    var renderTable: String?
    @Option(name: .shortAndLong, help: "Write the HTML to this file instead of stdout.")
    var output: String?

    /// Writes `GUIHTML.renderTable()` as JSON to `path`.
    static func writeRenderTable(to path: String) throws {
        do {
            try GUIHTML.renderTable().json().write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot write the render table \(path): \(error.localizedDescription)")
        }
    }

    func run() throws {
        if let renderTable {
            try Self.writeRenderTable(to: renderTable)
            if file == nil { return }
        }
        let source = file ?? "-"
        let data: Data
        if source == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: source) else { throw CLIError("cannot read \(source)") }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(source == "-" ? "stdin" : source) is not UTF-8") }
        let html: String
        do {
            html = GUIHTML.compile(try GUIDocument(parsing: text))
        } catch {
            throw CLIError("\(source == "-" ? "stdin" : source): \(error)")
        }
        if let output {
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                throw CLIError("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            print(html, terminator: "")
        }
    }
}
