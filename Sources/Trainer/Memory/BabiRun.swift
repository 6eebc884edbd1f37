import Foundation
import RecurRuntime

/// One `recur train babi` run: data, training, the trainer's test accuracy per task, export of
/// the int8 (and f32) file, and each file's test accuracy as the Runtime computes it.
public enum BabiRun {
    /// Runs and returns the lines of the final report; `progress` gets the per-epoch lines.
    public static func run(_ settings: BabiSettings, out: String, writeF32: Bool,
                           progress: (String) -> Void) throws -> [String] {
        let started = Date()
        let data = try BabiData.load(settings)
        for line in data.summary { progress(line) }
        let (network, history, best) = BabiTraining.train(data, settings: settings) { epoch, e in
            progress("epoch \(epoch + 1): train loss \(Format.fixed(e.trainLoss)) acc \(percent(e.trainAccuracy)), "
                + "validation loss \(Format.fixed(e.validationLoss)) acc \(percent(e.validationAccuracy))"
                + (e.linear ? " (linear start)" : ""))
        }
        var lines = data.summary
        lines.append("best epoch \(best + 1) of \(history.count) (validation accuracy \(percent(history[max(best, 0)].validationAccuracy))); "
            + "\(network.parameterCount) parameters")
        var none = SeededRandom(seed: 0)
        var files: [(String, Model)] = []
        let exported = try MemoryExport.export(network, settings: settings, data: data, quantized: true, to: out)
        files.append(("runtime int8", exported.model))
        if writeF32 {
            let f32Path = MemoryExport.f32Path(out)
            files.append(("runtime f32", try MemoryExport.export(network, settings: settings, data: data, quantized: false, to: f32Path).model))
        }
        lines.append("test accuracy per task (trainer f32 | " + files.map(\.0).joined(separator: " | ") + "):")
        var totals = [Double](repeating: 0, count: files.count + 1)
        for part in data.parts {
            let examples = BabiTraining.examples(part.test, network: network, random: &none)
            var figures = [BabiTraining.score(network, examples).accuracy]
            for (_, model) in files { figures.append(try MemoryExport.runtimeAccuracy(model, stories: part.test)) }
            for (i, f) in figures.enumerated() { totals[i] += f }
            lines.append("  task \(part.task): " + figures.map(percent).joined(separator: " | "))
        }
        if data.parts.count > 1 {
            lines.append("  mean: " + totals.map { percent($0 / Double(data.parts.count)) }.joined(separator: " | "))
        }
        lines.append("wrote \(out) (\(Format.bytes(exported.bytes)), \(exported.selfTests) self-tests verified)"
            + (writeF32 ? " and \(MemoryExport.f32Path(out))" : ""))
        lines.append("time \(Format.duration(Date().timeIntervalSince(started)))")
        return lines
    }

    static func percent(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
}
