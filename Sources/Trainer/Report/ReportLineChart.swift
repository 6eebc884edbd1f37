import Foundation

/// An inline SVG line chart: a framed plot area, x and y axes with ticks at round numbers, tick
/// labels, axis titles, one polyline (and a dot per point) per series, and a legend.
///
/// The y range is the data's, widened to the enclosing ticks (1, 2 or 5 × 10^k apart); x holds
/// epochs, so its ticks are whole numbers. A missing (nil) value breaks the series' line.
struct ReportLineChart {
    struct Series {
        var name: String
        /// A CSS colour (`#1f77b4`).
        var color: String
        /// (x, y) pairs, x ascending; nil y: no value at that x.
        var points: [(x: Double, y: Double?)]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var width = 640.0
    var height = 320.0

    /// Space around the plot area for tick labels, axis titles and the legend.
    static let margin = (left: 72.0, right: 20.0, top: 36.0, bottom: 52.0)

    /// The plot area in SVG user units.
    var plot: (x: Double, y: Double, width: Double, height: Double) {
        let m = Self.margin
        return (m.left, m.top, width - m.left - m.right, height - m.top - m.bottom)
    }

    /// The SVG element, or a note in its place when no series has a finite value.
    func svg() -> String {
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.compactMap(\.y) }.filter(\.isFinite)
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else {
            return "<p class=\"note\">\(ReportHTML.escape(title)): no finite values to plot.</p>"
        }
        let xAxis = Self.axis(xMin, max(xMax, xMin + 1), integers: true)
        let yAxis = Self.axis(yMin, yMax, integers: false)
        let p = plot
        func px(_ x: Double) -> Double { p.x + (x - xAxis.low) / (xAxis.high - xAxis.low) * p.width }
        func py(_ y: Double) -> Double { p.y + p.height - (y - yAxis.low) / (yAxis.high - yAxis.low) * p.height }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(ReportHTML.escape(title))\">\n"
        out += "<rect class=\"plot-area\" x=\"\(n(p.x))\" y=\"\(n(p.y))\" width=\"\(n(p.width))\" height=\"\(n(p.height))\" "
            + "fill=\"#ffffff\" stroke=\"#888888\"/>\n"
        // Grid and ticks.
        out += "<g class=\"x-axis\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333333\">\n"
        for tick in xAxis.ticks {
            let x = px(tick)
            out += "<line class=\"grid\" x1=\"\(n(x))\" y1=\"\(n(p.y))\" x2=\"\(n(x))\" y2=\"\(n(p.y + p.height))\" stroke=\"#e4e4e4\"/>"
            out += "<line class=\"tick\" x1=\"\(n(x))\" y1=\"\(n(p.y + p.height))\" x2=\"\(n(x))\" y2=\"\(n(p.y + p.height + 5))\" stroke=\"#333333\"/>"
            out += "<text x=\"\(n(x))\" y=\"\(n(p.y + p.height + 19))\">\(Self.label(tick, step: xAxis.step))</text>\n"
        }
        out += "<text class=\"axis-title\" x=\"\(n(p.x + p.width / 2))\" y=\"\(n(height - 10))\">\(ReportHTML.escape(xLabel))</text>\n</g>\n"
        out += "<g class=\"y-axis\" font-size=\"12\" text-anchor=\"end\" fill=\"#333333\">\n"
        for tick in yAxis.ticks {
            let y = py(tick)
            out += "<line class=\"grid\" x1=\"\(n(p.x))\" y1=\"\(n(y))\" x2=\"\(n(p.x + p.width))\" y2=\"\(n(y))\" stroke=\"#e4e4e4\"/>"
            out += "<line class=\"tick\" x1=\"\(n(p.x - 5))\" y1=\"\(n(y))\" x2=\"\(n(p.x))\" y2=\"\(n(y))\" stroke=\"#333333\"/>"
            out += "<text x=\"\(n(p.x - 8))\" y=\"\(n(y + 4))\">\(Self.label(tick, step: yAxis.step))</text>\n"
        }
        let titleY = p.y + p.height / 2
        out += "<text class=\"axis-title\" text-anchor=\"middle\" x=\"16\" y=\"\(n(titleY))\" "
            + "transform=\"rotate(-90 16 \(n(titleY)))\">\(ReportHTML.escape(yLabel))</text>\n</g>\n"
        // The axes themselves, over the grid.
        out += "<line class=\"axis-line\" x1=\"\(n(p.x))\" y1=\"\(n(p.y + p.height))\" x2=\"\(n(p.x + p.width))\" "
            + "y2=\"\(n(p.y + p.height))\" stroke=\"#333333\"/>"
        out += "<line class=\"axis-line\" x1=\"\(n(p.x))\" y1=\"\(n(p.y))\" x2=\"\(n(p.x))\" y2=\"\(n(p.y + p.height))\" stroke=\"#333333\"/>\n"
        // Series: a polyline per unbroken run of values, a dot on every value.
        for s in series {
            let name = ReportHTML.escape(s.name)
            out += "<g class=\"series\" data-series=\"\(name)\">\n"
            var runs: [[(Double, Double)]] = [[]]
            for point in s.points {
                if let y = point.y, y.isFinite {
                    runs[runs.count - 1].append((px(point.x), py(y)))
                } else if !(runs.last?.isEmpty ?? true) {
                    runs.append([])
                }
            }
            for run in runs where run.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\""
                    + run.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
            }
            for (x, y) in runs.joined() {
                out += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3\" fill=\"\(s.color)\"/>"
            }
            out += "\n</g>\n"
        }
        // Legend, above the plot area.
        var legendX = p.x
        for s in series {
            out += "<g class=\"legend\"><line x1=\"\(n(legendX))\" y1=\"18\" x2=\"\(n(legendX + 24))\" y2=\"18\" "
                + "stroke=\"\(s.color)\" stroke-width=\"3\"/>"
            out += "<text x=\"\(n(legendX + 30))\" y=\"22\" font-size=\"13\" fill=\"#333333\">\(ReportHTML.escape(s.name))</text></g>\n"
            legendX += 42 + 7.5 * Double(s.name.count)
        }
        out += "</svg>"
        return out
    }

    /// SVG coordinates with two decimals at most.
    private func n(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    // MARK: Axes

    /// The axis covering `low…high`: its ends on ticks `step` apart, `step` = 1, 2 or 5 × 10^k
    /// giving about five intervals (whole numbers at least 1 apart when `integers`).
    static func axis(_ low: Double, _ high: Double, integers: Bool) -> (low: Double, high: Double, step: Double, ticks: [Double]) {
        var (low, high) = (low, high)
        if high - low <= abs(high) * 1e-9 {
            // A flat series: a band around its value.
            let pad = max(abs(high) * 0.1, 1e-3)
            (low, high) = (low - pad, high + pad)
        }
        var step = niceStep((high - low) / 5)
        if integers { step = max(1, step.rounded(.up)) }
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        let count = Int(((last - first) / step).rounded())
        let ticks = (0...count).map { first + Double($0) * step }
        return (first, last, step, ticks)
    }

    /// The smallest 1, 2 or 5 × 10^k not below `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= rough * (1 - 1e-9) { return factor * power }
        return 10 * power
    }

    /// A tick label with as many decimals as the step needs (0.25 → 2 when the step is 0.05).
    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        let text = String(format: "%.\(min(decimals, 10))f", value)
        return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}
