import CRuntime

/// Classifies lines of text with a text classifier model (docs/FORMAT.md, "Text classifier
/// models"): one label distribution per line.
///
/// All memory is allocated by `Model.makeTextClassifier`, sized by `recur.text.max_length`:
/// the token ids, a `SequenceEncoder` (the embedded line, two layer outputs, a one-lane
/// `LayerStack` per layer direction), the pooled vector, and the head (the dense layers, a
/// one-lane `LayerStack`). `classify(ids:)` allocates
/// nothing; `classify(_ line:)` allocates only what tokenizing a `String` needs (nothing for
/// `char` and `char_bigram`, whose ids go into the reused buffer; the word list for `word`).
/// A classifier is used from one thread at a time.
///
/// The computation: the ids are embedded; each recurrent layer runs forward over positions
/// 0 … n−1 from a zero state and, when bidirectional, its reverse weights over n−1 … 0 from a
/// zero state, its output at j being [h_fwd(j) ; h_bwd(j)] (exactly the seq2seq encoder);
/// the top layer's outputs y_0 … y_{n−1} (width E) are pooled —
///
///     last:  [h_fwd(n−1) ; h_bwd(0)]
///     mean:  (Σ_j y_j) / n     summed in position order in Float, then one division by Float(n)
///     max:   max_j y_j         element by element (y replaces the maximum only when greater)
///
/// — and the dense layers run on the pooled vector; the last one's softmax gives p.
///
/// ```swift
/// let classifier = try model.makeTextClassifier()
/// let result = try classifier.classify("国足 2:0 胜泰国")
/// print(classifier.configuration.labels[result.label], result.probability)
/// ```
public final class TextClassifier {
    public let model: Model
    public let configuration: TextClassifierConfiguration
    /// The kernel path it computes with.
    public let kernels: KernelPath

    let compute: TextClassifierCompute

    /// The ids of the line tokenized last; capacity `recur.text.max_length`, reused.
    private var ids: [Int32]
    /// The embedding and the recurrent layers over the whole line.
    private let encoder: SequenceEncoder
    /// (E): the pooled vector, the head's input.
    private let pooled: AlignedBuffer
    /// The dense layers after the pooling, one lane; the last one's outputs are the probabilities.
    private let head: LayerStack

    init(model: Model, kernels: KernelPath) throws(RecurError) {
        guard let configuration = model.textClassifier, let compute = model.textClassifierCompute else {
            throw .wrongTask(expected: "text_classifier", found: model.task.rawValue)
        }
        self.model = model
        self.configuration = configuration
        self.kernels = kernels
        self.compute = compute
        let table = try kernels.table()
        ids = []
        ids.reserveCapacity(configuration.maxLength)
        encoder = SequenceEncoder(
            embedding: compute.embedding, layers: compute.encoder, maxLength: configuration.maxLength, table: table)
        pooled = AlignedBuffer(floats: configuration.encoderWidth)
        var layers: [LayerCompute] = []
        for dense in compute.head { layers.append(.dense(dense)) }
        head = LayerStack(layers, lanes: 1, table: table)
    }

    // MARK: Lines

    /// Tokenizes `line` by the model's tokenizer (`Tokenizer.encodeLine`: leading and trailing
    /// whitespace dropped, lowercased first when `recur.text.lowercase`) and classifies it.
    ///
    /// - Parameter truncate: keep the first `recur.text.max_length` tokens of a longer line
    ///   (`TextResult.truncatedFrom` says so) instead of refusing it.
    /// - Throws: `emptyInput` for a line without tokens, `inputTooLong` for more tokens than
    ///   `recur.text.max_length` (without `truncate`), `noKnownToken` when every token
    ///   (classified) is the unknown token.
    public func classify(_ line: String, truncate: Bool = false) throws(RecurError) -> TextResult {
        let limit = configuration.maxLength
        ids.removeAll(keepingCapacity: true)
        let (count, unknown) = compute.tokenizer.encodeLine(
            line, lowercase: configuration.lowercase, into: &ids, limit: limit)
        if count == 0 { throw .emptyInput }
        if count > limit && !truncate { throw .inputTooLong(tokens: count, limit: limit) }
        let unknownID = Int32(configuration.unknown)
        if !ids.contains(where: { $0 != unknownID }) { throw .noKnownToken(tokens: ids.count) }
        let result = try ids.withUnsafeBufferPointer { (kept) throws(RecurError) -> TextResult in
            try classify(ids: kept)
        }
        return TextResult(
            label: result.label, probability: result.probability, probabilities: result.probabilities,
            tokenCount: ids.count, unknownCount: unknown, truncatedFrom: count > ids.count ? count : nil)
    }

    // MARK: Token ids

    /// Classifies a line given as token ids (what a self-test stores; a line of unknown tokens
    /// is classified too). Allocates nothing.
    ///
    /// - Throws: `emptyInput` for no ids, `inputTooLong` for more than `recur.text.max_length`,
    ///   `tokenOutOfRange` for an id outside the vocabulary.
    public func classify(ids line: UnsafeBufferPointer<Int32>) throws(RecurError) -> TextResult {
        try encoder.encode(line)
        pool(encoder.memory, count: encoder.length)
        try head.run(pooled.floats, inputStride: 0, lanes: 1)
        let x = UnsafePointer(head.output(lane: 0))
        let size = head.outputWidth
        let n = encoder.length
        let label = TokenSampler.argmax(x, count: size)
        return TextResult(
            label: label, probability: x[label], probabilities: TextProbabilities(owner: self, base: x, count: size),
            tokenCount: n, unknownCount: 0, truncatedFrom: nil)
    }

    /// `classify(ids:)` over an array (no copy).
    public func classify(ids line: [Int32]) throws(RecurError) -> TextResult {
        try line.withUnsafeBufferPointer { (buffer) throws(RecurError) -> TextResult in try classify(ids: buffer) }
    }

    /// The top layer's outputs `y` (n rows of E) into `pooled`, by `recur.pool`.
    private func pool(_ y: UnsafePointer<Float>, count n: Int) {
        let width = configuration.encoderWidth
        let out = pooled.floats
        switch configuration.pool {
        case .last:
            // Forward part of y_{n−1}; for a bidirectional top layer, the backward part of y_0.
            out.update(from: y + (n - 1) * width, count: width)
            if let top = compute.encoder.last, top.backward != nil {
                let hidden = Int(top.forward.hidden)
                (out + hidden).update(from: y + hidden, count: width - hidden)
            }
        case .mean:
            out.update(repeating: 0, count: width)
            for j in 0..<n {
                let row = y + j * width
                for i in 0..<width { out[i] += row[i] }
            }
            let divisor = Float(n)
            for i in 0..<width { out[i] /= divisor }
        case .max:
            out.update(from: y, count: width)
            for j in 1..<max(n, 1) {
                let row = y + j * width
                for i in 0..<width where row[i] > out[i] { out[i] = row[i] }
            }
        }
    }
}
