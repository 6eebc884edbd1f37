import RecurRuntime

/// Decodes the test split with an exported model through the Runtime (the code `recur-run` uses),
/// so the reported int8 and f32 figures are the board's, not the trainer's.
public enum Seq2SeqRuntimeEvaluation {
    /// The Runtime's outputs (target ids, EOS excluded) for `examples`: greedy when `beam` is 1,
    /// else the best hypothesis of a beam of that width.
    ///
    /// - Throws: `RecurError` when the model is not seq2seq or a source is longer than its maximum.
    public static func decode(_ model: Model, examples: [Seq2SeqExample], beam: Int, alpha: Float) throws -> [[Int32]] {
        let translator = try model.makeTranslator(beamWidth: max(1, beam))
        var outputs: [[Int32]] = []
        outputs.reserveCapacity(examples.count)
        for example in examples {
            if beam > 1 {
                outputs.append(try translator.beam(example.source, width: beam, alpha: alpha).first?.tokens ?? [])
            } else {
                outputs.append(try translator.greedy(example.source).tokens)
            }
        }
        return outputs
    }
}
