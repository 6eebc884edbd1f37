/// A source line as token ids (`Translator.tokenize`).
public struct SourceTokens: Sendable, Equatable {
    /// Source token ids; unknown text became `recur.token.unk`.
    public var ids: [Int32]
    /// How many tokens the source vocabulary lacked (now the unknown token).
    public var unknownCount: Int
    /// The line's token count before `truncate` cut it to `recur.source.max_length`;
    /// nil when nothing was cut.
    public var truncatedFrom: Int?

    public init(ids: [Int32], unknownCount: Int, truncatedFrom: Int? = nil) {
        self.ids = ids
        self.unknownCount = unknownCount
        self.truncatedFrom = truncatedFrom
    }
}
