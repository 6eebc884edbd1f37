/// Everything a `recur train addition|translate` run is made of: task, data, network, training and
/// reporting options. Codable: it travels in checkpoints and (as JSON) in the model file.
public struct Seq2SeqSettings: Codable, Sendable, Equatable {
    public enum TaskName: String, Codable, Sendable, CaseIterable {
        case addition
        case translate
    }

    public var task: TaskName

    // MARK: Data
    /// addition: digits per operand.
    public var digits: Int = 3
    /// addition: training questions (validation 5,000 and test 10,000 unless set).
    public var trainCount: Int = 100_000
    public var validationCount: Int = 5_000
    public var testCount: Int = 10_000
    /// translate: the tab-separated pairs file.
    public var pairs: String?
    public var tokens: Seq2SeqTokens = .word
    public var lowercase: Bool = true
    public var minCount: Int = 2
    /// translate: most tokens per side (nil: 20 words or 80 characters).
    public var maxLength: Int?
    /// translate: at most this many training pairs (0: all).
    public var maxPairs: Int = 0

    // MARK: Network
    public var cell: String = "lstm"
    public var hidden: Int = 128
    public var layers: Int = 1
    public var embedding: Int = 64
    public var bidirectional: Bool = false
    public var attention: Seq2SeqSpec.Attention = .general
    public var attentionSize: Int = 64
    public var inputFeeding: Bool = false
    public var bridge: Seq2SeqSpec.Bridge = .zero
    /// C, the combine layer's width (nil: the decoder's hidden size).
    public var combine: Int?
    public var dropout: Float = 0

    // MARK: Training
    public var epochs: Int = 20
    public var batchSize: Int = 64
    public var learningRate: Float = 2e-3
    public var seed: UInt64 = 1
    public var threads: Int = 2
    public var patience: Int = 3

    // MARK: Reporting and output
    /// Beam width for the beam-search figures (1: greedy only).
    public var beam: Int = 5
    /// Length normalisation: score = log P / len^alpha.
    public var alpha: Float = 1
    public var out: String = "model.rnnz"
    public var writeF32: Bool = false
    public var checkpointDirectory: String?
    /// Write the test split's token lines (source, reference, greedy, beam) into this directory.
    public var outputsDirectory: String?

    public init(task: TaskName) {
        self.task = task
        if task == .translate {
            testCount = 2_000
            validationCount = 1_000
            hidden = 256
            embedding = 128
            epochs = 10
        }
    }

    /// `out` with `.rnnz` replaced by `.f32.rnnz`.
    public var f32Path: String {
        RnnzWriter.f32TwinPath(out)
    }

    /// The recurrent cell.
    public var modelCell: ModelSpec.Cell? { ModelSpec.Cell(option: cell) }

    /// Checks the options; the message names the option.
    public func validate() throws {
        func positive(_ value: Int, _ option: String) throws {
            if value < 1 { throw Seq2SeqDataError("\(option) must be at least 1, got \(value)") }
        }
        if modelCell == nil { throw Seq2SeqDataError("--cell must be \(ModelSpec.Cell.optionNames), got \"\(cell)\"") }
        try positive(hidden, "--hidden")
        try positive(layers, "--layers")
        try positive(embedding, "--embedding")
        try positive(epochs, "--epochs")
        try positive(batchSize, "--batch")
        try positive(threads, "--threads")
        try positive(beam, "--beam")
        try positive(trainCount, "--train-count")
        try positive(validationCount, "--validation-count")
        try positive(testCount, "--test-count")
        if let combine { try positive(combine, "--combine") }
        if attention == .additive { try positive(attentionSize, "--attention-size") }
        if patience < 0 { throw Seq2SeqDataError("--patience must not be negative, got \(patience)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw Seq2SeqDataError("--lr must be positive, got \(learningRate)") }
        if !(alpha >= 0 && alpha.isFinite) { throw Seq2SeqDataError("--alpha must be ≥ 0, got \(alpha)") }
        if !(dropout >= 0 && dropout < 1) { throw Seq2SeqDataError("--dropout must be in [0, 1), got \(dropout)") }
        if task == .translate && pairs == nil {
            throw Seq2SeqDataError("translate needs --pairs FILE (source<TAB>target lines, e.g. Tatoeba's spa.txt)")
        }
        if task == .addition && !(1...AdditionTask.maxDigits).contains(digits) {
            throw Seq2SeqDataError("--digits must be 1…\(AdditionTask.maxDigits), got \(digits)")
        }
    }
}
