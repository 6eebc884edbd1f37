/// What a language model's file says (docs/FORMAT.md): its vocabulary, its tokenizer and its
/// special tokens.
///
/// `Model.language` is non-nil exactly when `Model.task` is `.lm`; a `LanguageSession`
/// (`Model.makeLanguageSession`) runs it. Everything here was checked when the model loaded.
public struct LanguageConfiguration: Sendable {
    /// Text ↔ token ids (`recur.tokenizer` over `recur.vocab`): `tokenizer.vocabulary` is the
    /// vocabulary, id → text.
    public let tokenizer: Tokenizer
    /// Special tokens (`recur.token.*`), when the file names them.
    public let unknownToken: Int?
    public let beginToken: Int?
    public let endToken: Int?
    public let padToken: Int?

    /// `recur.vocab`: token id → text.
    public var vocabulary: [String] { tokenizer.vocabulary }
}
