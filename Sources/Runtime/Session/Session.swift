import CRuntime

/// The running state of one stream through a model: everything mutable lives here.
///
/// All state and scratch memory is allocated by `Model.makeSession`; `step`,
/// `stepRaw` and `feed` allocate nothing and check nothing but the input size. A
/// session is used from one thread at a time; make one session per stream.
///
/// `step` takes the network's input frame; `stepRaw` takes a raw frame (a stdin
/// line) and first runs the model's stream preprocessor on it, when it has one.
///
/// Frame tasks (classifier, regressor) keep `ceil(window / hop)` staggered window
/// states and advance them together with the C core's multi-vector steps (the
/// first layer's input shared, `x_stride` 0). State `k mod n` is zeroed when
/// window `k` starts at frame `k·hop`; when window `k` ends at frame
/// `k·hop + window - 1` its state has seen exactly that window's frames, so the
/// result equals classifying the window alone. The head (the dense layers after
/// the last recurrent layer) runs once per result, on that state only.
///
/// An lm session is one stream of tokens: `feed` a token, then read `logits`,
/// `probabilities(temperature:)`, `greedy()` or `sample(...)`.
public final class Session {
    public let model: Model
    /// Frames per window (0: one continuous stream).
    public let window: Int
    /// Frames between window starts (between results for a continuous stream).
    public let hop: Int
    /// The kernel path this session computes with.
    public let kernels: KernelPath
    /// Frames stepped (or tokens fed) since the session began or was reset.
    public private(set) var stepCount = 0

    /// Staggered window states advanced together: `ceil(window / hop)`, or 1.
    private let stateCount: Int
    /// The layers before the head (after the embedding of an lm), one lane per window
    /// state; the head (the dense layers after the last recurrent layer), one lane.
    private let stack: LayerStack
    private let head: LayerStack
    /// The normalized frame (inputSize) or the embedded token (embedding width).
    private let input: AlignedBuffer
    /// 1 / nothing: the model's mean and std as aligned copies (inputSize each).
    private let mean: AlignedBuffer
    private let std: AlignedBuffer
    private let normalizes: Bool
    /// The running copy of the model's preprocessor (its filter state is this stream's).
    private var preprocessor: StreamPreprocessor?
    /// The preprocessed frame (model.inputSize floats) that `stepRaw` hands to `step`.
    private let preprocessed: AlignedBuffer
    /// lm: candidate probabilities (vocabulary floats) and their token ids.
    private let candidates: AlignedBuffer
    private let candidateIDs: UnsafeMutablePointer<Int32>

    init(model: Model, window: Int, hop: Int, kernels: KernelPath) throws(RecurError) {
        self.model = model
        self.window = window
        self.hop = hop
        self.kernels = kernels
        let table = try kernels.table()
        stateCount = Windowing.states(window: window, hop: hop)
        let first = model.task == .lm ? 1 : 0
        stack = LayerStack(Array(model.computes[first..<model.headStart]), lanes: stateCount, table: table)
        head = LayerStack(Array(model.computes[model.headStart...]), lanes: 1, table: table)

        var inputWidth = model.inputSize
        if case .embedding(let embedding) = model.computes[0] { inputWidth = embedding.columns }
        input = AlignedBuffer(floats: inputWidth)
        normalizes = !model.inputMean.isEmpty
        mean = AlignedBuffer(floats: model.inputMean.count)
        std = AlignedBuffer(floats: model.inputStd.count)
        for i in 0..<model.inputMean.count {
            mean.floats[i] = model.inputMean[i]
            std.floats[i] = model.inputStd[i]
        }
        preprocessor = model.preprocessor
        preprocessed = AlignedBuffer(floats: model.preprocessor == nil ? 0 : model.inputSize)
        let vocabulary = model.task == .lm ? model.outputSize : 1
        candidates = AlignedBuffer(floats: vocabulary)
        candidateIDs = UnsafeMutablePointer<Int32>.allocate(capacity: vocabulary)
        candidateIDs.initialize(repeating: 0, count: vocabulary)
    }

    deinit {
        candidateIDs.deallocate()
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

    /// Frames stepped before the current segment (segment models).
    private var segmentStart = 0

    /// Segment models (`Model.segments`): the result for the frames stepped since the last
    /// `endSegment` (or `reset`), then the next segment starts from a zero state (and a
    /// restarted preprocessor). `sampleIndex` is the segment's last frame, counted since the
    /// session began or was reset. Nil when no frame was stepped since the last segment ended.
    ///
    /// The outputs stay valid until the next `step` or `reset`.
    ///
    /// - Throws: `wrongTask` for a model that is not a segment model.
    public func endSegment() throws(RecurError) -> FrameResult? {
        if !model.segments { throw .wrongTask(expected: "a segment model (recur.segments)", found: model.task.rawValue) }
        if stepCount == segmentStart { return nil }
        let outputs = try runHead(state: 0)
        var label: Int? = nil
        if model.task == .classifier { label = Session.argmax(outputs) }
        let result = FrameResult(sampleIndex: stepCount - 1, label: label, outputs: outputs)
        stack.reset()
        preprocessor?.reset()
        segmentStart = stepCount
        return result
    }

    // MARK: Frame tasks

    /// Feeds one frame (raw values; the session normalizes them).
    ///
    /// - Returns: the result when this frame completes a window (or a hop of a
    ///   continuous stream), nil otherwise.
    /// - Throws: `wrongInputSize` when `frame.count` is not the model's input size,
    ///   `wrongTask` for an lm.
    public func step(_ frame: UnsafeBufferPointer<Float>) throws(RecurError) -> FrameResult? {
        if model.task == .lm { throw .wrongTask(expected: "classifier or regressor", found: "lm") }
        if frame.count != model.inputSize { throw .wrongInputSize(expected: model.inputSize, found: frame.count) }
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
        try stack.run(input.floats, inputStride: 0, lanes: stateCount)
        stepCount = t + 1

        let completedState: Int
        if model.segments {
            return nil
        } else if window > 0 {
            let sinceFirstEnd = t - (window - 1)
            if sinceFirstEnd < 0 || sinceFirstEnd % hop != 0 { return nil }
            completedState = (sinceFirstEnd / hop) % stateCount
        } else {
            if (t + 1) % hop != 0 { return nil }
            completedState = 0
        }
        let outputs = try runHead(state: completedState)
        var label: Int? = nil
        if model.task == .classifier { label = Session.argmax(outputs) }
        return FrameResult(sampleIndex: t, label: label, outputs: outputs)
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
    /// - Throws: `wrongInputSize` when `raw.count` is not `model.rawInputSize`,
    ///   and what `step` throws.
    public func stepRaw(_ raw: UnsafeBufferPointer<Float>) throws(RecurError) -> FrameResult? {
        if preprocessor == nil { return try step(raw) }
        if model.task == .lm { throw .wrongTask(expected: "classifier or regressor", found: "lm") }
        if raw.count != model.rawInputSize { throw .wrongInputSize(expected: model.rawInputSize, found: raw.count) }
        preprocessor!.process(raw: raw.baseAddress!, into: preprocessed.floats)
        return try step(UnsafeBufferPointer(start: preprocessed.floats, count: model.inputSize))
    }

    /// `stepRaw` over an array (no copy).
    public func stepRaw(_ raw: [Float]) throws(RecurError) -> FrameResult? {
        try raw.withUnsafeBufferPointer { (buffer) throws(RecurError) -> FrameResult? in try stepRaw(buffer) }
    }

    // MARK: Language models

    /// Feeds one token; afterwards `logits` and `probabilities` describe the next token.
    ///
    /// - Throws: `tokenOutOfRange` for an id outside the vocabulary, `wrongTask`
    ///   for a frame model.
    public func feed(_ token: Int) throws(RecurError) {
        guard model.task == .lm, case .embedding(let embedding) = model.computes[0] else {
            throw .wrongTask(expected: "lm", found: model.task.rawValue)
        }
        if token < 0 || token >= embedding.rows {
            throw .tokenOutOfRange(token: token, vocabularySize: embedding.rows)
        }
        embedding.lookup(token, into: input.floats)
        try stack.run(input.floats, inputStride: 0, lanes: 1)
        try head.run(stack.output(lane: 0), inputStride: 0, lanes: 1)
        stepCount += 1
    }

    /// The logits for the next token (lm), valid until the next `feed` or `reset`.
    public var logits: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: head.output(lane: 0), count: model.outputSize)
    }

    /// The next-token distribution: `softmax(logits / temperature)`, computed into
    /// the session's memory (valid until the next call that uses it).
    ///
    /// Temperature 1 gives the model's own distribution (what self-tests record).
    /// A temperature ≤ 0 (or NaN) gives the limit as it falls to 0: probability 1
    /// on the greedy token, 0 elsewhere.
    public func probabilities(temperature: Float = 1) -> UnsafeBufferPointer<Float> {
        let count = model.outputSize
        let source = logits
        let out = candidates.floats
        if temperature > 0 {
            // p_i = exp(l_i / T - max) / Σ_j exp(l_j / T - max)
            for i in 0..<count { out[i] = source[i] / temperature }
            rc_softmax(out, count)
        } else {
            let best = greedy()
            for i in 0..<count { out[i] = i == best ? 1 : 0 }
        }
        return UnsafeBufferPointer(start: out, count: count)
    }

    /// A token that `greedy()` and `sample(...)` never return (nil: none), unless it is the
    /// vocabulary's only token. recur-run sets it to the model's unknown token when it
    /// generates, so that generated text never contains `<unk>`; probabilities and scores are
    /// not affected.
    public var excludedToken: Int? = nil

    /// The most probable next token other than `excludedToken` (lowest id on ties).
    public func greedy() -> Int {
        TokenSampler.argmax(logits.baseAddress!, count: model.outputSize, excluding: excluded)
    }

    /// `excludedToken` as the sampler takes it: -1 when nothing is excluded or the
    /// vocabulary has a single token.
    private var excluded: Int { model.outputSize > 1 ? excludedToken ?? -1 : -1 }

    /// Draws the next token from `softmax(logits / temperature)` restricted to the
    /// `topK` most probable tokens (all tokens when `topK` ≤ 0 or ≥ the vocabulary).
    ///
    /// Deterministic for a given generator state on every machine: the candidates
    /// are every token in id order, or with top-k the k largest logits in
    /// descending order (lower id first on ties); one uniform draw `u` in [0, 1)
    /// picks the first candidate whose cumulative probability exceeds `u`.
    /// `temperature` ≤ 0 means greedy (no draw). With `topK` 1 the only candidate
    /// is the greedy token. `excludedToken` is never a candidate. Allocates nothing.
    public func sample(temperature: Float, topK: Int, using generator: inout RecurRandom) -> Int {
        if !(temperature > 0) { return greedy() }
        return TokenSampler.sample(
            logits.baseAddress!, count: model.outputSize, temperature: temperature, topK: topK,
            excluding: excluded,
            ids: candidateIDs, probabilities: candidates.floats, using: &generator)
    }

    // MARK: Running the head

    /// Runs the head on window state `state` of the stack's last layer.
    private func runHead(state: Int) throws(RecurError) -> UnsafeBufferPointer<Float> {
        try head.run(stack.output(lane: state), inputStride: 0, lanes: 1)
        return UnsafeBufferPointer(start: head.output(lane: 0), count: head.outputWidth)
    }

    /// Index of the largest value (the first one on ties; NaN never wins).
    static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        TokenSampler.argmax(values.baseAddress!, count: values.count)
    }
}
