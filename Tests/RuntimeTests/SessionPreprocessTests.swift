import RecurRuntime
import Testing
import TestSupport

/// A model whose file names a stream preprocessor (`recur.preprocess`, docs/HAR.md):
/// the Model validates and exposes it, and `FrameSession.stepRaw` runs it once over the
/// stream before normalization and windowing.
@Suite("FrameSession preprocessing")
struct SessionPreprocessTests {
    /// A low-pass biquad with a double pole at 0.8 and DC gain 1: b = k·[1, 2, 1],
    /// a1 = -1.6, a2 = 0.64, k = (1 + a1 + a2) / 4.
    static let coefficients: [Float] = [0.01, 0.02, 0.01, -1.6, 0.64]
    static let rawNames = ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"]

    /// A 9-input LSTM classifier (window 6, hop 4) fed by `gravity_split_iir2` over 6 raw values.
    static var fixture: ModelFixture {
        var fixture = ModelFixture.classifier(cells: ["lstm"], input: 9, hidden: 8, classes: 3, window: 6, hop: 4)
        fixture.overrides = [
            ("recur.preprocess", .string("gravity_split_iir2")),
            ("recur.preprocess.coefficients", .array(.float32(coefficients))),
            ("recur.preprocess.input_size", .uint32(6)),
            ("recur.preprocess.input_names", .array(.string(rawNames))),
            ("recur.preprocess.output_size", .uint32(9)),
        ]
        return fixture
    }

    static func rawFrames(_ count: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededGenerator(seed: seed)
        // Acceleration around 1 g on z, angular velocity around 0.
        return (0..<count).map { _ in
            [rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3), 1 + rng.uniform(-0.3, 0.3)] + rng.uniforms(3, -1, 1)
        }
    }

    @Test("the model exposes the preprocessor and both frame sizes: 6 raw values in, 9 network inputs")
    func modelDescribesPreprocessing() throws {
        let model = try Self.fixture.model(.int8)
        let frames = try #require(model.frames)
        let preprocessor = try #require(frames.preprocessor)
        #expect(preprocessor.kind == .gravitySplitIIR2)
        #expect(preprocessor.coefficients == Self.coefficients)
        #expect(frames.rawInputSize == 6 && frames.inputSize == 9)
        #expect(frames.rawInputNames == Self.rawNames)

        let plain = try #require(try ModelFixture.classifier().model(.int8).frames)
        #expect(plain.preprocessor == nil)
        #expect(plain.rawInputSize == plain.inputSize)
    }

    @Test("stepRaw equals running the preprocessor over the stream by hand and stepping its output, bit for bit")
    func stepRawEqualsManualPreprocessing() throws {
        let model = try Self.fixture.model(.int8)
        let raw = Self.rawFrames(30, seed: 61)
        let streaming = try model.makeFrameSession()
        var manual = try #require(model.frames?.preprocessor)
        let reference = try model.makeFrameSession()
        var derived = [Float](repeating: 0, count: 9)
        var results = 0
        for frame in raw {
            let found = try streaming.stepRaw(frame)
            frame.withUnsafeBufferPointer { input in
                derived.withUnsafeMutableBufferPointer { output in
                    manual.process(raw: input.baseAddress!, into: output.baseAddress!)
                }
            }
            let expected = try reference.step(derived)
            #expect(found?.sampleIndex == expected?.sampleIndex)
            #expect(found?.outputs.map(\.bitPattern) == expected?.outputs.map(\.bitPattern))
            if found != nil { results += 1 }
        }
        // Windows of 6 every 4 frames over 30 frames: ends at 5, 9, …, 29.
        #expect(results == 7)
    }

    @Test("reset restarts the preprocessor with the session; raw frames of the wrong size are refused")
    func resetAndErrors() throws {
        let model = try Self.fixture.model(.f32)
        let raw = Self.rawFrames(14, seed: 62)
        let session = try model.makeFrameSession()
        func run() throws -> [[UInt32]] {
            var outputs: [[UInt32]] = []
            for frame in raw {
                if let result = try session.stepRaw(frame) { outputs.append(result.outputs.map(\.bitPattern)) }
            }
            return outputs
        }
        let first = try run()
        #expect(first.count == 3)
        session.reset()
        #expect(try run() == first)
        #expect(throws: RecurError.wrongInputSize(expected: 6, found: 9)) {
            try session.stepRaw([Float](repeating: 0, count: 9))
        }
        // step still takes the network's 9 values.
        #expect(throws: RecurError.wrongInputSize(expected: 9, found: 6)) { try session.step(raw[0]) }
    }

    @Test("without a preprocessor stepRaw is step")
    func stepRawWithoutPreprocessor() throws {
        let model = try ModelFixture.classifier(window: 4, hop: 2).model(.int8)
        var rng = SeededGenerator(seed: 63)
        let frames = (0..<9).map { _ in rng.uniforms(3, -2, 2) }
        let a = try model.makeFrameSession()
        let b = try model.makeFrameSession()
        for frame in frames {
            #expect(try a.stepRaw(frame)?.outputs.map(\.bitPattern) == (try b.step(frame))?.outputs.map(\.bitPattern))
        }
    }

    @Test("preprocess keys are validated when the model loads, naming the key")
    func preprocessRefusals() throws {
        var unknown = Self.fixture
        unknown.overrides[0] = ("recur.preprocess", .string("fft"))
        guard case let .badKeyValue(key, _)? = try unknown.loadError() else {
            Issue.record("an unknown preprocessor loaded")
            return
        }
        #expect(key == "recur.preprocess")

        var unstable = Self.fixture
        unstable.overrides[1] = ("recur.preprocess.coefficients", .array(.float32([1, 0, 0, -2.5, 1.2])))
        guard case let .badKeyValue(coefficientsKey, _)? = try unstable.loadError() else {
            Issue.record("an unstable filter loaded")
            return
        }
        #expect(coefficientsKey == "recur.preprocess.coefficients")

        var missing = Self.fixture
        missing.omittedKeys = ["recur.preprocess.output_size"]
        #expect(try missing.loadError() == .missingKey("recur.preprocess.output_size"))
    }
}
