import ArgumentParser
import Trainer

/// `--report DIR`, shared by every `recur train` task: the run's history.csv, metrics.json and
/// report.html (Trainer's `ReportWriter`).
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("report"), help: ArgumentHelp(
        "Write history.csv, metrics.json and report.html (loss curves, f32 vs int8, confusion matrix) into this directory.",
        valueName: "dir"))
    var directory: String?

    /// Creates the directory before training, so a bad path fails at once.
    func prepare() throws {
        guard let directory else { return }
        do { try ReportWriter.prepare(directory) } catch { throw CLIError("\(error)") }
    }

    /// Writes the report (when asked) and says where.
    func write(_ report: @autoclosure () -> TrainingReport) throws {
        guard let directory else { return }
        do {
            try ReportWriter.write(report(), to: directory)
        } catch {
            throw CLIError("\(error)")
        }
        print("report in \(directory)/ (history.csv, metrics.json, report.html)")
    }
}
