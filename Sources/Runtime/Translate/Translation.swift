/// One decoded target sequence: the output of `Translator.greedy`, `sample` or `beam`.
public struct Translation: Sendable, Equatable {
    /// Target token ids, without BOS and without the EOS that ended it.
    public let tokens: [Int32]
    /// True when the decoder produced EOS; false when it stopped at
    /// `recur.target.max_length` tokens.
    public let finished: Bool
    /// ln P(tokens, EOS | source): Σ_t ln p_t(y_t), summed in Float in step order
    /// (the EOS step included when `finished`).
    public let logProbability: Float
    /// The length-normalized score `logProbability / length^alpha`, where `length`
    /// counts the EOS when `finished` (alpha 1 for greedy and sampled output).
    public let score: Float

    /// The length the score divides by: the tokens, plus one for the EOS when finished.
    public var scoredLength: Int { tokens.count + (finished ? 1 : 0) }

    public init(tokens: [Int32], finished: Bool, logProbability: Float, score: Float) {
        self.tokens = tokens
        self.finished = finished
        self.logProbability = logProbability
        self.score = score
    }
}
