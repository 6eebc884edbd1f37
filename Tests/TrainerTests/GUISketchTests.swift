import Testing
@testable import Trainer

/// GUI sketches show their documents: a reader that knows only the drawing conventions of
/// docs/IMAGES.md (band positions, outline grey, each element's grey level) recovers the DSL of
/// every generated sketch from its pixels.
@Suite struct GUISketchTests {
    /// Runs of pixels along row `y` from x = 2 to 93 whose grey is not `background`: (start, end, first grey).
    func runs(_ canvas: ImageCanvas, y: Int, background: UInt8) -> [(start: Int, end: Int, grey: UInt8)] {
        var out: [(Int, Int, UInt8)] = []
        var x = 2
        while x < 94 {
            let grey = canvas.pixel(x: x, y: y).red
            if grey == background { x += 1; continue }
            let start = x
            while x < 94 && canvas.pixel(x: x, y: y).red != background { x += 1 }
            out.append((start, x - 1, grey))
        }
        return out
    }

    /// Header or footer buttons: along the buttons' top edge, a grey-40 run is btn-active, a
    /// grey-90 one (the outline) btn-inactive.
    func navigation(_ canvas: ImageCanvas, y: Int) -> [String] {
        runs(canvas, y: y, background: 225).map { $0.grey == 40 ? "btn-active" : $0.grey == 90 ? "btn-inactive" : "?\($0.grey)" }
    }

    /// The element whose 5-pixel box starts at (x, y), by the grey of its first marks; nil for none.
    func element(_ canvas: ImageCanvas, x: Int, y: Int) -> String? {
        switch (canvas.pixel(x: x, y: y).red, canvas.pixel(x: x, y: y + 1).red) {
        case (50, _): "checkbox"
        case (90, _): "btn-green"
        case (170, _): "btn-orange"
        case (40, _): "btn-red"
        case (255, 30): "small-title"
        case (255, 110): "text"
        case (255, 255): nil
        case let (a, b): "?\(a)/\(b)"
        }
    }

    /// The DSL a reader of the sketch would write.
    func read(_ canvas: ImageCanvas) -> String {
        var words = ["header", "{"] + navigation(canvas, y: 4) + ["}"]
        // Column outlines are grey 200; at x = 3 only their top and bottom edges are: pairs.
        let edges = (17..<94).filter { canvas.pixel(x: 3, y: $0).red == 200 }
        for pair in stride(from: 0, to: edges.count - 1, by: 2) {
            let (top, bottom) = (edges[pair], edges[pair + 1])
            let columns = runs(canvas, y: top, background: 255)
            let layout = [1: "single", 2: "double", 4: "quadruple"][columns.count] ?? "?\(columns.count) columns"
            words += ["row", "{"]
            for column in columns {
                words += [layout, "{"]
                var y = top + 2
                while y + 5 < bottom + 1, let name = element(canvas, x: column.start + 2, y: y) {
                    words.append(name)
                    y += 6
                }
                words.append("}")
            }
            words.append("}")
        }
        if canvas.pixel(x: 2, y: 84).red == 225 { words += ["footer", "{"] + navigation(canvas, y: 86) + ["}"] }
        return words.joined(separator: " ")
    }

    @Test("the DSL read back from each sketch's pixels is its target (500 sketches)")
    func sketchesShowTheirDocuments() {
        for example in ImageDataset.examples(.gui, seed: 21, count: 500) {
            #expect(read(example.image) == example.target)
        }
    }

    @Test("each column element paints its own set of grey levels")
    func distinctMarks() {
        func sketch(_ element: GUIToken) -> ImageCanvas {
            var random = SeededRandom(seed: 5)
            let document = GUIDocument(header: [.buttonActive], rows: [.init(layout: .single, columns: [[element]])], footer: nil)
            return GUISketch.draw(document, random: &random)
        }
        let elements = GUIToken.allCases.filter(\.isColumnElement)
        // Inside the column's outline only the element is drawn.
        let palettes = elements.map { element in
            let canvas = sketch(element)
            return Set((18..<93).flatMap { y in (3..<93).map { x in canvas.pixel(x: x, y: y).red } })
        }
        #expect(Set(palettes).count == elements.count)
    }
}
