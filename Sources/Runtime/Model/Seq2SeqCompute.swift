import CRuntime

/// A seq2seq model ready for the C core: structs whose pointers point into the
/// Model's storage, built and validated by the loader, read by `Translator`.
struct Seq2SeqCompute {
    /// One encoder recurrent layer: the forward direction and, when bidirectional,
    /// the backward one (the `_reverse` tensors), each `hidden` wide.
    struct EncoderLayer {
        let forward: rc_recurrent
        let backward: rc_recurrent?

        /// The width of this layer's output per position: hidden, or 2·hidden.
        var outputWidth: Int { Int(forward.hidden) * (backward == nil ? 1 : 2) }
    }

    /// What the encoder reads.
    enum Source {
        /// seq2seq: the source embedding (`enc.0.weight`, source vocabulary × D_e), the
        /// recurrent layers `enc.1…` in stack order, and source text → ids (the file's source
        /// tokenizer, lowercasing and unknown id).
        case tokens(embedding: EmbeddingTable, layers: [EncoderLayer], tokenizer: Tokenizer)
        /// image_to_text: the convolution stack over one image.
        case image(ImageCompute)
    }

    let source: Source
    /// The target embedding (`dec.0.weight`): target vocabulary × D_d.
    let targetEmbedding: EmbeddingTable
    /// `dec.1…`: the decoder's recurrent layers (layer 0's input is D_d, or D_d + C with input feeding).
    let decoder: [rc_recurrent]
    /// general: `att.weight`, H_d × E.
    let attentionWeight: rc_matrix?
    /// additive: `att.key.weight` (A × E), `att.query.weight` (A × H_d), `att.bias` (A), `att.v` (A).
    let keyWeight: rc_matrix?
    let queryWeight: rc_matrix?
    let attentionBias: UnsafePointer<Float>?
    /// additive: v as a 1 × A F32 matrix, so the score's sum runs in the C core's fixed order.
    let scoreVector: rc_matrix?
    /// `att.combine.weight` (C × (E + H_d)) and `att.combine.bias` (C).
    let combine: rc_matrix
    let combineBias: UnsafePointer<Float>
    /// The output layer `dec.{last}` as logits (its softmax is applied by the decoder
    /// as a log-softmax): V_t × C and V_t.
    let output: rc_matrix
    let outputBias: UnsafePointer<Float>
    /// Target ids → text (the file's target tokenizer).
    let targetTokenizer: Tokenizer
}
