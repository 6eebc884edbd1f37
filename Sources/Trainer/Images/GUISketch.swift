/// Draws a `GUIDocument` as a 96 × 96 grey screenshot sketch, the input of the image → DSL model.
///
/// Layout (pixels): a header band at y 2–13, the footer band (if any) at y 84–93, the rows
/// stacked between them with 2-pixel gaps; a row's columns split the 92-pixel width (one of 92,
/// two of 45, four of 21) and are outlined in light grey; a column's elements are stacked from
/// its top every 6 pixels. Each kind of element has its own grey level or pattern so that a small
/// convolutional encoder can tell them apart (docs/IMAGES.md has the table); widths, word
/// lengths and button sizes are random, the positions follow from the structure.
///
/// The layout fits what `GUIGenerator` draws (≤ 4 buttons a band, ≤ 3 rows, ≤ 3 elements a
/// column); a larger hand-written document is drawn only in part (elements past a row's bottom
/// are left out, buttons past the right edge clipped). GUISketchTests reads every generated
/// sketch's DSL back from its pixels.
public enum GUISketch {
    public static let width = 96
    public static let height = 96

    /// Grey levels of the marks (0 black, 255 white).
    enum Ink {
        static let band: UInt8 = 225          // header and footer background
        static let activeFill: UInt8 = 40     // btn-active: solid dark
        static let inactiveBorder: UInt8 = 90 // btn-inactive: outline on white
        static let columnBorder: UInt8 = 200
        static let title: UInt8 = 30          // small-title: a 3-pixel solid bar
        static let text: UInt8 = 110          // text: two rows of word dashes
        static let greenFill: UInt8 = 90      // btn-green: mid grey, white label
        static let orangeFill: UInt8 = 170    // btn-orange: light grey, dark label
        static let redStripes: (UInt8, UInt8) = (40, 200) // btn-red: vertical stripes
        static let checkbox: UInt8 = 50       // checkbox: a 5 × 5 box and a dash
    }

    /// The sketch of `document`; `random` draws the widths and word lengths.
    public static func draw(_ document: GUIDocument, random: inout SeededRandom) -> ImageCanvas {
        var canvas = ImageCanvas(width: width, height: height, channels: 1)
        drawNavigation(document.header, bandY: 2, bandHeight: 12, buttonHeight: 7, on: &canvas, random: &random)
        if let footer = document.footer {
            drawNavigation(footer, bandY: 84, bandHeight: 10, buttonHeight: 6, on: &canvas, random: &random)
        }
        let top = 17, bottom = document.footer == nil ? 94 : 82, gap = 2
        let count = document.rows.count
        let rowHeight = (bottom - top - gap * (count - 1)) / max(1, count)
        for (r, row) in document.rows.enumerated() {
            let columnCount = row.columns.count
            let columnWidth = (92 - gap * (columnCount - 1)) / max(1, columnCount)
            let y = top + r * (rowHeight + gap)
            for (c, column) in row.columns.enumerated() {
                let x = 2 + c * (columnWidth + gap)
                canvas.strokeRectangle(x: x, y: y, width: columnWidth, height: rowHeight, .grey(Ink.columnBorder))
                for (e, element) in column.enumerated() {
                    // Rows are at least 20 pixels high (three rows under a footer): three elements fit.
                    let elementY = y + 2 + 6 * e
                    guard elementY + 5 < y + rowHeight else { break }
                    drawElement(element, x: x + 2, y: elementY, width: columnWidth - 4, on: &canvas, random: &random)
                }
            }
        }
        return canvas
    }

    /// A header or footer: a light band with the buttons left to right, 3 pixels apart.
    static func drawNavigation(_ buttons: [GUIToken], bandY: Int, bandHeight: Int, buttonHeight: Int,
                               on canvas: inout ImageCanvas, random: inout SeededRandom) {
        canvas.fillRectangle(x: 2, y: bandY, width: 92, height: bandHeight, .grey(Ink.band))
        var x = 5
        let y = bandY + (bandHeight - buttonHeight) / 2
        for button in buttons {
            // Four buttons of at most 18 pixels and three gaps end at x = 5 + 72 + 9 = 86 < 94.
            let buttonWidth = random.integer(in: 12...18)
            let label = (x: x + 3, y: y + buttonHeight / 2, width: buttonWidth - 6)
            if button == .buttonActive {
                canvas.fillRectangle(x: x, y: y, width: buttonWidth, height: buttonHeight, .grey(Ink.activeFill))
                canvas.fillRectangle(x: label.x, y: label.y, width: label.width, height: 1, .white)
            } else {
                canvas.fillRectangle(x: x, y: y, width: buttonWidth, height: buttonHeight, .white)
                canvas.strokeRectangle(x: x, y: y, width: buttonWidth, height: buttonHeight, .grey(Ink.inactiveBorder))
                canvas.fillRectangle(x: label.x, y: label.y, width: label.width, height: 1, .grey(Ink.inactiveBorder))
            }
            x += buttonWidth + 3
        }
    }

    /// One column element in a box `width` wide and 5 pixels high whose top-left is (x, y).
    static func drawElement(_ element: GUIToken, x: Int, y: Int, width: Int,
                            on canvas: inout ImageCanvas, random: inout SeededRandom) {
        switch element {
        case .smallTitle:
            canvas.fillRectangle(x: x, y: y + 1, width: random.integer(in: width / 2...width * 5 / 6), height: 3, .grey(Ink.title))
        case .text:
            canvas.drawTextMarks(x: x, y: y + 1, width: width, lines: 2, lineSpacing: 2, .grey(Ink.text), random: &random)
        case .checkbox:
            canvas.strokeRectangle(x: x, y: y, width: 5, height: 5, .grey(Ink.checkbox))
            canvas.fillRectangle(x: x + 7, y: y + 2, width: random.integer(in: min(4, width - 7)...max(4, min(12, width - 7))),
                                 height: 1, .grey(Ink.checkbox))
        case .buttonGreen, .buttonOrange, .buttonRed:
            let buttonWidth = random.integer(in: min(10, width)...min(20, width))
            switch element {
            case .buttonGreen:
                canvas.fillRectangle(x: x, y: y, width: buttonWidth, height: 5, .grey(Ink.greenFill))
                canvas.fillRectangle(x: x + 2, y: y + 2, width: buttonWidth - 4, height: 1, .white)
            case .buttonOrange:
                canvas.fillRectangle(x: x, y: y, width: buttonWidth, height: 5, .grey(Ink.orangeFill))
                canvas.fillRectangle(x: x + 2, y: y + 2, width: buttonWidth - 4, height: 1, .grey(Ink.title))
            default:
                canvas.fillStripes(x: x, y: y, width: buttonWidth, height: 5, .grey(Ink.redStripes.0), .grey(Ink.redStripes.1))
            }
        default:
            // Containers and braces are structure, not marks; the parser keeps them out of columns.
            break
        }
    }
}
