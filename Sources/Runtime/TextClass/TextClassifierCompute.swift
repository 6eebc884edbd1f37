import CRuntime

/// A text classifier ready for the C core: structs whose pointers point into the Model's
/// storage, built and validated by the loader, read by `TextClassifier`.
struct TextClassifierCompute {
    /// `enc.0.weight`: vocabulary × D.
    let embedding: EmbeddingTable
    /// The recurrent layers in stack order, each with its backward direction when bidirectional
    /// (the seq2seq encoder's layer type: the same loading and the same per-direction loop).
    let encoder: [Seq2SeqCompute.EncoderLayer]
    /// The dense layers after the pooling; the last one's softmax gives the label probabilities.
    let head: [rc_dense]
    /// Line → ids (the file's tokenizer and unknown id).
    let tokenizer: Tokenizer
}
