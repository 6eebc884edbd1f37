/// A task's data split three ways, with what the exported model needs to know about its input.
public struct TaskData: Sendable {
    /// The network is fitted on this.
    public var train: TaskDataset
    /// Early stopping and best-model selection look at this.
    public var validation: TaskDataset
    /// The held-out metric (fp32 and int8) is measured on this only.
    public var test: TaskDataset
    /// Column names of a frame input (`recur.input.names`).
    public var inputNames: [String]
    /// The character vocabulary of a token task (id → text), with its unknown-token id.
    public var vocabulary: CharVocabulary?

    public init(train: TaskDataset, validation: TaskDataset, test: TaskDataset,
                inputNames: [String] = [], vocabulary: CharVocabulary? = nil) {
        self.train = train
        self.validation = validation
        self.test = test
        self.inputNames = inputNames
        self.vocabulary = vocabulary
    }
}
