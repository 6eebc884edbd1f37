/// What a text classifier's file says (docs/FORMAT.md, "Text classifier models"): the
/// vocabulary and tokenizer, the length limit, the pooling and the labels.
///
/// `Model.textClassifier` is non-nil exactly when `Model.task` is `.textClassifier`; a
/// `TextClassifier` (`Model.makeTextClassifier`) runs it. The layers are `Model.layers`
/// (embedding, recurrent layers — `Layer.isBidirectional` on those that also run backwards —,
/// dense layers). Everything here was checked when the model loaded.
public struct TextClassifierConfiguration: Sendable, Equatable {
    /// How the top recurrent layer's outputs y_0 … y_{n−1} become one vector (`recur.pool`).
    public enum Pool: String, Sendable, Equatable {
        /// [h_fwd(n−1) ; h_bwd(0)]: each direction's state after the whole line.
        case last
        /// (Σ_j y_j) / n: summed in position order in Float, then one division.
        case mean
        /// The element-wise maximum over the positions.
        case max
    }

    /// `recur.vocab`: token id → text.
    public let vocabulary: [String]
    /// `recur.tokenizer`: `char`, `word` or `char_bigram` (`Tokenizer.encodeLine`).
    public let tokenizer: Tokenizer.Kind
    /// `recur.token.unk`: what text outside the vocabulary becomes.
    public let unknown: Int
    /// `recur.text.lowercase`: lines are lowercased before tokenizing.
    public let lowercase: Bool
    /// `recur.text.max_length`: most tokens per line (1…4096).
    public let maxLength: Int
    /// `recur.pool`.
    public let pool: Pool
    /// `recur.labels`: class names, index = class id (at least 2).
    public let labels: [String]
    /// E: the width of the top recurrent layer's output per position (2H when bidirectional),
    /// the first dense layer's input.
    public let encoderWidth: Int
}
