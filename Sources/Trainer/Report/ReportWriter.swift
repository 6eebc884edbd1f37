import Foundation

/// Writes a run's report into a directory: `history.csv`, `metrics.json` and `report.html`, each
/// atomically (temporary file, fsync, rename), so a crash leaves the old file or the new one.
public enum ReportWriter {
    /// The files, in the order they are written.
    public static let fileNames = ["history.csv", "metrics.json", "report.html"]

    /// Creates `directory` (and its parents) and checks it takes files, before a run starts:
    /// `--report DIR` fails at once, not after hours of training.
    ///
    /// - Throws: `ReportError` naming the directory and the reason.
    public static func prepare(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError("--report \(directory): cannot create the directory (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw ReportError("--report \(directory): the directory is not writable")
        }
    }

    /// `metrics.json`: the report as JSON, snake_case keys, sorted, indented.
    public static func metricsJSON(_ report: TrainingReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(report)) + [10]
        } catch {
            throw ReportError("metrics.json: cannot encode the report (\(error))")
        }
    }

    /// Writes the three files into `directory` (created if needed).
    ///
    /// - Returns: the paths written.
    /// - Throws: `ReportError` naming the file and the reason.
    @discardableResult
    public static func write(_ report: TrainingReport, to directory: String) throws -> [String] {
        try prepare(directory)
        let contents: [[UInt8]] = [try report.historyCSV(), try metricsJSON(report), Array(report.html().utf8)]
        var paths: [String] = []
        for (name, bytes) in zip(fileNames, contents) {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try AtomicFile.write(bytes, to: path)
            } catch {
                throw ReportError("--report: cannot write \(path) (\(error))")
            }
            paths.append(path)
        }
        return paths
    }
}
