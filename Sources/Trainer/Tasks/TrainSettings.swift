/// Everything a `recur train` run was asked to do; stored in checkpoints so that `--resume`
/// continues with exactly the same settings.
public struct TrainSettings: Codable, Sendable, Equatable {
    /// The built-in tasks.
    public enum TaskName: String, Codable, Sendable, CaseIterable {
        case sine, adding, charlm, frames, textclass
    }

    public var task: TaskName
    /// Where the int8 model goes (`--out`).
    public var out: String
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var hidden: Int
    public var layers: Int
    /// `lstm`, `gru`, `rnn` (tanh) or `rnn_relu`.
    public var cell: String
    public var seed: UInt64
    public var threads: Int
    /// A checkpoint is written here after every epoch (nil: none).
    public var checkpointDirectory: String?
    /// Also write `<out without .rnnz>.f32.rnnz`, the unquantized twin.
    public var writeF32: Bool
    /// Stop after this many epochs without a better validation metric (0: never).
    public var patience: Int
    /// adding: sequence length.
    public var length: Int
    /// charlm: the UTF-8 text file.
    public var text: String?
    /// charlm: characters seen fewer times become the unknown token.
    public var minCount: Int
    /// charlm: BPTT window; sine: sequence length.
    public var steps: Int
    /// charlm: embedding width.
    public var embedding: Int
    /// charlm: use at most this many characters of the text (0: all).
    public var maxCharacters: Int
    /// Training sequences for the generated tasks (0: the task's default).
    public var trainCount: Int
    /// Dropout between layers while training (nil: none). Optional so that settings stored
    /// by earlier versions still decode.
    public var dropout: Float?
    /// The learning-rate schedule: `constant` (nil) or `cosine` (100 warmup updates, then a decay to
    /// 5 % of --lr by the end of the run).
    public var schedule: String?
    /// frames (and its presets har, mnist): where the frames come from and how they are cut.
    public var frames: FramesSettings?
    /// textclass: the labelled lines, the tokens and the pooling.
    public var textclass: TextClassSettings?

    public init(task: TaskName, out: String, epochs: Int = 10, batchSize: Int = 32, learningRate: Float = 0.003,
                hidden: Int = 32, layers: Int = 1, cell: String = "lstm", seed: UInt64 = 1, threads: Int = 1,
                checkpointDirectory: String? = nil, writeF32: Bool = false, patience: Int = 0,
                length: Int = 100, text: String? = nil, minCount: Int = 5, steps: Int = 0,
                embedding: Int = 32, maxCharacters: Int = 0, trainCount: Int = 0) {
        self.task = task
        self.out = out
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.hidden = hidden
        self.layers = layers
        self.cell = cell
        self.seed = seed
        self.threads = threads
        self.checkpointDirectory = checkpointDirectory
        self.writeF32 = writeF32
        self.patience = patience
        self.length = length
        self.text = text
        self.minCount = minCount
        self.steps = steps
        self.embedding = embedding
        self.maxCharacters = maxCharacters
        self.trainCount = trainCount
    }

    /// The path of the unquantized twin: `model.rnnz` → `model.f32.rnnz`.
    public var f32Path: String {
        RnnzWriter.f32TwinPath(out)
    }

    /// Checks the numbers; the message names the option.
    public func validate() throws(SettingsError) {
        if epochs < 1 { throw SettingsError("--epochs must be at least 1, got \(epochs)") }
        if batchSize < 1 { throw SettingsError("--batch must be at least 1, got \(batchSize)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw SettingsError("--lr must be a positive number, got \(learningRate)") }
        if hidden < 1 { throw SettingsError("--hidden must be at least 1, got \(hidden)") }
        if layers < 1 { throw SettingsError("--layers must be at least 1, got \(layers)") }
        if ModelSpec.Cell(option: cell) == nil {
            throw SettingsError("--cell must be \(ModelSpec.Cell.optionNames), got \(cell)")
        }
        if threads < 1 { throw SettingsError("--threads must be at least 1, got \(threads)") }
        if patience < 0 { throw SettingsError("--patience must be 0 (off) or more, got \(patience)") }
        if task == .adding && length < 2 { throw SettingsError("--length must be at least 2, got \(length)") }
        if task == .charlm && text == nil { throw SettingsError("charlm needs --text FILE (a UTF-8 text)") }
        if task == .frames {
            guard let frames else { throw SettingsError("frames needs its data options (--csv …)") }
            try frames.validate()
        }
        if task == .textclass {
            guard let textclass else { throw SettingsError("textclass needs its data options (--data …)") }
            try textclass.validate()
        }
        if minCount < 1 { throw SettingsError("--min-count must be at least 1, got \(minCount)") }
        if steps < 0 || embedding < 1 { throw SettingsError("--steps and --embedding must be positive") }
        if let dropout, !(dropout >= 0 && dropout < 1) {
            throw SettingsError("--dropout must be in [0, 1), got \(dropout)")
        }
        if let schedule, !["constant", "cosine"].contains(schedule) {
            throw SettingsError("--schedule must be constant or cosine, got \(schedule)")
        }
    }
}

/// An option value that cannot work, with the message saying which and why.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension TrainSettings {
    /// The settings `recur train <task>` starts from before its options are applied.
    public static func defaults(for task: TaskName, out: String) -> TrainSettings {
        switch task {
        case .sine:
            TrainSettings(task: .sine, out: out, epochs: 15, batchSize: 32, learningRate: 0.01, hidden: 24, steps: 40)
        case .adding:
            TrainSettings(task: .adding, out: out, epochs: 20, batchSize: 50, learningRate: 0.005, hidden: 32, length: 100)
        case .charlm:
            TrainSettings(task: .charlm, out: out, epochs: 8, batchSize: 32, learningRate: 0.01, hidden: 128,
                          minCount: 5, steps: 100, embedding: 32)
        case .frames:
            TrainSettings(task: .frames, out: out, epochs: 30, batchSize: 32, learningRate: 0.003, hidden: 32, patience: 8)
        case .textclass:
            TrainSettings(task: .textclass, out: out, epochs: 10, batchSize: 32, learningRate: 0.003, hidden: 64, patience: 3,
                          minCount: 2, embedding: 64)
        }
    }
}

extension TrainSettings {
    /// The settings of a checkpointed run continued by `--resume`: everything that shapes the
    /// model stays as stored; where the results go, the thread count and the total number of
    /// epochs (to extend a run) come from the new command line.
    public func resumed(with current: TrainSettings) -> TrainSettings {
        var settings = self
        settings.out = current.out
        settings.writeF32 = current.writeF32
        settings.threads = current.threads
        settings.epochs = current.epochs
        settings.checkpointDirectory = current.checkpointDirectory
        return settings
    }
}

extension TrainSettings {
    /// The name the exported file carries (`general.name` is `<modelName>-<cell>`).
    public var modelName: String { frames?.preset ?? task.rawValue }
}
