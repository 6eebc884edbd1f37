/// What a `TextClassifier` says about one line: the label and every label's probability.
public struct TextResult {
    /// The most probable label (the lowest id on ties); its name is `Model.labels[label]`.
    public let label: Int
    /// Its probability, `probabilities[label]`.
    public let probability: Float
    /// One probability per label (the last dense layer's softmax), in the classifier's memory.
    public let probabilities: TextProbabilities
    /// The tokens classified (after truncation).
    public let tokenCount: Int
    /// How many of the line's tokens the vocabulary lacks (they became the unknown token);
    /// 0 when classifying ids.
    public let unknownCount: Int
    /// The line's token count before `truncate` cut it to `recur.text.max_length`; nil when
    /// nothing was cut.
    public let truncatedFrom: Int?
}

/// The label probabilities of a `TextResult`: a view of the classifier's memory (no copy),
/// valid until that classifier's next `classify`; `Array(result.probabilities)` keeps them.
///
/// The view holds its classifier, so the values stay readable even when nothing else does
/// (`Array(try model.makeTextClassifier().classify(ids: ids).probabilities)` is safe).
public struct TextProbabilities: RandomAccessCollection {
    /// The classifier whose memory `base` points into.
    let owner: TextClassifier
    let base: UnsafePointer<Float>
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Float {
        precondition(position >= 0 && position < count, "label probability index out of range")
        return base[position]
    }
}
