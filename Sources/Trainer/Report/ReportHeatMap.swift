import Foundation

/// A confusion matrix as an inline SVG heat map: one square per (true, predicted) pair, its
/// colour the share of the true class's examples (white 0 → deep purple 1, so it never looks
/// like the loss curves' blue and orange), the count written in it, class names on both axes.
struct ReportHeatMap {
    var confusion: TrainingReport.Confusion

    /// The side of one square: large for a few classes, at least 28 for many.
    var cell: Double { max(28, min(64, 520 / Double(max(confusion.labels.count, 1)))) }

    /// Room for the longest class name (at most 8 units per character at font size 12: capitals).
    var labelSpace: Double { 16 + 8 * Double(confusion.labels.map(\.count).max() ?? 1) }

    /// The fill of a square holding `fraction` of its row: linear from #ffffff to #3f007d.
    static func color(_ fraction: Double) -> String {
        let f = min(max(fraction.isFinite ? fraction : 0, 0), 1)
        let (r, g, b) = (255 - f * (255 - 0x3f), 255 - f * 255, 255 - f * (255 - 0x7d))
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    func svg() -> String {
        let labels = confusion.labels
        let k = labels.count
        let left = labelSpace + 24, top = labelSpace + 24
        let width = left + cell * Double(k) + 16, height = top + cell * Double(k) + 16
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"confusion matrix\" font-size=\"12\">\n"
        out += "<text class=\"axis-title\" x=\"\(Int(left + cell * Double(k) / 2))\" y=\"14\" text-anchor=\"middle\" "
            + "fill=\"#333333\">predicted class</text>\n"
        out += "<text class=\"axis-title\" x=\"14\" y=\"\(Int(top + cell * Double(k) / 2))\" text-anchor=\"middle\" fill=\"#333333\" "
            + "transform=\"rotate(-90 14 \(Int(top + cell * Double(k) / 2)))\">true class</text>\n"
        for (index, label) in labels.enumerated() {
            let centre = Double(index) * cell + cell / 2
            let name = ReportHTML.escape(label)
            out += "<text class=\"row-label\" x=\"\(Int(left - 6))\" y=\"\(Int(top + centre + 4))\" text-anchor=\"end\" fill=\"#333333\">\(name)</text>\n"
            let x = Int(left + centre + 4), y = Int(top - 6)
            out += "<text class=\"column-label\" x=\"\(x)\" y=\"\(y)\" text-anchor=\"start\" fill=\"#333333\" "
                + "transform=\"rotate(-90 \(x) \(y))\">\(name)</text>\n"
        }
        for (row, counts) in confusion.counts.enumerated() {
            let total = counts.reduce(0, +)
            for (column, count) in counts.enumerated() {
                let fraction = total > 0 ? Double(count) / Double(total) : 0
                let x = left + Double(column) * cell, y = top + Double(row) * cell
                out += "<g class=\"cell\" data-row=\"\(row)\" data-column=\"\(column)\">"
                out += "<rect x=\"\(Int(x))\" y=\"\(Int(y))\" width=\"\(Int(cell))\" height=\"\(Int(cell))\" "
                    + "fill=\"\(Self.color(fraction))\" stroke=\"#cccccc\"/>"
                out += "<text x=\"\(Int(x + cell / 2))\" y=\"\(Int(y + cell / 2 + 4))\" text-anchor=\"middle\" "
                    + "fill=\"\(fraction > 0.5 ? "#ffffff" : "#222222")\">\(count)</text></g>\n"
            }
        }
        out += "</svg>"
        return out
    }
}
