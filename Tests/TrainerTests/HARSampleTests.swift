import Foundation
import Testing
@testable import Trainer

/// The shipped sample recording (models/samples) and its reader.
@Suite("HAR sample recording")
struct HARSampleTests {
    static let folder: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/samples").path
    static let recordingPath = folder + "/hapt-exp04-user02.txt"
    static let labelsPath = folder + "/hapt-exp04-user02.labels.txt"

    @Test("The sample: 16,565 six-value lines, 20 segments, windows of all six basic activities")
    func shippedSample() throws {
        let recording = try HARSampleRecording.load(recording: Self.recordingPath, labels: Self.labelsPath)
        #expect(recording.count == 16_565)
        #expect(recording.segments.count == 20)
        #expect(recording.segments.first == HARSegment(activity: 5, first: 523, last: 1350))
        let windows = try HARWindowing.windows([recording])
        #expect(windows.classCounts.allSatisfy { $0 > 0 })
        // Gravity is in acc: |acc| ≈ 1 g on average over the recording.
        var norm = 0.0
        for step in 0..<recording.count {
            let x = Double(recording.samples[step * 6]), y = Double(recording.samples[step * 6 + 1])
            let z = Double(recording.samples[step * 6 + 2])
            norm += (x * x + y * y + z * z).squareRoot()
        }
        #expect(abs(norm / Double(recording.count) - 1) < 0.1)
    }

    @Test("Sample reader errors name file and line: past the end, overlap, unknown activity, short row")
    func malformed() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("recur-har-sample-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let recording = scratch + "/r.txt", labels = scratch + "/l.txt"
        try (0..<200).map { "\($0) 0 1 0 0 0" }.joined(separator: "\n").write(toFile: recording, atomically: true, encoding: .utf8)
        func error(labels text: String) throws -> HARDataError? {
            try text.write(toFile: labels, atomically: true, encoding: .utf8)
            do {
                _ = try HARSampleRecording.load(recording: recording, labels: labels)
                return nil
            } catch {
                return error
            }
        }
        #expect(try error(labels: "1 128 5\n129 200 1\n") == nil)
        #expect(try error(labels: "1 128 5\n129 201 1\n")
            == .labelPastEnd(path: labels, line: 2, last: 201, samples: 200, recording: recording))
        #expect(try error(labels: "1 13 5\n2 200 1\n") == .badSegment(
            path: labels, line: 2, reason: "lines 2…200 overlap or precede the previous segment (ends at line 13)"))
        #expect(try error(labels: "1 128 13\n") == .unknownActivity(path: labels, line: 1, id: 13))
        #expect(try error(labels: "1 128\n") == .shortRow(path: labels, line: 1, expected: 3, found: 2))
        try "0 0 1 0 0 0\n0 0 1 0 0\n".write(toFile: recording, atomically: true, encoding: .utf8)
        #expect(try error(labels: "1 2 5\n") == .shortRow(path: recording, line: 2, expected: 6, found: 5))
    }

    @Test("The sample is HAPT's exp04/user02 to 6 significant digits, with its labels", .enabled(if: HARRealData.directory != nil, "HAPT data not found"))
    func matchesRealData() throws {
        let sample = try HARSampleRecording.load(recording: Self.recordingPath, labels: Self.labelsPath)
        let real = try #require(try HARRealData.recordings.get().first { $0.experiment == 4 })
        #expect(real.subject == 2 && HARSubjectSplit.uciTestSubjects.contains(2))
        #expect(sample.segments == real.segments)
        #expect(sample.count == real.count)
        var worst: Float = 0
        for index in 0..<real.samples.count {
            worst = max(worst, abs(sample.samples[index] - real.samples[index]) / max(abs(real.samples[index]), 1e-3))
        }
        #expect(worst < 1e-5)
    }
}
