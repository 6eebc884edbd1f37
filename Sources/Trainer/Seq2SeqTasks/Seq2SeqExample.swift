/// One source → target pair of a seq2seq task, as ids, with the target's text tokens for scoring.
public struct Seq2SeqExample: Sendable, Equatable {
    /// Source ids, no BOS/EOS (length ≥ 1).
    public var source: [Int32]
    /// Target ids without BOS and EOS (length ≥ 1); `Seq2SeqBucketing` adds both.
    public var target: [Int32]
    /// The target as word tokens before the vocabulary folded rare ones into `<unk>`: the reference
    /// that exact match and BLEU compare hypotheses with (an `<unk>` output never matches).
    public var reference: [String]

    public init(source: [Int32], target: [Int32], reference: [String]) {
        self.source = source
        self.target = target
        self.reference = reference
    }
}
