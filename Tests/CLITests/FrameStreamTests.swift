import Foundation
import RecurRuntime
import Testing
import TestSupport

/// recur-run on good frame streams: its result lines equal what the Runtime
/// computes in-process for the same model and frames.
@Suite("recur-run frame streams")
struct FrameStreamTests {
    /// A classifier file in a fresh directory, with its in-process Model.
    struct Fixture {
        let directory: TemporaryDirectory
        let path: String
        let model: Model
        let spec: CLIModel
        /// The classifier's labels (`recur.labels`).
        var labels: [String] { model.frames?.labels ?? [] }

        init(_ spec: CLIModel) throws {
            directory = try TemporaryDirectory()
            path = directory.path("model.rnnz")
            model = try spec.write(to: path)
            self.spec = spec
        }
    }

    /// `count` seeded frames of `width` values in [-3, 3).
    static func frames(_ count: Int, width: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.uniforms(width, -3, 3) }
    }

    /// Frames as text lines, values separated by `separator`.
    static func text(_ frames: [[Float]], separator: String = ",") -> String {
        frames.map { $0.map { "\($0)" }.joined(separator: separator) + "\n" }.joined()
    }

    /// (sample index, label, probabilities/outputs) for every result, computed in-process.
    static func expected(_ model: Model, _ frames: [[Float]], window: Int? = nil, hop: Int? = nil) throws
        -> [(t: Int, label: Int?, outputs: [Float])] {
        let session = try model.makeFrameSession(window: window, hop: hop)
        var results: [(t: Int, label: Int?, outputs: [Float])] = []
        for frame in frames {
            if let result = try session.step(frame) {
                results.append((result.sampleIndex, result.label, Array(result.outputs)))
            }
        }
        return results
    }

    /// Checks text result lines `<t> <label> <p>` against the in-process results.
    static func checkClassifierText(_ lines: [String], _ expected: [(t: Int, label: Int?, outputs: [Float])],
                                    labels: [String]) {
        #expect(lines.count == expected.count, "one line per completed window")
        for (line, result) in zip(lines, expected) {
            let fields = line.split(separator: " ")
            #expect(fields.count == 3, "line \"\(line)\" has three fields")
            guard fields.count == 3, let label = result.label else { continue }
            #expect(Int(fields[0]) == result.t)
            #expect(String(fields[1]) == labels[label])
            let p = Float(fields[2]) ?? -1
            #expect(abs(p - result.outputs[label]) <= 0.00005, "p \(p) vs \(result.outputs[label])")
        }
    }

    @Test("a segment model: a blank line ends a segment (one result, state reset), the last segment ends at EOF; --window refused")
    func segments() throws {
        var spec = CLIModel.classifier()
        spec.segments = true
        let fixture = try Fixture(spec)
        #expect(fixture.model.frames?.segments == true)
        let lengths = [5, 9, 3]
        let segments = lengths.enumerated().map { Self.frames($1, width: 3, seed: 40 + UInt64($0)) }
        // Two blank lines (the second ends nothing), a comment inside a segment, no blank line at the end.
        let text = Self.text(segments[0]) + "\n\n" + "# a comment\n" + Self.text(segments[1]) + " \t\n" + Self.text(segments[2])
        let outcome = try RecurRunProcess.run([fixture.path], stdin: Array(text.utf8))
        #expect(outcome.status == 0 && outcome.err.isEmpty, "\(outcome.err)")
        // In-process: step every frame (no result), end the segment.
        let session = try fixture.model.makeFrameSession()
        var expected: [(t: Int, label: Int?, outputs: [Float])] = []
        for segment in segments {
            for frame in segment { #expect(try session.step(frame) == nil) }
            let result = try #require(try session.endSegment())
            expected.append((result.sampleIndex, result.label, Array(result.outputs)))
        }
        #expect(expected.map(\.t) == [4, 13, 16], "t: each segment's last frame over the stream")
        // A segment alone in a fresh session gives the same result: the state was reset.
        let alone = try fixture.model.makeFrameSession()
        for frame in segments[1] { _ = try alone.step(frame) }
        #expect(Array(try #require(try alone.endSegment()).outputs) == expected[1].outputs)
        Self.checkClassifierText(outcome.outLines, expected, labels: fixture.labels)

        let windowed = try RecurRunProcess.run([fixture.path, "--window", "4"], stdin: Array(text.utf8))
        #expect(windowed.status == 64 && windowed.err.contains("do not apply to a segment model"), "\(windowed.err)")
        let info = try RecurRunProcess.run([fixture.path, "--info"], stdin: [])
        #expect(info.outLines.contains("segments: a blank line ends each (one result per segment)"))
    }

    @Test("classifier text output: one line per window, t counts valid frames, labels and p as computed in-process")
    func classifierText() throws {
        let fixture = try Fixture(.classifier())
        let frames = Self.frames(40, width: 3, seed: 11)
        let outcome = try RecurRunProcess.run([fixture.path], stdin: Array(Self.text(frames).utf8))
        #expect(outcome.status == 0)
        #expect(outcome.err.isEmpty, "no diagnostics: \(outcome.err)")
        let expected = try Self.expected(fixture.model, frames)
        #expect(expected.map(\.t) == [7, 11, 15, 19, 23, 27, 31, 35, 39], "window 8, hop 4")
        Self.checkClassifierText(outcome.outLines, expected, labels: fixture.labels)
    }

    @Test("--window and --hop override the file's windowing")
    func windowAndHop() throws {
        let fixture = try Fixture(.classifier())
        let frames = Self.frames(30, width: 3, seed: 12)
        let outcome = try RecurRunProcess.run([fixture.path, "--window", "6", "--hop=2"],
                                              stdin: Array(Self.text(frames, separator: " ").utf8))
        #expect(outcome.status == 0)
        let expected = try Self.expected(fixture.model, frames, window: 6, hop: 2)
        #expect(expected.map(\.t) == Array(stride(from: 5, to: 30, by: 2)))
        Self.checkClassifierText(outcome.outLines, expected, labels: fixture.labels)

        // window 0: one continuous stream, a result every hop frames.
        let continuous = try RecurRunProcess.run([fixture.path, "--window", "0", "--hop", "5"],
                                                 stdin: Array(Self.text(frames).utf8))
        let expectedContinuous = try Self.expected(fixture.model, frames, window: 0, hop: 5)
        #expect(expectedContinuous.map(\.t) == [4, 9, 14, 19, 24, 29])
        Self.checkClassifierText(continuous.outLines, expectedContinuous, labels: fixture.labels)
    }

    @Test("--json lines carry t, label, p and every label's probability")
    func json() throws {
        let fixture = try Fixture(.classifier())
        let frames = Self.frames(20, width: 3, seed: 13)
        let outcome = try RecurRunProcess.run([fixture.path, "--json"], stdin: Array(Self.text(frames).utf8))
        #expect(outcome.status == 0)
        let expected = try Self.expected(fixture.model, frames)
        #expect(outcome.outLines.count == expected.count)
        for (line, result) in zip(outcome.outLines, expected) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let label = try #require(result.label)
            #expect(object["t"] as? Int == result.t)
            #expect(object["label"] as? String == fixture.labels[label])
            let p = try #require((object["p"] as? NSNumber)?.floatValue)
            #expect(abs(p - result.outputs[label]) <= 1e-6)
            let probs = try #require(object["probs"] as? [String: Any])
            #expect(probs.count == fixture.labels.count)
            for (i, name) in fixture.labels.enumerated() {
                let value = try #require((probs[name] as? NSNumber)?.floatValue)
                #expect(abs(value - result.outputs[i]) <= 1e-6)
            }
        }
    }

    @Test("a header, comments, blank lines, CRLF and mixed separators are accepted without shifting t")
    func toleratedLines() throws {
        let fixture = try Fixture(.classifier())
        let frames = Self.frames(16, width: 3, seed: 14)
        var text = "ax,ay,az\r\n# a comment\n\n"
        for (i, frame) in frames.enumerated() {
            text += i % 2 == 0 ? "\(frame[0]), \(frame[1])\t\(frame[2])\r\n" : "  \(frame[0]) \(frame[1]) \(frame[2])\n"
            if i == 5 { text += "   \n# another\n" }
        }
        let outcome = try RecurRunProcess.run([fixture.path], stdin: Array(text.utf8))
        #expect(outcome.status == 0)
        #expect(outcome.err.isEmpty, "nothing malformed: \(outcome.err)")
        Self.checkClassifierText(outcome.outLines, try Self.expected(fixture.model, frames), labels: fixture.labels)
    }

    @Test("regressor: text lines of t and every output, JSON with an outputs array")
    func regressor() throws {
        let fixture = try Fixture(.regressor())
        let frames = Self.frames(10, width: 2, seed: 15)
        let expected = try Self.expected(fixture.model, frames)
        #expect(expected.count == 10, "window 0, hop 1: a result per frame")

        let text = try RecurRunProcess.run([fixture.path], stdin: Array(Self.text(frames).utf8))
        #expect(text.status == 0)
        #expect(text.outLines.count == expected.count)
        for (line, result) in zip(text.outLines, expected) {
            let fields = line.split(separator: " ").map(String.init)
            #expect(fields.count == 1 + result.outputs.count)
            #expect(Int(fields[0]) == result.t)
            for (field, value) in zip(fields.dropFirst(), result.outputs) {
                #expect(abs((Float(field) ?? .nan) - value) <= 5e-7 * max(1, abs(value)))
            }
        }

        let json = try RecurRunProcess.run([fixture.path, "--json"], stdin: Array(Self.text(frames).utf8))
        for (line, result) in zip(json.outLines, expected) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let outputs = try #require(object["outputs"] as? [NSNumber])
            #expect(outputs.map(\.floatValue).count == result.outputs.count)
            #expect(object["t"] as? Int == result.t)
        }
    }

    @Test("a reader that goes away (| head -n 1) ends the run with exit 0 and no message")
    func brokenPipe() throws {
        let fixture = try Fixture(.classifier(window: 1, hop: 1))
        let directory = try TemporaryDirectory()
        let input = directory.path("frames.csv")
        try Data(Self.text(Self.frames(200_000, width: 3, seed: 16)).utf8).write(to: URL(fileURLWithPath: input))
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", "\"$0\" \"$1\" < \"$2\" 2>\"$3\" | head -n 1 >/dev/null; echo \"${PIPESTATUS[0]}\"",
                           RecurRunProcess.executable, fixture.path, input, directory.path("err")]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        shell.waitUntilExit()
        let status = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "exit status of recur-run: \(status)")
        let err = try String(contentsOfFile: directory.path("err"), encoding: .utf8)
        #expect(err.isEmpty, "no message on a closed pipe: \(err)")
    }

    @Test("the shipped HAR model: raw 6-channel IMU lines are preprocessed in the stream, as the Runtime's stepRaw does")
    func shippedHARModel() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let modelPath = root.appendingPathComponent("models/har.rnnz").path
        let samplePath = root.appendingPathComponent("models/samples/hapt-exp04-user02.txt").path
        let model = try Model(contentsOf: modelPath)
        #expect(model.frames?.rawInputSize == 6)
        #expect(model.frames?.preprocessor != nil)
        let lines = try String(contentsOfFile: samplePath, encoding: .utf8).split(separator: "\n").prefix(1500)
        let frames = lines.map { $0.split(separator: " ").map { Float(String($0))! } }
        let session = try model.makeFrameSession()
        var expected: [(t: Int, label: Int?, outputs: [Float])] = []
        for frame in frames {
            if let result = try session.stepRaw(frame) {
                expected.append((result.sampleIndex, result.label, Array(result.outputs)))
            }
        }
        #expect(expected.count == (1500 - 128) / 64 + 1)
        let outcome = try RecurRunProcess.run([modelPath], stdin: Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(outcome.status == 0)
        #expect(outcome.err.isEmpty, "\(outcome.err)")
        Self.checkClassifierText(outcome.outLines, expected, labels: model.frames?.labels ?? [])

        let verify = try RecurRunProcess.run([modelPath, "--verify"])
        #expect(verify.status == 0)
        let info = try RecurRunProcess.run([modelPath, "--info"])
        #expect(info.outLines.contains { $0.hasPrefix("preprocess: gravity_split_iir2, 6 -> 9 values") })
    }
}
