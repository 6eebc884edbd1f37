/// Everything a `recur train image2text` run is made of: the dataset directories, the encoder and
/// decoder, training and output. Codable: it travels (as JSON) in the model file.
public struct ImageToTextSettings: Codable, Sendable, Equatable {
    // MARK: Data
    /// The training set's directory (manifest.tsv + images).
    public var data: String
    /// Chooses the best epoch and stops early (patience); nil: the last epoch is kept.
    public var validation: String?
    /// Scored once at the end; nil: no test scores.
    public var test: String?
    /// `--render-from`: JSON `{"before": …, "after": …, "tokens": {token: text}}`.
    public var renderFrom: String?

    // MARK: Network
    /// The encoder layers in `ImageEncoderSpec.parse`'s grammar.
    public var encoder: String = "conv16x3p1,relu,pool2,conv32x3p1,relu,pool2"
    public var cell: String = "lstm"
    /// Decoder units per layer.
    public var hidden: Int = 128
    public var layers: Int = 1
    /// Target embedding width.
    public var embedding: Int = 32
    public var attention: Seq2SeqSpec.Attention = .general
    public var attentionSize: Int = 64
    public var inputFeeding: Bool = false
    /// C, the combine layer's width (nil: `hidden`).
    public var combine: Int?
    public var dropout: Float = 0

    // MARK: Training
    public var epochs: Int = 20
    public var batchSize: Int = 32
    public var learningRate: Float = 2e-3
    public var seed: UInt64 = 1
    public var threads: Int = 2
    public var patience: Int = 3

    // MARK: Output
    public var out: String = "model.rnnz"
    public var writeF32: Bool = false
    /// Write a checkpoint here after every epoch (`--checkpoint DIR`).
    public var checkpointDirectory: String?

    public init(data: String) {
        self.data = data
    }

    /// `out` with `.rnnz` replaced by `.f32.rnnz`.
    public var f32Path: String {
        RnnzWriter.f32TwinPath(out)
    }

    /// Checks the options; the message names the option.
    public func validate() throws {
        func positive(_ value: Int, _ option: String) throws {
            if value < 1 { throw Seq2SeqDataError("\(option) must be at least 1, got \(value)") }
        }
        if ModelSpec.Cell(option: cell) == nil {
            throw Seq2SeqDataError("--cell must be \(ModelSpec.Cell.optionNames), got \"\(cell)\"")
        }
        do { _ = try ImageEncoderSpec.parse(encoder) } catch { throw Seq2SeqDataError("--encoder: \(error.description)") }
        try positive(hidden, "--hidden")
        try positive(layers, "--layers")
        try positive(embedding, "--embedding")
        try positive(epochs, "--epochs")
        try positive(batchSize, "--batch")
        try positive(threads, "--threads")
        if let combine { try positive(combine, "--combine") }
        if attention == .additive { try positive(attentionSize, "--attention-size") }
        if patience < 0 { throw Seq2SeqDataError("--patience must not be negative, got \(patience)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw Seq2SeqDataError("--lr must be positive, got \(learningRate)") }
        if !(dropout >= 0 && dropout < 1) { throw Seq2SeqDataError("--dropout must be in [0, 1), got \(dropout)") }
    }
}
