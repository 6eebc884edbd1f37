/// What a model computes, from the file's `recur.task`.
public enum ModelTask: String, Sendable, Equatable {
    /// Frames in, one label distribution per completed window.
    case classifier
    /// Frames in, `recur.output.size` numbers per result.
    case regressor
    /// Tokens in, a next-token distribution after every token.
    case lm
    /// Encoder–decoder over tokens (not run by this Runtime version).
    case seq2seq
}
