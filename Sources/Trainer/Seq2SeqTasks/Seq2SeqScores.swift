/// Held-out scores of one way of decoding: exact match (addition's metric) and corpus BLEU-4
/// (translation's), both on `Seq2SeqData.hypothesisWords` against the examples' references.
public struct Seq2SeqScores: Sendable, Equatable {
    /// In 0…1.
    public var exactMatch: Double
    /// In 0…100.
    public var bleu: Double
    /// The hypotheses as words, in test order (for `--outputs`).
    public var hypotheses: [[String]]

    /// Scores `outputs[i]` (target ids, EOS excluded) against `examples[i].reference`.
    public init(outputs: [[Int32]], examples: [Seq2SeqExample], data: Seq2SeqData) {
        precondition(outputs.count == examples.count, "one output per example")
        self.init(hypotheses: outputs.map { data.hypothesisWords($0) }, references: examples.map(\.reference))
    }

    /// Scores `hypotheses[i]` against `references[i]` (both as tokens).
    public init(hypotheses: [[String]], references: [[String]]) {
        self.hypotheses = hypotheses
        exactMatch = ExactMatch.accuracy(hypotheses: hypotheses, references: references)
        bleu = BLEU(hypotheses: hypotheses, references: references).score
    }
}
