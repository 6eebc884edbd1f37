import Testing
@testable import Trainer

/// The raster canvas of the data generators: netpbm bytes and the shapes' exact pixel sets.
@Suite struct ImageCanvasTests {
    /// The pixels of `canvas` that differ from white.
    func marked(_ canvas: ImageCanvas) -> Set<[Int]> {
        var out: Set<[Int]> = []
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas.pixel(x: x, y: y) != .white { out.insert([x, y]) }
        }
        return out
    }

    @Test("a grey canvas writes P5, its size, maxval 255 and one byte per pixel, row by row")
    func pgmBytes() {
        var canvas = ImageCanvas(width: 5, height: 3, channels: 1)
        canvas.set(x: 4, y: 1, .grey(7))
        let bytes = canvas.netpbm()
        let header = Array("P5\n5 3\n255\n".utf8)
        #expect(Array(bytes.prefix(header.count)) == header)
        #expect(bytes.count == header.count + 15)
        #expect(bytes[header.count + 1 * 5 + 4] == 7)
        #expect(bytes.suffix(15).filter { $0 == 255 }.count == 14)
    }

    @Test("an RGB canvas writes P6 and three bytes per pixel, red first")
    func ppmBytes() {
        var canvas = ImageCanvas(width: 4, height: 2, channels: 3, background: .black)
        canvas.set(x: 1, y: 1, ImageCanvas.Color(red: 10, green: 20, blue: 30))
        let bytes = canvas.netpbm()
        let header = Array("P6\n4 2\n255\n".utf8)
        #expect(Array(bytes.prefix(header.count)) == header)
        #expect(bytes.count == header.count + 4 * 2 * 3)
        let base = header.count + (1 * 4 + 1) * 3
        #expect(Array(bytes[base..<base + 3]) == [10, 20, 30])
        #expect(canvas.netpbmExtension == "ppm")
    }

    @Test("a grey canvas stores a colour's Rec. 601 luma; greys exactly")
    func luma() {
        var canvas = ImageCanvas(width: 2, height: 1, channels: 1)
        canvas.set(x: 0, y: 0, ImageCanvas.Color(red: 255, green: 0, blue: 0))
        canvas.set(x: 1, y: 0, .grey(123))
        #expect(canvas.pixel(x: 0, y: 0) == .grey(76)) // 299 · 255 / 1000 = 76.2
        #expect(canvas.pixel(x: 1, y: 0) == .grey(123))
    }

    @Test("rectangles clip at the edges; an outline leaves the inside alone")
    func rectangles() {
        var canvas = ImageCanvas(width: 8, height: 8, channels: 1)
        canvas.fillRectangle(x: -2, y: 6, width: 4, height: 5, .black)
        #expect(marked(canvas) == Set([[0, 6], [1, 6], [0, 7], [1, 7]]))
        var outline = ImageCanvas(width: 8, height: 8, channels: 1)
        outline.strokeRectangle(x: 1, y: 1, width: 5, height: 4, .black)
        #expect(marked(outline).count == 2 * 5 + 2 * 2)
        #expect(!marked(outline).contains([2, 2]) && marked(outline).contains([5, 4]))
    }

    @Test("a disc holds the pixels with dx² + dy² < r² + r")
    func disc() {
        var plus = ImageCanvas(width: 5, height: 5, channels: 1)
        plus.fillDisc(centerX: 2, centerY: 2, radius: 1, .black)
        #expect(marked(plus) == Set([[2, 1], [1, 2], [2, 2], [3, 2], [2, 3]]))
        var disc = ImageCanvas(width: 9, height: 9, channels: 1)
        disc.fillDisc(centerX: 4, centerY: 4, radius: 3, .black)
        // Rows dy = 0, ±1, ±2, ±3 hold 7, 7, 5, 3 pixels (dx² < 12, 11, 8, 3).
        #expect(marked(disc).count == 7 + 2 * 7 + 2 * 5 + 2 * 3)
    }

    @Test("a triangle holds the pixels on the inner side of its three edges, in either winding")
    func triangle() {
        var a = ImageCanvas(width: 6, height: 6, channels: 1)
        a.fillTriangle((0, 0), (4, 0), (0, 4), .black)
        var b = ImageCanvas(width: 6, height: 6, channels: 1)
        b.fillTriangle((0, 4), (4, 0), (0, 0), .black)
        let expected = Set((0...4).flatMap { y in (0...(4 - y)).map { x in [x, y] } })
        #expect(marked(a) == expected)
        #expect(marked(b) == expected)
    }

    @Test("stripes alternate by column; text marks stay within their width and rows")
    func patterns() {
        var canvas = ImageCanvas(width: 6, height: 2, channels: 1)
        canvas.fillStripes(x: 1, y: 0, width: 4, height: 2, .grey(40), .grey(200))
        #expect((0..<6).map { canvas.pixel(x: $0, y: 1) } == [.white, .grey(40), .grey(200), .grey(40), .grey(200), .white])
        var text = ImageCanvas(width: 30, height: 10, channels: 1)
        var random = SeededRandom(seed: 3)
        text.drawTextMarks(x: 2, y: 3, width: 20, lines: 2, lineSpacing: 3, .black, random: &random)
        let pixels = marked(text)
        #expect(pixels.allSatisfy { ($0[1] == 3 || $0[1] == 6) && $0[0] >= 2 && $0[0] < 22 })
        // Dashes with gaps: the first row is neither empty nor solid.
        let first = pixels.filter { $0[1] == 3 }.count
        #expect(first > 10 && first < 20)
    }
}
