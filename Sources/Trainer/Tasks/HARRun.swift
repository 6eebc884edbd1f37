import Foundation
import RecurRuntime

/// Scores HAR files through the Runtime (`recur har eval`, `recur eval … --data`). Training is
/// `recur train har`, a preset of `recur train frames` (`FramesSettings.har`).
public enum HARRun {
    /// Scores a HAR file through the Runtime on the test subjects of `data`, cutting the
    /// windows as the file says: its window, its classes (6 or 12) and its preprocessor.
    ///
    /// - Returns: the metrics, the timesteps run (windows × window) and the seconds the Runtime
    ///   took for them (sessions, steps and heads; not the data loading).
    public static func evaluate(modelPath: String, data: String) throws -> (metrics: HARMetrics, steps: Int, seconds: Double) {
        let file = try ModelFile.load(modelPath)
        let model = try Model(file: file)
        let features: HARFeatures
        if let preprocessor = try StreamPreprocessor.fromMetadata(of: file) {
            features = .gravitySplit(coefficients: preprocessor.coefficients)
        } else {
            features = .raw
        }
        guard let frames = model.frames else {
            throw HARDataError.unsupported("\(modelPath): a \(model.task.rawValue), not a frame classifier")
        }
        guard let classes = HARClassSet.allCases.first(where: { $0.classNames == frames.labels }) else {
            throw HARDataError.unsupported("\(modelPath): recur.labels \(frames.labels) are neither HAR class set")
        }
        let split = try HARDataset.load(
            directory: data, options: HARWindowOptions(window: frames.window, classes: classes, features: features))
        let started = Date()
        let metrics = try HARRuntimeEvaluation.evaluate(model, on: split.test).metrics
        return (metrics, split.test.count * split.test.window, Date().timeIntervalSince(started))
    }
}
