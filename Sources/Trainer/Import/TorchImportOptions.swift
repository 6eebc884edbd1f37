/// What `recur import` is told beyond the weights: the task and everything a state dict
/// does not record (module order, activations between Linear layers, labels, windowing,
/// normalization, vocabulary).
public struct TorchImportOptions: Sendable {
    public enum Task: String, Sendable, CaseIterable {
        case classifier, regressor, lm
    }

    public var task: Task
    /// `general.name`.
    public var name: String
    /// Module names in stack order (`--layers`); nil: embedding, recurrent, then Linear
    /// modules, each group in the natural order of its names.
    public var layerOrder: [String]?
    /// Activation after each Linear layer but the last (`none`, `relu`, `tanh`).
    public var activations: [String] = []
    /// `tanh` or `relu`, for nn.RNN modules.
    public var nonlinearity = "tanh"
    /// Classifier label names; nil: "0", "1", …
    public var labels: [String]?
    public var window = 0
    public var hop = 1
    /// Per-feature normalization: the runtime feeds `(x - mean) / std` (both or neither).
    public var mean: [Float]?
    public var std: [Float]?
    public var inputNames: [String]?
    /// lm: token id → text.
    public var vocabulary: [String]?
    /// lm: `char` or `word`.
    public var tokenizer = "char"
    /// Per-row int8 weights (default) or F32.
    public var quantized = true

    public init(task: Task, name: String) {
        self.task = task
        self.name = name
    }
}
