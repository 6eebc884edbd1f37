import Foundation

extension TrainingReport {
    /// The colours of the training and validation series in every chart (check-report looks for them).
    public static let trainColor = "#1f77b4"
    public static let validationColor = "#ff7f0e"

    /// `report.html`: one self-contained page (inline CSS and SVG, no scripts, fonts or links to
    /// fetch) with the run's summary, the f32-vs-int8 table of test figures, the loss and metric
    /// curves per epoch, the confusion-matrix heat map (classifiers) and the quantization error.
    public func html() -> String {
        let e = ReportHTML.escape
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>recur train \(e(task)): \(e(model))</title>
            <style>
            body { font-family: sans-serif; color: #222222; background: #ffffff; margin: 24px; max-width: 1000px; }
            h1 { font-size: 22px; margin-bottom: 4px; }
            h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #dddddd; padding-bottom: 4px; }
            table { border-collapse: collapse; font-size: 14px; }
            th, td { border: 1px solid #cccccc; padding: 4px 10px; }
            th { background: #f2f2f2; text-align: left; }
            td.number { text-align: right; font-family: monospace; }
            p.summary, p.note { font-size: 14px; color: #444444; }
            svg { display: block; margin: 8px 0; }
            </style>
            </head>
            <body>
            <h1>recur train \(e(task))</h1>

            """
        page += "<p class=\"summary\">" + e(summary) + "</p>\n"

        page += "<h2>Test figures: trainer f32, f32 file and int8 file through the Runtime</h2>\n"
        page += figureTable()

        page += "<h2>Loss per epoch</h2>\n"
        page += ReportLineChart(
            title: "loss per epoch", xLabel: "epoch", yLabel: loss,
            series: [
                .init(name: "train loss", color: Self.trainColor, points: history.map { (Double($0.epoch), $0.trainLoss) }),
                .init(name: "validation loss", color: Self.validationColor,
                      points: history.map { (Double($0.epoch), $0.validationLoss) }),
            ].filter { $0.points.contains { $0.y != nil } }).svg() + "\n"
        if history.contains(where: { $0.trainMetric != nil || $0.validationMetric != nil }) {
            page += "<h2>\(e(historyMetric)) per epoch</h2>\n"
            page += ReportLineChart(
                title: "\(historyMetric) per epoch", xLabel: "epoch", yLabel: historyMetric,
                series: [
                    .init(name: "train \(historyMetric)", color: Self.trainColor,
                          points: history.map { (Double($0.epoch), $0.trainMetric) }),
                    .init(name: "validation \(historyMetric)", color: Self.validationColor,
                          points: history.map { (Double($0.epoch), $0.validationMetric) }),
                ].filter { $0.points.contains { $0.y != nil } }).svg() + "\n"
        }

        if let confusion {
            page += "<h2>Confusion matrix (\(e(confusion.source)))</h2>\n"
            page += "<p class=\"note\">Rows: true class; columns: predicted class. The colour is the share of the row.</p>\n"
            page += ReportHeatMap(confusion: confusion).svg() + "\n"
        }

        if !quantization.isEmpty {
            page += "<h2>Per-row int8 quantization error (|q·scale − w|)</h2>\n"
            page += "<table class=\"quantization\">\n<tr><th>tensor</th><th>shape</th><th>max</th><th>rms</th></tr>\n"
            for line in quantization {
                page += "<tr><td>\(e(line.tensor))</td><td class=\"number\">\(line.rows)×\(line.cols)</td>"
                    + "<td class=\"number\">\(Self.scientific(line.maxAbsError))</td>"
                    + "<td class=\"number\">\(Self.scientific(line.rmsError))</td></tr>\n"
            }
            page += "</table>\n"
        }

        if !notes.isEmpty {
            page += "<h2>Notes</h2>\n<ul>\n" + notes.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
        }
        page += "<p class=\"note\">history.csv and metrics.json beside this page hold the same numbers.</p>\n</body>\n</html>\n"
        return page
    }

    /// One line: kind, file, sizes, epochs, the exported epoch and the run's time.
    var summary: String {
        var parts = ["\(kind) model \(model) (int8 \(Format.bytes(int8Bytes))"
            + (f32Bytes.map { ", f32 \(Format.bytes($0))" } ?? "") + ")"]
        parts.append("\(history.count) epoch(s), exported epoch \(bestEpoch) (best validation loss)")
        if let seconds { parts.append("run time \(Format.duration(seconds))") }
        return parts.joined(separator: "; ")
    }

    /// The figures table: one row per figure, a column per model and the int8 − f32 difference.
    func figureTable() -> String {
        var table = "<table class=\"figures\">\n<tr><th>test figure</th><th>trainer f32</th><th>runtime f32</th>"
            + "<th>runtime int8</th><th>int8 − f32</th></tr>\n"
        for figure in figures {
            func cell(_ value: Double?) -> String {
                "<td class=\"number\">\(value.map { Self.number($0, fraction: figure.isFraction) } ?? "–")</td>"
            }
            var difference = "–"
            if let int8 = figure.runtimeInt8, let f32 = figure.runtimeF32 {
                let delta = int8 - f32
                difference = (delta >= 0 ? "+" : "−") + Self.number(abs(delta), fraction: figure.isFraction)
            }
            table += "<tr><td>\(ReportHTML.escape(figure.name)) (\(figure.lowerIsBetter ? "lower" : "higher") is better)</td>"
                + cell(figure.trainerF32) + cell(figure.runtimeF32) + cell(figure.runtimeInt8)
                + "<td class=\"number\">\(difference)</td></tr>\n"
        }
        return table + "</table>\n"
    }

    /// A percentage with two decimals for fractions, else four decimals (or 3 significant digits
    /// in scientific notation below 0.01, where four decimals would hide the figure).
    static func number(_ value: Double, fraction: Bool) -> String {
        if fraction { return Format.fixed(value * 100, digits: 2) + " %" }
        if value != 0 && abs(value) < 0.01 { return String(format: "%.3e", value) }
        return Format.fixed(value, digits: 4)
    }

    static func scientific(_ value: Double?) -> String {
        value.map { String(format: "%.3e", $0) } ?? "–"
    }
}
