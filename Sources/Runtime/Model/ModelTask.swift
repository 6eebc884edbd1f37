/// What a model computes, from the file's `recur.task`.
public enum ModelTask: String, Sendable, Equatable {
    /// Frames in, one label distribution per completed window.
    case classifier
    /// Frames in, `recur.output.size` numbers per result.
    case regressor
    /// Tokens in, a next-token distribution after every token.
    case lm
    /// Source tokens in, target tokens out: an encoder–decoder with attention
    /// (`Model.seq2seq`, `Translator`).
    case seq2seq
    /// A line of text in, one label distribution out: embedding, (bi)directional
    /// recurrent layers, pooling, dense layers (`Model.textClassifier`, `TextClassifier`).
    case textClassifier = "text_classifier"
    /// A story in, answers to its questions out: a memory network over the last sentences
    /// (`Model.memory`, `MemorySession`).
    case memoryQA = "memory_qa"
    /// One image in, target tokens out: a convolution encoder and a seq2seq decoder with
    /// attention over its output map (`Model.image`, `Model.seq2seq`, `Translator`).
    case imageToText = "image_to_text"
}
