import RecurRuntime

/// A session and a seeded stream of frames it cycles through, so that `step()` measures one
/// `FrameSession.step` and nothing else: the frames are one block allocated at set-up, each step
/// passes a pointer into it.
final class FrameStream {
    let session: FrameSession
    private let frames: UnsafeMutablePointer<Float>   // (count × width), row-major
    private let count: Int
    private let width: Int
    private var next = 0

    /// A session of `model` (window and hop as given) over `count` seeded frames.
    init(model: Model, window: Int, hop: Int, count: Int = 4096, seed: UInt64) throws {
        session = try model.makeFrameSession(window: window, hop: hop)
        width = session.configuration.inputSize
        self.count = count
        frames = .allocate(capacity: count * width)
        let values = BenchmarkModels.frames(count: count, width: width, seed: seed)
        frames.initialize(from: values, count: values.count)
    }

    deinit {
        frames.deallocate()
    }

    /// Steps the next frame; returns the label of a completed window (or -1 when none completed).
    @inline(__always)
    func step() throws(RecurError) -> Int {
        let frame = UnsafeBufferPointer(start: frames + next * width, count: width)
        next = next + 1 == count ? 0 : next + 1
        guard let result = try session.step(frame) else { return -1 }
        return result.label ?? -1
    }
}
