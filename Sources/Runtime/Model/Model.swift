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
/// if let result = try session.step(frame), let label = result.label {
///     print(result.sampleIndex, session.configuration.labels[label])
/// }
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
    /// Frame models (classifier, regressor): the frames, their preparation, the windowing
    /// and the outputs; nil for other tasks.
    public let frames: FrameConfiguration?
    /// Language models: the vocabulary, tokenizer and special tokens; nil for other tasks.
    public let language: LanguageConfiguration?
    /// The embedded self-test cases (`recur.selftest.count`).
    public let selfTests: [SelfTestCase]
    /// seq2seq: the vocabularies, limits, decoder and attention (nil for other tasks).
    /// `layers` then describes the encoder.
    public let seq2seq: Seq2SeqConfiguration?
    /// text classifier: the vocabulary, tokenizer, length limit, pooling and labels (nil for
    /// other tasks). `layers` describes the embedding, recurrent and dense layers.
    public let textClassifier: TextClassifierConfiguration?
    /// memory_qa: the vocabulary, the memory's size and the network's width and hops (nil for
    /// other tasks). `layers` is then empty: the network's tables are `memoryCompute`.
    public let memory: MemoryConfiguration?
    /// image_to_text: the image size, the convolution encoder and the render table (nil for
    /// other tasks). `seq2seq` then describes the target side; `layers` is empty.
    public let image: ImageConfiguration?

    /// Weights and biases over all layers.
    public var parameterCount: Int {
        var total = 0
        for layer in layers { total += layer.parameterCount }
        return total + (seq2seq?.decoderParameterCount ?? 0) + (memory?.parameterCount ?? 0)
            + (image?.parameterCount ?? 0)
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
    /// text classifier: the embedding, recurrent layers and head for `TextClassifier`.
    let textClassifierCompute: TextClassifierCompute?
    /// memory_qa: the word and temporal tables for `MemorySession`.
    let memoryCompute: MemoryCompute?

    init(
        parts: ModelParts, file: GGUFFile
    ) {
        task = parts.task
        name = parts.name
        layers = parts.layers
        frames = parts.frames
        language = parts.language
        selfTests = parts.selfTests
        seq2seq = parts.seq2seq
        seq2seqCompute = parts.seq2seqCompute
        textClassifier = parts.textClassifier
        textClassifierCompute = parts.textClassifierCompute
        memory = parts.memory
        memoryCompute = parts.memoryCompute
        image = parts.image
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
    var frames: FrameConfiguration?
    var language: LanguageConfiguration?
    var selfTests: [SelfTestCase] = []
    var seq2seq: Seq2SeqConfiguration?
    var seq2seqCompute: Seq2SeqCompute?
    var textClassifier: TextClassifierConfiguration?
    var textClassifierCompute: TextClassifierCompute?
    var memory: MemoryConfiguration?
    var memoryCompute: MemoryCompute?
    var image: ImageConfiguration?
    var ownedWeights: [AlignedBuffer] = []
}
