import RecurRuntime
import Testing
import TestSupport

/// Frame sessions: the staggered window states of a streaming classifier give, for
/// every completed window, exactly (bit for bit) what classifying that window alone
/// gives; continuous streams, reset, kernel paths and the errors of `step`.
@Suite("FrameSession windowing")
struct SessionWindowingTests {
    /// Window/hop pairs: hop dividing the window, not dividing it, hop 1, hop = window.
    static let shapes: [(window: Int, hop: Int)] = [(8, 4), (8, 3), (7, 2), (6, 1), (5, 5), (7, 5)]

    static func frames(_ count: Int, _ size: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.uniforms(size, -2, 2) }
    }

    /// An int8 classifier of `cells` with the file's window and hop, and `count` frames for it.
    static func classifierAndFrames(
        _ cells: [String], window: Int, hop: Int, count: Int, seed: UInt64
    ) throws -> (Model, [[Float]]) {
        let fixture = ModelFixture.classifier(cells: cells, window: window, hop: hop)
        return (try fixture.model(.int8), frames(count, fixture.inputSize, seed: seed))
    }

    /// One result as comparable values: its last frame's index, label and output bits.
    struct Result: Equatable {
        var sampleIndex: Int
        var label: Int?
        var bits: [UInt32]

        init(_ result: FrameResult) {
            sampleIndex = result.sampleIndex
            label = result.label
            bits = result.outputs.map(\.bitPattern)
        }
    }

    /// Steps `frames` through `session` and keeps every result.
    static func stream(_ session: FrameSession, _ frames: [[Float]]) throws -> [Result] {
        var results: [Result] = []
        for frame in frames {
            if let result = try session.step(frame) { results.append(Result(result)) }
        }
        return results
    }

    /// Classifies `frames[start..<start + window]` alone, in a session that has seen
    /// nothing else (one continuous stream whose only result is at the window's end).
    static func alone(_ model: Model, _ frames: [[Float]], start: Int, window: Int) throws -> Result {
        let session = try model.makeFrameSession(window: 0, hop: window)
        for t in start..<(start + window - 1) {
            #expect(try session.step(frames[t]) == nil)
        }
        let result = try #require(try session.step(frames[start + window - 1]))
        var found = Result(result)
        #expect(found.sampleIndex == window - 1)
        found.sampleIndex = start + window - 1
        return found
    }

    @Test("every completed window of a stream equals that window classified alone, bit for bit",
          arguments: [WeightStorage.int8, .f32], shapes)
    func windowsEqualOfflineClassification(storage: WeightStorage, shape: (window: Int, hop: Int)) throws {
        let fixture = ModelFixture.classifier(cells: ["lstm", "gru"], window: 8, hop: 3)
        let model = try fixture.model(storage)
        let frames = Self.frames(37, fixture.inputSize, seed: 21)
        // The override replaces the file's window 8 / hop 3.
        let session = try model.makeFrameSession(window: shape.window, hop: shape.hop)
        #expect(session.window == shape.window && session.hop == shape.hop)
        let streamed = try Self.stream(session, frames)

        var expected: [Result] = []
        var start = 0
        while start + shape.window <= frames.count {
            expected.append(try Self.alone(model, frames, start: start, window: shape.window))
            start += shape.hop
        }
        #expect(!expected.isEmpty)
        #expect(streamed.count == expected.count)
        #expect(streamed == expected)
        for result in streamed {
            // The label is the most probable class.
            let probabilities = result.bits.map { Float(bitPattern: $0) }
            #expect(result.label == probabilities.indices.max { probabilities[$0] < probabilities[$1] })
        }
    }

    @Test("the file's recur.window and recur.hop are the session's defaults")
    func fileDefaults() throws {
        let (model, frames) = try Self.classifierAndFrames(["rnn_tanh"], window: 6, hop: 4, count: 20, seed: 22)
        let session = try model.makeFrameSession()
        #expect(session.window == 6 && session.hop == 4)
        let results = try Self.stream(session, frames)
        // Windows start at 0, 4, 8, 12 (16 would end past frame 19): last frames 5, 9, 13, 17.
        #expect(results.map(\.sampleIndex) == [5, 9, 13, 17])
        #expect(results == (try Self.stream(try model.makeFrameSession(window: 6, hop: 4), frames)))
    }

    @Test("a windowed regressor stacks dense layers between recurrent ones and still matches each window alone")
    func windowedRegressor() throws {
        var rng = SeededGenerator(seed: 23)
        var fixture = ModelFixture.regressor(cells: ["gru"], heads: ["none"], hidden: 5, outputs: 2)
        // gru(3→5) → dense relu(5→5) → lstm(5→5) → dense(5→2): a dense layer inside the stack.
        fixture.layers = [
            fixture.layers[0],
            ModelFixture.dense(1, activation: "relu", input: 5, output: 5, &rng),
            ModelFixture.recurrent(2, "lstm", input: 5, hidden: 5, &rng),
            ModelFixture.dense(3, activation: "none", input: 5, output: 2, &rng),
        ]
        fixture.window = 5
        fixture.hop = 2
        let model = try fixture.model(.int8)
        #expect(model.layers.map(\.kind) == [.gru, .dense(.relu), .lstm, .dense(.none)])
        let frames = Self.frames(19, fixture.inputSize, seed: 24)
        let streamed = try Self.stream(try model.makeFrameSession(), frames)
        var expected: [Result] = []
        for start in stride(from: 0, through: frames.count - 5, by: 2) {
            var result = try Self.alone(model, frames, start: start, window: 5)
            result.label = nil
            expected.append(result)
        }
        #expect(streamed == expected)
        #expect(streamed.allSatisfy { $0.label == nil })
    }

    @Test("window 0 is one continuous stream: a result every hop frames, the same as hop 1 at those frames",
          arguments: [1, 2, 5])
    func continuousStream(hop: Int) throws {
        let (model, frames) = try Self.classifierAndFrames(["gru"], window: 0, hop: 1, count: 23, seed: 25)
        let everyFrame = try Self.stream(try model.makeFrameSession(), frames)
        #expect(everyFrame.map(\.sampleIndex) == Array(0..<23))
        let everyHop = try Self.stream(try model.makeFrameSession(window: 0, hop: hop), frames)
        #expect(everyHop == everyFrame.filter { ($0.sampleIndex + 1) % hop == 0 })
    }

    @Test("reset returns a session to its initial state: the same results as a fresh session")
    func resetEqualsFresh() throws {
        let (model, frames) = try Self.classifierAndFrames(["lstm"], window: 5, hop: 2, count: 17, seed: 26)
        let session = try model.makeFrameSession()
        let first = try Self.stream(session, frames)
        _ = try Self.stream(session, Self.frames(9, 3, seed: 27))
        session.reset()
        #expect(session.stepCount == 0)
        #expect(try Self.stream(session, frames) == first)
    }

    @Test("sessions share a Model without sharing state: interleaved and concurrent streams equal each stream alone")
    func sessionsAreIndependent() async throws {
        let (model, first) = try Self.classifierAndFrames(["gru"], window: 5, hop: 2, count: 21, seed: 30)
        let second = Self.frames(21, 3, seed: 31)
        let alone = [try Self.stream(try model.makeFrameSession(), first), try Self.stream(try model.makeFrameSession(), second)]
        #expect(alone[0] != alone[1])

        let a = try model.makeFrameSession()
        let b = try model.makeFrameSession()
        var interleaved: [[Result]] = [[], []]
        for t in 0..<21 {
            if let result = try a.step(first[t]) { interleaved[0].append(Result(result)) }
            if let result = try b.step(second[t]) { interleaved[1].append(Result(result)) }
        }
        #expect(interleaved == alone)

        // Model is Sendable: one session per task, all on the same model.
        let concurrent = try await withThrowingTaskGroup(of: (Int, [Result]).self) { group in
            for k in 0..<4 {
                group.addTask { (k, try Self.stream(try model.makeFrameSession(), k % 2 == 0 ? first : second)) }
            }
            var byTask: [Int: [Result]] = [:]
            for try await (k, results) in group { byTask[k] = results }
            return byTask
        }
        for k in 0..<4 { #expect(concurrent[k] == alone[k % 2]) }
    }

    @Test("every available kernel path gives the same bits as the scalar reference (int8 and f32)",
          arguments: [WeightStorage.int8, .f32])
    func kernelPathsAgree(storage: WeightStorage) throws {
        let fixture = ModelFixture.classifier(cells: ["lstm", "rnn_relu"], hidden: 16, window: 6, hop: 4)
        let model = try fixture.model(storage)
        let frames = Self.frames(30, fixture.inputSize, seed: 28)
        let reference = try Self.stream(try model.makeFrameSession(kernels: .scalar), frames)
        #expect(reference.count == 7)
        for path in KernelPath.allCases where path.isAvailable {
            let session = try model.makeFrameSession(kernels: path)
            #expect(try Self.stream(session, frames) == reference, "kernel path \(path.activeName)")
        }
    }

    @Test("an unavailable kernel path is refused when the session is made")
    func unavailableKernel() throws {
        let model = try ModelFixture.classifier().model(.int8)
        for path in KernelPath.allCases where !path.isAvailable {
            #expect(throws: RecurError.kernelUnavailable(path.requestedName)) {
                try model.makeFrameSession(kernels: path)
            }
        }
        #expect(KernelPath(name: "neon-dotprod") == .neonDotprod)
        #expect(KernelPath(name: "best") == .best)
        #expect(KernelPath(name: "sse9") == nil)
    }

    @Test("window/hop pairs a session cannot run are refused with badWindow")
    func badWindows() throws {
        let model = try ModelFixture.classifier().model(.f32)
        for (window, hop) in [(8, 0), (-1, 1), (0, -3), (4, 6), (1 << 21, 1), (4097, 1)] {
            #expect(throws: RecurError.self) { try model.makeFrameSession(window: window, hop: hop) }
            do throws(RecurError) {
                _ = try model.makeFrameSession(window: window, hop: hop)
            } catch {
                guard case let .badWindow(w, h, reason) = error else {
                    Issue.record("window \(window) hop \(hop): expected badWindow, got \(error)")
                    continue
                }
                #expect(w == window && h == hop && !reason.isEmpty)
            }
        }
        // 4096 staggered states is the limit, and allowed.
        #expect(try model.makeFrameSession(window: 4096, hop: 1).window == 4096)
    }

    @Test("step refuses a frame of the wrong size and an lm; the stream is unchanged after a refusal")
    func stepErrors() throws {
        let (model, frames) = try Self.classifierAndFrames(["lstm"], window: 4, hop: 2, count: 10, seed: 29)
        let session = try model.makeFrameSession()
        var results: [Result] = []
        for (t, frame) in frames.enumerated() {
            if t == 3 {
                #expect(throws: RecurError.wrongInputSize(expected: 3, found: 2)) { try session.step([1, 2]) }
            }
            if let result = try session.step(frame) { results.append(Result(result)) }
        }
        #expect(results == (try Self.stream(try model.makeFrameSession(), frames)))

        let lm = try ModelFixture.lm().model(.int8)
        #expect(throws: RecurError.wrongTask(expected: "classifier or regressor (frames)", found: "lm")) {
            _ = try lm.makeFrameSession()
        }
    }
}
