import CRuntime

/// A model read from a `.rnnz` file: immutable, validated once, shared by sessions.
///
/// Everything a session needs is checked when the model loads (keys, tensor
/// types and shapes, layer chaining, the C core's own validation), so stepping
/// never fails on the model. The weights stay in the decompressed file's storage
/// (F16 weights are converted to F32 copies owned here); the C structs point into
/// that memory, which lives as long as the model.
///
/// ```swift
/// let model = try Model(contentsOf: "har.rnnz")
/// let session = try model.makeFrameSession()
/// if let result = try session.step(frame) { print(result.sampleIndex, model.labels[result.label]) }
/// ```
public final class Model: @unchecked Sendable {
    // @unchecked: every stored property is immutable after init; the pointers inside
    // `computes` point into `file.storage` and `ownedWeights`, which are never written.

    // MARK: What the file says

    public let task: ModelTask
    /// `general.name`, empty when absent.
    public let name: String
    /// The layers in stack order.
    public let layers: [Layer]
    /// Features per frame the network reads (frame tasks: `recur.input.size`, after
    /// any preprocessing); the vocabulary size for lm. `FrameSession.step` takes this many.
    public let inputSize: Int
    /// The stream computation the file asks for on every raw frame (`recur.preprocess`,
    /// docs/HAR.md), validated at load; nil when the network reads raw frames. A session
    /// keeps its own running copy (`FrameSession.stepRaw`).
    public let preprocessor: StreamPreprocessor?
    /// Values per raw frame: what a stdin line carries and `FrameSession.stepRaw` takes.
    /// The preprocessor's input size, or `inputSize` without one.
    public let rawInputSize: Int
    /// Names of the raw frame's values (`recur.preprocess.input_names`, else
    /// `recur.input.names`); empty when the file has none.
    public let rawInputNames: [String]
    /// Values per result: labels (classifier), outputs (regressor), vocabulary (lm).
    public let outputSize: Int
    /// `recur.input.names`, empty when absent.
    public let inputNames: [String]
    /// `recur.input.mean` / `.std` (frame tasks): the session feeds `(x - mean) / std`.
    /// Empty when the file has none (no normalization).
    public let inputMean: [Float]
    public let inputStd: [Float]
    /// Default windowing (frame tasks): `window` 0 is one continuous stream with a
    /// result every `hop` frames.
    public let window: Int
    public let hop: Int
    /// `recur.segments` (frame tasks): the model classifies whole variable-length segments. A
    /// session then gives no result per frame; `FrameSession.endSegment()` gives the segment's
    /// result and starts the next segment from a zero state (recur-run: a blank line).
    public let segments: Bool
    /// `recur.labels` (classifier).
    public let labels: [String]
    /// `recur.vocab` (lm): token id → text.
    public let vocabulary: [String]
    /// Tokenizer for lm text (`recur.tokenizer`, default `char`).
    public let tokenizer: Tokenizer?
    /// Special tokens (`recur.token.*`), when the file names them.
    public let unknownToken: Int?
    public let beginToken: Int?
    public let endToken: Int?
    public let padToken: Int?
    /// `recur.sample_rate_hz`, when present.
    public let sampleRate: Float?
    /// The embedded self-test cases (`recur.selftest.count`).
    public let selfTests: [SelfTestCase]
    /// seq2seq: the vocabularies, limits, decoder and attention (nil for other tasks).
    /// `layers`, `vocabulary` and `tokenizer` then describe the encoder's side.
    public let seq2seq: Seq2SeqConfiguration?

    /// Weights and biases over all layers.
    public var parameterCount: Int {
        var total = 0
        for layer in layers { total += layer.parameterCount }
        return total + (seq2seq?.decoderParameterCount ?? 0)
    }

    // MARK: What the sessions compute with

    /// One entry per layer, pointing into `file`'s storage or `ownedWeights`.
    let computes: [LayerCompute]
    /// Index of the first layer of the head: the dense layers after the last
    /// recurrent layer, applied once per result rather than per window state.
    let headStart: Int
    /// Keeps the decompressed bytes (and so every tensor pointer) alive.
    let file: GGUFFile
    /// F32 copies of F16 weights.
    let ownedWeights: [AlignedBuffer]
    /// seq2seq: the encoder, decoder and attention for `Translator`.
    let seq2seqCompute: Seq2SeqCompute?

    init(
        parts: ModelParts, file: GGUFFile
    ) {
        task = parts.task
        name = parts.name
        layers = parts.layers
        inputSize = parts.inputSize
        preprocessor = parts.preprocessor
        rawInputSize = parts.preprocessor?.inputSize ?? parts.inputSize
        rawInputNames = parts.preprocessor == nil ? parts.inputNames : parts.rawInputNames
        outputSize = parts.outputSize
        inputNames = parts.inputNames
        inputMean = parts.inputMean
        inputStd = parts.inputStd
        window = parts.window
        hop = parts.hop
        segments = parts.segments
        labels = parts.labels
        vocabulary = parts.vocabulary
        tokenizer = parts.tokenizer
        unknownToken = parts.unknownToken
        beginToken = parts.beginToken
        endToken = parts.endToken
        padToken = parts.padToken
        sampleRate = parts.sampleRate
        selfTests = parts.selfTests
        seq2seq = parts.seq2seq
        seq2seqCompute = parts.seq2seqCompute
        computes = parts.computes
        headStart = parts.headStart
        ownedWeights = parts.ownedWeights
        self.file = file
    }
}

/// Everything `Model.init(file:)` gathers before the model exists.
struct ModelParts {
    var task: ModelTask = .classifier
    var name = ""
    var layers: [Layer] = []
    var computes: [LayerCompute] = []
    var headStart = 0
    var inputSize = 0
    var outputSize = 0
    var inputNames: [String] = []
    var preprocessor: StreamPreprocessor?
    var rawInputNames: [String] = []
    var inputMean: [Float] = []
    var inputStd: [Float] = []
    var window = 0
    var hop = 1
    var segments = false
    var labels: [String] = []
    var vocabulary: [String] = []
    var tokenizer: Tokenizer?
    var unknownToken: Int?
    var beginToken: Int?
    var endToken: Int?
    var padToken: Int?
    var sampleRate: Float?
    var selfTests: [SelfTestCase] = []
    var seq2seq: Seq2SeqConfiguration?
    var seq2seqCompute: Seq2SeqCompute?
    var ownedWeights: [AlignedBuffer] = []
}
