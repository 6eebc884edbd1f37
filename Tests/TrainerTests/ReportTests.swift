import Foundation
import Testing
@testable import Trainer

/// `recur train --report DIR`'s files from a hand-made report: the CSV rows, the JSON fields, the
/// SVG curves (every point inside the plot area, at the right place) and the heat map's squares
/// and counts, the page's self-containment, escaping, and the atomic writes.
struct ReportTests {
    /// Three epochs; epoch 2 has no validation loss and epoch 3 a NaN training loss (a diverged
    /// step), so the gaps and the null handling are exercised.
    static func sample() -> TrainingReport {
        let history = [
            TrainingReport.Epoch(epoch: 1, trainLoss: 1.0, validationLoss: 0.8, trainMetric: 0.5, validationMetric: 0.6,
                                 learningRate: 0.003, seconds: 1.5, improved: true),
            TrainingReport.Epoch(epoch: 2, trainLoss: 0.5, validationLoss: nil, trainMetric: 0.7, validationMetric: nil,
                                 learningRate: 0.003, seconds: 1.25, improved: false),
            TrainingReport.Epoch(epoch: 3, trainLoss: .nan, validationLoss: 0.4, trainMetric: 0.9, validationMetric: 0.85,
                                 learningRate: 0.0015, seconds: 1.0, improved: true),
        ]
        return TrainingReport(
            task: "har", kind: "classifier", model: "out/har.rnnz", loss: "cross-entropy", historyMetric: "accuracy",
            history: history, bestEpoch: 3, seconds: 12.5,
            figures: [TrainingReport.Figure(name: "accuracy", lowerIsBetter: false, isFraction: true, trainerF32: 0.9,
                                            runtimeF32: 0.9, runtimeInt8: 0.875)],
            quantization: [TrainingReport.TensorError(QuantizationReportLine(
                tensor: "enc.0.weight_ih", rows: 4, cols: 3, error: QuantizationError(maxAbs: 0.5, rms: 0.25)))],
            confusion: TrainingReport.Confusion(labels: ["WALK", "<b>&SIT"], counts: [[7, 1], [2, 6]], source: "runtime int8, test"),
            int8Bytes: 4096, f32Bytes: nil, notes: ["a note with <tags> & \"quotes\""])
    }

    @Test("history.csv: the header, one row per epoch, numbers that read back, empty cells for missing and NaN values")
    func historyCSV() throws {
        let text = String(decoding: try Self.sample().historyCSV(), as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines == [
            "epoch,train_loss,validation_loss,train_metric,validation_metric,learning_rate,seconds,best_so_far",
            "1,1.0,0.8,0.5,0.6,0.003,1.5,1",
            "2,0.5,,0.7,,0.003,1.25,0",
            "3,,0.4,0.9,0.85,0.0015,1.0,1",
        ])
    }

    @Test("an epoch summary's Float learning rate is written as typed (0.003), 1-based")
    func epochFromSummary() {
        let summary = EpochSummary(epoch: 0, trainLoss: 2, trainMetric: 0.1, validationLoss: nil, validationMetric: nil,
                                   learningRate: 0.003, seconds: 4, improved: true)
        let row = TrainingReport.Epoch(summary)
        #expect(row.epoch == 1 && row.learningRate == 0.003 && row.validationLoss == nil && row.trainLoss == 2)
    }

    @Test("metrics.json: snake_case fields with the figures, the confusion matrix and the quantization error; NaN is null")
    func metricsJSON() throws {
        let bytes = try ReportWriter.metricsJSON(Self.sample())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(json["task"] as? String == "har" && json["best_epoch"] as? Int == 3 && json["int8_bytes"] as? Int == 4096)
        let figure = try #require((json["figures"] as? [[String: Any]])?.first)
        #expect(figure["runtime_int8"] as? Double == 0.875 && figure["runtime_f32"] as? Double == 0.9)
        #expect(figure["lower_is_better"] as? Bool == false && figure["is_fraction"] as? Bool == true)
        let confusion = try #require(json["confusion"] as? [String: Any])
        #expect(confusion["counts"] as? [[Int]] == [[7, 1], [2, 6]])
        #expect(confusion["labels"] as? [String] == ["WALK", "<b>&SIT"])
        let tensor = try #require((json["quantization"] as? [[String: Any]])?.first)
        #expect(tensor["tensor"] as? String == "enc.0.weight_ih" && tensor["max_abs_error"] as? Double == 0.5)
        #expect(tensor["rms_error"] as? Double == 0.25)
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.count == 3)
        // The NaN training loss has no JSON spelling: it is left out (null), not a failed write.
        #expect(history[2]["train_loss"] == nil && history[2]["validation_loss"] as? Double == 0.4)
        // And it decodes back to the same report.
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(TrainingReport.self, from: Data(bytes)) == Self.sample())
    }

    /// The `points` of every polyline of `color` in `svg`.
    func polylinePoints(_ svg: String, color: String) -> [[(Double, Double)]] {
        svg.components(separatedBy: "<polyline").dropFirst().compactMap { rest -> [(Double, Double)]? in
            let element = rest.components(separatedBy: "/>")[0]
            guard element.contains("stroke=\"\(color)\""),
                  let start = element.range(of: "points=\""),
                  let end = element[start.upperBound...].firstIndex(of: "\"") else { return nil }
            return element[start.upperBound..<end].split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").compactMap { Double($0) }
                return (xy[0], xy[1])
            }
        }
    }

    @Test("the loss chart: a polyline per unbroken run of values, every point inside the plot area where its value puts it")
    func lossCurves() throws {
        let chart = ReportLineChart(
            title: "loss", xLabel: "epoch", yLabel: "loss",
            series: [.init(name: "train loss", color: "#1f77b4", points: [(1, 1.0), (2, 0.5), (3, 0.25), (4, 0.125)]),
                     .init(name: "validation loss", color: "#ff7f0e", points: [(1, 0.8), (2, nil), (3, 0.4), (4, 0.3)])])
        let svg = chart.svg()
        let plot = chart.plot
        let train = polylinePoints(svg, color: "#1f77b4")
        let validation = polylinePoints(svg, color: "#ff7f0e")
        #expect(train.count == 1 && train.first?.count == 4)
        // The missing value breaks the validation line: (1) alone gets only a dot, (3, 4) a line.
        #expect(validation.count == 1 && validation.first?.count == 2)
        for (x, y) in Array(train.joined()) + Array(validation.joined()) {
            #expect(x >= plot.x && x <= plot.x + plot.width && y >= plot.y && y <= plot.y + plot.height, "(\(x), \(y))")
        }
        // x: epochs 1…4 span the plot's width; y: ticks 0…1 (step 0.2) span its height.
        let first = try #require(train.first?.first), last = try #require(train.first?.last)
        #expect(abs(first.0 - plot.x) < 0.01 && abs(last.0 - (plot.x + plot.width)) < 0.01)
        #expect(abs(first.1 - plot.y) < 0.01, "loss 1.0 is the top tick")
        #expect(abs(last.1 - (plot.y + plot.height * (1 - 0.125))) < 0.01)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 7, "a dot per value")
        for label in [">0.0<", ">0.2<", ">1.0<", ">1<", ">4<", ">epoch<", ">loss<", ">train loss<", ">validation loss<"] {
            #expect(svg.contains(label), "\(label) missing")
        }
    }

    @Test("axes end on round ticks: 1, 2 or 5 × 10^k apart; whole epochs; a flat series gets a band")
    func axes() {
        let loss = ReportLineChart.axis(0.013, 0.87, integers: false)
        #expect(loss.low == 0 && abs(loss.high - 1.0) < 1e-12 && abs(loss.step - 0.2) < 1e-12 && loss.ticks.count == 6)
        let epochs = ReportLineChart.axis(1, 30, integers: true)
        #expect(epochs.step == 10 && epochs.low == 0 && epochs.high == 30)
        let two = ReportLineChart.axis(1, 2, integers: true)
        #expect(two.step == 1 && two.ticks == [1, 2])
        let flat = ReportLineChart.axis(0.5, 0.5, integers: false)
        #expect(flat.low < 0.5 && flat.high > 0.5)
        #expect(ReportLineChart.niceStep(0.0003) == 0.0005 && ReportLineChart.niceStep(7) == 10 && ReportLineChart.niceStep(1) == 1)
        #expect(ReportLineChart.label(0.25, step: 0.05) == "0.25" && ReportLineChart.label(20, step: 10) == "20")
    }

    @Test("the heat map: a square per cell coloured by its share of the row, the count in it, escaped class names")
    func heatMap() {
        let confusion = TrainingReport.Confusion(labels: ["A", "<B>"], counts: [[7, 1], [0, 6]], source: "test")
        let svg = ReportHeatMap(confusion: confusion).svg()
        #expect(svg.components(separatedBy: "<g class=\"cell\"").count - 1 == 4)
        for (row, column, count) in [(0, 0, 7), (0, 1, 1), (1, 0, 0), (1, 1, 6)] {
            let cell = svg.components(separatedBy: "data-row=\"\(row)\" data-column=\"\(column)\"")[1]
            #expect(cell.contains(">\(count)</text>"), "cell \(row),\(column)")
            let share = Double(count) / Double(confusion.counts[row].reduce(0, +))
            #expect(cell.contains("fill=\"\(ReportHeatMap.color(share))\""), "cell \(row),\(column)")
        }
        #expect(ReportHeatMap.color(0) == "#ffffff" && ReportHeatMap.color(1) == "#3f007d" && ReportHeatMap.color(.nan) == "#ffffff")
        #expect(svg.contains("&lt;B&gt;") && !svg.contains("<B>"))
    }

    @Test("report.html: one self-contained page (nothing fetched), the figures table, both charts, the heat map, escaped text")
    func page() {
        let html = Self.sample().html()
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        for external in ["<script", "<link", "src=", "href=", "@import", "url(", "https://"] {
            #expect(!html.contains(external), "\(external) in the page")
        }
        // The only URL is the SVG namespace, which browsers do not fetch.
        #expect(html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        #expect(html.components(separatedBy: "<svg").count - 1 == 3, "loss chart, metric chart, heat map")
        #expect(html.contains("<td class=\"number\">87.50 %</td>") && html.contains("−2.50 %"))
        #expect(html.contains("a note with &lt;tags&gt; &amp; &quot;quotes&quot;"))
        #expect(html.contains("&lt;b&gt;&amp;SIT") && !html.contains("<b>&SIT"))
        #expect(html.contains(TrainingReport.trainColor) && html.contains(TrainingReport.validationColor))
    }

    @Test("ReportWriter writes the three files into a new nested directory, leaving no temporary file; a file in the way is named")
    func writer() throws {
        let root = NSTemporaryDirectory() + "recur-report-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let paths = try ReportWriter.write(Self.sample(), to: root + "/a/b")
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["history.csv", "metrics.json", "report.html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a/b").sorted() == ["history.csv", "metrics.json", "report.html"])
        #expect(FileManager.default.contents(atPath: root + "/a/b/report.html") == Data(Self.sample().html().utf8))
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/file"))
        #expect {
            try ReportWriter.prepare(root + "/file")
        } throws: { error in
            "\(error)".contains("--report \(root)/file")
        }
    }
}
