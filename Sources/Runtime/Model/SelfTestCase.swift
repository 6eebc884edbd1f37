/// The input of one self-test case (`selftest.{k}.input`).
public enum SelfTestInput: Sendable, Equatable {
    /// The network's input frames (after any preprocessor, before normalization:
    /// what `FrameSession.step` takes), row-major: rows × `FrameConfiguration.inputSize`.
    /// Stored as F32 with dims `[inputSize, rows]`.
    case frames([Float])
    /// Token ids, stored as I32 with dims `[count]` (a memory network's: −1 ends a sentence).
    case tokens([Int32])
    /// One image's values (sample / maxval, H × W × C, channels fastest), stored as F32 with
    /// dims `[H · W · C]` (image_to_text).
    case image([Float])
}

/// One embedded self-test case: an input and the outputs the exporting machine's
/// Runtime produced for it.
///
/// What the outputs are (`selftest.{k}.output`, F32, dims `[outputSize, results]`):
/// - classifier / regressor: a fresh session with the file's own window and hop
///   (`recur.window`, `recur.hop`) and the best kernel path steps every frame in
///   order; each result's outputs (label probabilities, or regressor outputs) are
///   appended in result order. At least one result.
/// - lm: a fresh session feeds the tokens in order; after each token the
///   next-token probabilities at temperature 1 (`softmax(logits)`) are appended.
/// - seq2seq (dims `[count]`): a fresh translator decodes the source tokens
///   greedily; the output ids as Floats (EOS included when produced), then the
///   total log-probability of that output (`Translation.logProbability`).
/// - image_to_text: the same of the image, decoded greedily.
/// - text classifier (dims `[labels, 1]`, `[labels]` accepted): a fresh `TextClassifier`
///   classifies the token ids; the label probabilities.
/// - memory_qa (dims `[vocabulary]`): a fresh `MemorySession` stores each sentence of the ids
///   (−1 ends a sentence; the ids after the last −1 are the question) and answers the question;
///   the answer distribution.
/// `Model.selfTestOutputs(for:kernels:)` computes exactly this; the exporter
/// embeds its result and `verifySelfTests` compares it bit for bit.
public struct SelfTestCase: Sendable, Equatable {
    public let input: SelfTestInput
    /// Results × outputSize values, row-major.
    public let expected: [Float]

    public init(input: SelfTestInput, expected: [Float]) {
        self.input = input
        self.expected = expected
    }
}

/// The outcome of a self-test run that passed.
public struct SelfTestReport: Sendable, Equatable {
    /// Cases checked.
    public let cases: Int
    /// Output values compared, over all cases.
    public let values: Int
    /// The kernel path that computed them (`avx2`, `neon-dotprod`, `scalar`, …; `none, scalar
    /// Swift` for a memory network, which uses no kernels).
    public let kernelName: String
}
