import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// Streaming the shipped sample through the shipped model (preprocessor from the file's keys,
/// one `FrameSession` over the whole stream, a result every hop) gives, window by window, exactly the
/// offline evaluation of the same windows (fresh session per window, features of the whole
/// recording cut afterwards) — what recur-run must print.
@Suite("HAR stream equals offline")
struct HARStreamTests {
    static let modelPath: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/har.rnnz").path

    @Test("models/har.rnnz on the first 3,000 samples of the sample recording: same probabilities, bit for bit",
          .enabled(if: FileManager.default.fileExists(atPath: HARStreamTests.modelPath), "models/har.rnnz not built yet"))
    func streamEqualsOffline() throws {
        let file = try ModelFile.load(Self.modelPath)
        let model = try Model(file: file)
        let sample = try HARSampleRecording.load(recording: HARSampleTests.recordingPath, labels: HARSampleTests.labelsPath)
        let frames = 3000
        let raw = Array(sample.samples[0..<(frames * 6)])

        // The stream: raw line → preprocessor → session (window 128, hop 64 from the file).
        var preprocessor = try StreamPreprocessor.fromMetadata(of: file)
        let session = try model.makeFrameSession()
        var streamed: [(end: Int, probabilities: [Float])] = []
        var input = [Float](repeating: 0, count: session.configuration.inputSize)
        for step in 0..<frames {
            if preprocessor != nil {
                raw.withUnsafeBufferPointer { r in
                    input.withUnsafeMutableBufferPointer { out in
                        preprocessor!.process(raw: r.baseAddress! + step * 6, into: out.baseAddress!)
                    }
                }
            } else {
                input = Array(raw[(step * 6)..<((step + 1) * 6)])
            }
            if let result = try session.step(input) {
                streamed.append((result.sampleIndex, Array(result.outputs)))
            }
        }
        // ⌊(3000 − 128) / 64⌋ + 1 windows end inside the first 3000 samples.
        #expect(streamed.count == (frames - 128) / 64 + 1)

        // The Runtime's own raw path (FrameSession.stepRaw, what recur-run calls per stdin line).
        let rawSession = try model.makeFrameSession()
        var viaStepRaw: [(end: Int, probabilities: [Float])] = []
        for step in 0..<frames {
            if let result = try rawSession.stepRaw(Array(raw[(step * 6)..<((step + 1) * 6)])) {
                viaStepRaw.append((result.sampleIndex, Array(result.outputs)))
            }
        }
        #expect(viaStepRaw.map(\.end) == streamed.map(\.end))
        #expect(viaStepRaw.map(\.probabilities) == streamed.map(\.probabilities))

        // Offline: features of the recording computed whole, each window in a fresh session.
        let features: HARFeatures = preprocessor.map { .gravitySplit(coefficients: $0.coefficients) } ?? .raw
        let whole = try features.compute(on: HARRecording(experiment: 0, subject: 0, samples: raw, segments: []))
        let channels = features.channels
        let offline = try model.makeFrameSession(window: 128, hop: 128)
        for (end, probabilities) in streamed {
            offline.reset()
            var last: [Float] = []
            for step in (end - 127)...end {
                if let result = try offline.step(Array(whole[(step * channels)..<((step + 1) * channels)])) {
                    last = Array(result.outputs)
                }
            }
            #expect(last == probabilities, "window ending at sample \(end)")
        }
    }
}
