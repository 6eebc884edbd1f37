/// What a seq2seq model's file says (docs/FORMAT.md, "Seq2seq models"): the two
/// vocabularies and tokenizers, the special target tokens, the length limits, the
/// encoder and decoder stacks and the attention.
///
/// `Model.seq2seq` is non-nil exactly when `Model.task` is `.seq2seq`; a
/// `Translator` (`Model.makeTranslator`) runs it. Everything here was checked when
/// the model loaded.
public struct Seq2SeqConfiguration: Sendable, Equatable {
    /// How the decoder's state looks at the encoder memory (`recur.attention.type`).
    public enum Attention: String, Sendable, Equatable {
        /// Luong dot: `e_j = h_t · s_j` (needs H_d == E).
        case dot
        /// Luong general: `e_j = h_t · (W s_j)`.
        case general
        /// Bahdanau additive: `e_j = vᵀ tanh(W_k s_j + W_q h_t + b)`.
        case additive
    }

    /// How the decoder's recurrent state starts (`recur.attention.bridge`).
    public enum Bridge: String, Sendable, Equatable {
        /// From zeros.
        case zero
        /// Decoder recurrent layer k from the final state of encoder recurrent layer k.
        case copy
    }

    /// `recur.vocab`: source token id → text (empty for an image-to-text model).
    public let sourceVocabulary: [String]
    /// `recur.tokenizer` (nil for an image-to-text model).
    public let sourceTokenizer: Tokenizer.Kind?
    /// `recur.token.unk`: what source text outside the vocabulary becomes (0 for an image-to-text model).
    public let sourceUnknown: Int
    /// `recur.target.vocab`: target token id → text.
    public let targetVocabulary: [String]
    /// `recur.target.tokenizer`: how target tokens are joined into text.
    public let targetTokenizer: Tokenizer.Kind
    /// `recur.target.token.bos`: fed to the decoder first.
    public let targetBegin: Int
    /// `recur.target.token.eos`: ends a hypothesis.
    public let targetEnd: Int
    /// `recur.target.token.unk`.
    public let targetUnknown: Int
    /// `recur.text.lowercase`: input lines are lowercased before tokenizing.
    public let lowercase: Bool
    /// `recur.source.max_length`: most source tokens per line (the encoder memory's rows);
    /// for an image-to-text model the memory's fixed rows (the encoder's output positions).
    public let sourceMaxLength: Int
    /// `recur.target.max_length`: most target tokens generated per line (EOS not counted).
    public let targetMaxLength: Int
    /// `recur.dec.*`: embedding, recurrent layers, the dense softmax output.
    /// (The encoder's layers are `Model.layers`.)
    public let decoderLayers: [Layer]
    public let attention: Attention
    /// A, the width of the additive score layer (`recur.attention.size`); 0 otherwise.
    public let attentionSize: Int
    /// `recur.attention.input_feeding`: h̃_{t-1} joins the decoder's input.
    public let inputFeeding: Bool
    public let bridge: Bridge
    /// E: the width of one encoder memory row (the top encoder layer's output, ×2 when bidirectional).
    public let encoderWidth: Int
    /// H_d: the top decoder recurrent layer's hidden size.
    public let decoderHidden: Int
    /// C: the width of the attentional state h̃ (`att.combine.weight` rows).
    public let combineSize: Int
    /// How `att.*` weights are stored (`att.combine.weight`'s type).
    public let attentionWeightType: WeightType
    /// Weights and biases of the `att.*` tensors.
    public let attentionParameterCount: Int

    /// Weights and biases of the decoder and the attention (the encoder's are in `Model.layers`).
    public var decoderParameterCount: Int {
        var total = attentionParameterCount
        for layer in decoderLayers { total += layer.parameterCount }
        return total
    }
}
