/// Filled and outlined shapes, patterns and text-like marks: what the data generators draw with.
///
/// Every routine clips to the canvas, so shapes may extend past its edges.
extension ImageCanvas {
    /// Fills the rectangle whose top-left pixel is (x, y), `width` × `height` pixels.
    public mutating func fillRectangle(x: Int, y: Int, width: Int, height: Int, _ color: Color) {
        for row in max(0, y)..<max(max(0, y), min(self.height, y + height)) {
            for column in max(0, x)..<max(max(0, x), min(self.width, x + width)) {
                set(x: column, y: row, color)
            }
        }
    }

    /// Draws the rectangle's border, `thickness` pixels wide, inside its bounds.
    public mutating func strokeRectangle(x: Int, y: Int, width: Int, height: Int, thickness: Int = 1, _ color: Color) {
        let t = max(1, min(thickness, (min(width, height) + 1) / 2))
        fillRectangle(x: x, y: y, width: width, height: t, color)
        fillRectangle(x: x, y: y + height - t, width: width, height: t, color)
        fillRectangle(x: x, y: y, width: t, height: height, color)
        fillRectangle(x: x + width - t, y: y, width: t, height: height, color)
    }

    /// Fills the rectangle with vertical stripes one pixel wide: `color` on even columns
    /// (counted from x), `other` on odd ones.
    public mutating func fillStripes(x: Int, y: Int, width: Int, height: Int, _ color: Color, _ other: Color) {
        for column in 0..<max(0, width) {
            fillRectangle(x: x + column, y: y, width: 1, height: height, column % 2 == 0 ? color : other)
        }
    }

    /// Fills the disc of the given radius around the pixel (centerX, centerY): the pixels with
    /// dx² + dy² < r² + r (the `+ r` rounds the outline; radius 1 is a plus sign).
    public mutating func fillDisc(centerX: Int, centerY: Int, radius: Int, _ color: Color) {
        let limit = radius * radius + radius
        for dy in -radius...max(-radius, radius) {
            for dx in -radius...max(-radius, radius) where dx * dx + dy * dy < limit {
                set(x: centerX + dx, y: centerY + dy, color)
            }
        }
    }

    /// Fills the triangle with corners at the centres of three pixels: a pixel is inside when its
    /// centre is on the inner side of (or on) all three edges, in either winding order.
    public mutating func fillTriangle(_ a: (x: Int, y: Int), _ b: (x: Int, y: Int), _ c: (x: Int, y: Int), _ color: Color) {
        // Edge function e(p) = (q.x − p0.x)(p1.y − p0.y) − (q.y − p0.y)(p1.x − p0.x): its sign says
        // which side of p0 → p1 the point q lies on. Integers throughout: no rounding at the edges.
        func edge(_ p0: (x: Int, y: Int), _ p1: (x: Int, y: Int), _ qx: Int, _ qy: Int) -> Int {
            (qx - p0.x) * (p1.y - p0.y) - (qy - p0.y) * (p1.x - p0.x)
        }
        let minX = max(0, min(a.x, b.x, c.x)), maxX = min(width - 1, max(a.x, b.x, c.x))
        let minY = max(0, min(a.y, b.y, c.y)), maxY = min(height - 1, max(a.y, b.y, c.y))
        guard minX <= maxX, minY <= maxY else { return }
        for y in minY...maxY {
            for x in minX...maxX {
                let e0 = edge(a, b, x, y), e1 = edge(b, c, x, y), e2 = edge(c, a, x, y)
                if (e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0) {
                    set(x: x, y: y, color)
                }
            }
        }
    }

    /// Draws text-like marks: `lines` rows of one-pixel-high "words" (dashes 2–6 pixels long with
    /// one-pixel gaps), starting at (x, y), `lineSpacing` pixels apart, filling up to `width`
    /// pixels; the last row stops at about two thirds of the width, like a paragraph's.
    public mutating func drawTextMarks(x: Int, y: Int, width: Int, lines: Int, lineSpacing: Int, _ color: Color,
                                       random: inout SeededRandom) {
        for line in 0..<lines {
            let end = line == lines - 1 && lines > 1 ? x + max(2, width * 2 / 3) : x + width
            var column = x
            while column < end {
                let word = 2 + Int(random.next() % 5)
                fillRectangle(x: column, y: y + line * lineSpacing, width: min(word, end - column), height: 1, color)
                column += word + 1
            }
        }
    }
}
