import CSV
import Foundation

extension TrainingReport {
    /// The columns of `history.csv`, in order. The metric columns hold `historyMetric`
    /// (named in `metrics.json`); an empty cell is a figure the run did not have (no validation
    /// split) or a non-finite one.
    public static let historyColumns = ["epoch", "train_loss", "validation_loss", "train_metric",
                                        "validation_metric", "learning_rate", "seconds", "best_so_far"]

    /// `history.csv`: a header line, then one line per epoch; LF line ends, numbers in Swift's
    /// shortest round-trip form.
    ///
    /// - Throws: `ReportError` when the CSV writer fails.
    public func historyCSV() throws -> [UInt8] {
        let stream = OutputStream(toMemory: ())
        stream.open()
        do {
            let writer = try CSVWriter(stream: stream)
            try writer.write(row: Self.historyColumns)
            for row in history {
                try writer.write(row: [
                    String(row.epoch), Self.cell(row.trainLoss), Self.cell(row.validationLoss),
                    Self.cell(row.trainMetric), Self.cell(row.validationMetric), Self.cell(row.learningRate),
                    Self.cell(row.seconds), row.improved ? "1" : "0",
                ])
            }
        } catch {
            stream.close()
            throw ReportError("history.csv: the CSV writer failed (\(error))")
        }
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw ReportError("history.csv: the CSV writer's memory stream returned no data")
        }
        // The writer separates rows; the file ends with a line end like any text file.
        return [UInt8](data) + [10]
    }

    private static func cell(_ value: Double?) -> String {
        value.map { String(describing: $0) } ?? ""
    }
}
