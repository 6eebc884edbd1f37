/// One stream of frames through a classifier or regressor: everything mutable lives here.
///
/// All state and scratch memory is allocated by `Model.makeFrameSession`, which is also where
/// the task is checked (once); `step`, `stepRaw` and `endSegment` allocate nothing and check
/// nothing but the input size. A session is used from one thread at a time; make one session
/// per stream.
///
/// `step` takes the network's input frame; `stepRaw` takes a raw frame (a stdin line) and
/// first runs the model's stream preprocessor on it, when it has one.
///
/// The session keeps `ceil(window / hop)` staggered window states, the lanes of its
/// `LayerStack`, and advances them together with the C core's multi-vector steps (the first
/// layer's input shared, stride 0). State `k mod n` is zeroed when window `k` starts at frame
/// `k·hop`; when window `k` ends at frame `k·hop + window - 1` its state has seen exactly that
/// window's frames, so the result equals classifying the window alone. The head (the dense
/// layers after the last recurrent layer) runs once per result, on that state only.
public final class FrameSession {
    public let model: Model
    /// What the model's file says about frames (its defaults, before this session's overrides).
    public let configuration: FrameConfiguration
    /// Frames per window (0: one continuous stream).
    public let window: Int
    /// Frames between window starts (between results for a continuous stream).
    public let hop: Int
    /// The kernel path this session computes with.
    public let kernels: KernelPath
    /// Frames stepped since the session began or was reset.
    public private(set) var stepCount = 0

    /// Staggered window states advanced together: `ceil(window / hop)`, or 1.
    private let stateCount: Int
    /// The layers before the head, one lane per window state; the head, one lane.
    private let stack: LayerStack
    private let head: LayerStack
    /// The normalized frame (inputSize floats).
    private let input: AlignedBuffer
    /// The model's mean and std as aligned copies (inputSize each; empty without normalization).
    private let mean: AlignedBuffer
    private let std: AlignedBuffer
    private let normalizes: Bool
    /// A classifier: results carry the arg-max label.
    private let labelsResults: Bool
    /// A segment model: results come from `endSegment` only.
    private let segments: Bool
    /// The running copy of the model's preprocessor (its filter state is this stream's).
    private var preprocessor: StreamPreprocessor?
    /// The preprocessed frame (inputSize floats) that `stepRaw` hands to `step`.
    private let preprocessed: AlignedBuffer
    /// Frames stepped before the current segment (segment models).
    private var segmentStart = 0

    init(model: Model, configuration: FrameConfiguration, window: Int, hop: Int, kernels: KernelPath) throws(RecurError) {
        self.model = model
        self.configuration = configuration
        self.window = window
        self.hop = hop
        self.kernels = kernels
        let table = try kernels.table()
        stateCount = Windowing.states(window: window, hop: hop)
        stack = LayerStack(Array(model.computes[0..<model.headStart]), lanes: stateCount, table: table)
        head = LayerStack(Array(model.computes[model.headStart...]), lanes: 1, table: table)

        let inputSize = configuration.inputSize
        input = AlignedBuffer(floats: inputSize)
        normalizes = !configuration.mean.isEmpty
        mean = AlignedBuffer(floats: configuration.mean.count)
        std = AlignedBuffer(floats: configuration.std.count)
        for i in 0..<configuration.mean.count {
            mean.floats[i] = configuration.mean[i]
            std.floats[i] = configuration.std[i]
        }
        if case .labels = configuration.outputs { labelsResults = true } else { labelsResults = false }
        segments = configuration.segments
        preprocessor = configuration.preprocessor
        preprocessed = AlignedBuffer(floats: configuration.preprocessor == nil ? 0 : inputSize)
    }

    /// Back to the state of a new session: every state zero, the preprocessor
    /// restarted, `stepCount` 0.
    public func reset() {
        stack.reset()
        head.reset()
        preprocessor?.reset()
        stepCount = 0
        segmentStart = 0
    }

    /// Feeds one frame (raw values; the session normalizes them).
    ///
    /// - Returns: the result when this frame completes a window (or a hop of a
    ///   continuous stream), nil otherwise (and always nil for a segment model).
    /// - Throws: `wrongInputSize` when `frame.count` is not the model's input size.
    public func step(_ frame: UnsafeBufferPointer<Float>) throws(RecurError) -> FrameResult? {
        let inputSize = configuration.inputSize
        if frame.count != inputSize { throw .wrongInputSize(expected: inputSize, found: frame.count) }
        let x = input.floats
        if normalizes {
            // x' = (x - mean) / std, per feature.
            for i in 0..<frame.count { x[i] = (frame[i] - mean.floats[i]) / std.floats[i] }
        } else {
            for i in 0..<frame.count { x[i] = frame[i] }
        }
        let t = stepCount
        if window > 0 && t % hop == 0 {
            stack.startLane((t / hop) % stateCount)
        }
        try stack.run(x, inputStride: 0, lanes: stateCount)
        stepCount = t + 1

        let completedState: Int
        if segments {
            return nil
        } else if window > 0 {
            let sinceFirstEnd = t - (window - 1)
            if sinceFirstEnd < 0 || sinceFirstEnd % hop != 0 { return nil }
            completedState = (sinceFirstEnd / hop) % stateCount
        } else {
            if (t + 1) % hop != 0 { return nil }
            completedState = 0
        }
        return try result(state: completedState, sampleIndex: t)
    }

    /// `step` over an array (no copy).
    public func step(_ frame: [Float]) throws(RecurError) -> FrameResult? {
        try frame.withUnsafeBufferPointer { (buffer) throws(RecurError) -> FrameResult? in try step(buffer) }
    }

    /// Feeds one raw frame, as a stdin line carries it: runs the model's
    /// preprocessor (when it has one) on it, then `step`s the result.
    ///
    /// The preprocessor runs once over the whole stream, before windowing, so each
    /// window's result equals classifying that window's preprocessed frames alone.
    /// Without a preprocessor this is `step`.
    ///
    /// - Throws: `wrongInputSize` when `raw.count` is not `configuration.rawInputSize`,
    ///   and what `step` throws.
    public func stepRaw(_ raw: UnsafeBufferPointer<Float>) throws(RecurError) -> FrameResult? {
        if preprocessor == nil { return try step(raw) }
        let rawSize = configuration.rawInputSize
        if raw.count != rawSize { throw .wrongInputSize(expected: rawSize, found: raw.count) }
        preprocessor!.process(raw: raw.baseAddress!, into: preprocessed.floats)
        return try step(UnsafeBufferPointer(start: preprocessed.floats, count: configuration.inputSize))
    }

    /// `stepRaw` over an array (no copy).
    public func stepRaw(_ raw: [Float]) throws(RecurError) -> FrameResult? {
        try raw.withUnsafeBufferPointer { (buffer) throws(RecurError) -> FrameResult? in try stepRaw(buffer) }
    }

    /// Segment models (`FrameConfiguration.segments`): the result for the frames stepped since
    /// the last `endSegment` (or `reset`), then the next segment starts from a zero state (and
    /// a restarted preprocessor). `sampleIndex` is the segment's last frame, counted since the
    /// session began or was reset. Nil when no frame was stepped since the last segment ended.
    ///
    /// The outputs stay valid until the next `step` or `reset`.
    ///
    /// - Throws: `wrongTask` for a model that is not a segment model.
    public func endSegment() throws(RecurError) -> FrameResult? {
        if !segments { throw .wrongTask(expected: "a segment model (recur.segments)", found: model.task.rawValue) }
        if stepCount == segmentStart { return nil }
        let finished = try result(state: 0, sampleIndex: stepCount - 1)
        stack.reset()
        preprocessor?.reset()
        segmentStart = stepCount
        return finished
    }

    /// Runs the head on window state `state` of the stack's last layer.
    private func result(state: Int, sampleIndex: Int) throws(RecurError) -> FrameResult {
        try head.run(stack.output(lane: state), inputStride: 0, lanes: 1)
        let outputs = UnsafeBufferPointer(start: UnsafePointer(head.output(lane: 0)), count: head.outputWidth)
        let label = labelsResults ? TokenSampler.argmax(outputs.baseAddress!, count: outputs.count) : nil
        return FrameResult(sampleIndex: sampleIndex, label: label, outputs: outputs)
    }
}
