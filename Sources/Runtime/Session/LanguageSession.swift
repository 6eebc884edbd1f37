import CRuntime

/// One stream of tokens through a language model: `feed` a token, then read `logits`,
/// `probabilities(temperature:)`, `greedy()` or `sample(...)`.
///
/// All memory is allocated by `Model.makeLanguageSession`, which is also where the task is
/// checked (once); `feed`, `logits`, `probabilities`, `greedy`, `sample` and `reset` allocate
/// nothing and check nothing but the token id. A session is used from one thread at a time.
///
/// A step looks the token up in the embedding and runs the layers after it (a `LayerStack`
/// of one lane); the last layer's outputs are the next token's logits.
public final class LanguageSession {
    public let model: Model
    /// The vocabulary, tokenizer and special tokens.
    public let configuration: LanguageConfiguration
    /// The kernel path this session computes with.
    public let kernels: KernelPath
    /// Tokens fed since the session began or was reset.
    public private(set) var stepCount = 0
    /// Tokens in the vocabulary: logits per step.
    public let vocabularySize: Int

    /// The model's embedding (layer 0).
    private let embedding: EmbeddingTable
    /// The layers after the embedding, one lane.
    private let stack: LayerStack
    /// The embedded token (embedding width).
    private let input: AlignedBuffer
    /// Sampling scratch: candidate probabilities (vocabulary floats) and their token ids.
    private let candidates: AlignedBuffer
    private let candidateIDs: UnsafeMutablePointer<Int32>

    init(model: Model, configuration: LanguageConfiguration, embedding: EmbeddingTable, kernels: KernelPath) throws(RecurError) {
        self.model = model
        self.configuration = configuration
        self.kernels = kernels
        self.embedding = embedding
        let table = try kernels.table()
        stack = LayerStack(Array(model.computes[1...]), lanes: 1, table: table)
        vocabularySize = stack.outputWidth
        input = AlignedBuffer(floats: embedding.columns)
        candidates = AlignedBuffer(floats: vocabularySize)
        candidateIDs = UnsafeMutablePointer<Int32>.allocate(capacity: vocabularySize)
        candidateIDs.initialize(repeating: 0, count: vocabularySize)
    }

    deinit {
        candidateIDs.deallocate()
    }

    /// Back to the state of a new session: every state zero, `stepCount` 0.
    public func reset() {
        stack.reset()
        stepCount = 0
    }

    /// Feeds one token; afterwards `logits` and `probabilities` describe the next token.
    ///
    /// - Throws: `tokenOutOfRange` for an id outside the vocabulary.
    public func feed(_ token: Int) throws(RecurError) {
        if token < 0 || token >= embedding.rows {
            throw .tokenOutOfRange(token: token, vocabularySize: embedding.rows)
        }
        embedding.lookup(token, into: input.floats)
        try stack.run(input.floats, inputStride: 0, lanes: 1)
        stepCount += 1
    }

    /// The logits for the next token, valid until the next `feed` or `reset`.
    public var logits: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: stack.output(lane: 0), count: vocabularySize)
    }

    /// The next-token distribution: `softmax(logits / temperature)`, computed into
    /// the session's memory (valid until the next call that uses it).
    ///
    /// Temperature 1 gives the model's own distribution (what self-tests record).
    /// A temperature ≤ 0 (or NaN) gives the limit as it falls to 0: probability 1
    /// on the greedy token, 0 elsewhere.
    public func probabilities(temperature: Float = 1) -> UnsafeBufferPointer<Float> {
        let count = vocabularySize
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
        TokenSampler.argmax(logits.baseAddress!, count: vocabularySize, excluding: excluded)
    }

    /// `excludedToken` as the sampler takes it: -1 when nothing is excluded or the
    /// vocabulary has a single token.
    private var excluded: Int { vocabularySize > 1 ? excludedToken ?? -1 : -1 }

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
            logits.baseAddress!, count: vocabularySize, temperature: temperature, topK: topK,
            excluding: excluded,
            ids: candidateIDs, probabilities: candidates.floats, using: &generator)
    }
}
