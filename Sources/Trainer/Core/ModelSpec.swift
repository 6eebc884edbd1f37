/// What network to build: the input, the recurrent stack, dropout and the output head.
///
/// The layer index `i` of FORMAT.md counts every layer in order: the embedding (token input)
/// is layer 0, then the recurrent layers, then the dense head. `layerIndex(...)` gives the numbers.
public struct ModelSpec: Codable, Sendable, Equatable {
    /// The model's input per timestep.
    public enum Input: Codable, Sendable, Equatable {
        /// `size` real features per timestep.
        case frames(size: Int)
        /// Token ids in [0, vocabulary), embedded into `embedding` dimensions.
        case tokens(vocabulary: Int, embedding: Int)
    }

    /// A recurrent cell type.
    public enum Cell: String, Codable, Sendable, CaseIterable {
        case lstm
        case gru
        case rnnTanh = "rnn_tanh"
        case rnnRelu = "rnn_relu"

        /// The names a `--cell` option accepts, for help texts and messages.
        public static let optionNames = "lstm, gru, rnn (= rnn_tanh), rnn_tanh or rnn_relu"

        /// The cell a `--cell` option names (`rnn` is `rnn_tanh`); nil for any other word.
        public init?(option: String) {
            self.init(rawValue: option == "rnn" ? "rnn_tanh" : option)
        }

        /// Gate blocks per hidden unit (G in FORMAT.md).
        public var gates: Int {
            switch self {
            case .lstm: 4
            case .gru: 3
            case .rnnTanh, .rnnRelu: 1
            }
        }
    }

    /// One recurrent layer of the stack.
    public struct Layer: Codable, Sendable, Equatable {
        public var cell: Cell
        public var hidden: Int
        public init(cell: Cell, hidden: Int) {
            self.cell = cell
            self.hidden = hidden
        }
    }

    /// The head and the loss.
    public enum Output: Codable, Sendable, Equatable {
        /// Softmax over `classes` at the last timestep; cross-entropy loss; metric accuracy.
        case classifier(classes: Int)
        /// `outputs` real values at the last timestep; mean squared error; metric mean absolute error.
        case regressor(outputs: Int)
        /// Next-token logits at every timestep; masked cross-entropy; metric token accuracy.
        case lm(vocabulary: Int)

        /// Width of the dense head.
        public var size: Int {
            switch self {
            case .classifier(let c): c
            case .regressor(let o): o
            case .lm(let v): v
            }
        }
    }

    public var input: Input
    public var layers: [Layer]
    /// Dropout probability applied to every recurrent layer's output while training (0 = off).
    public var dropout: Float
    public var output: Output

    public init(input: Input, layers: [Layer], dropout: Float = 0, output: Output) {
        self.input = input
        self.layers = layers
        self.dropout = dropout
        self.output = output
    }

    /// Features per timestep entering the first recurrent layer.
    public var firstLayerInput: Int {
        switch input {
        case .frames(let size): size
        case .tokens(_, let embedding): embedding
        }
    }

    /// FORMAT.md index of the embedding layer, if any (always 0).
    public var embeddingIndex: Int? {
        if case .tokens = input { return 0 }
        return nil
    }

    /// FORMAT.md index of recurrent layer `k` (0-based within `layers`).
    public func recurrentIndex(_ k: Int) -> Int { k + (embeddingIndex == nil ? 0 : 1) }

    /// FORMAT.md index of the dense head.
    public var headIndex: Int { recurrentIndex(layers.count) }

    /// Checks sizes; the message names the field that is wrong.
    public func validate() throws(TrainerError) {
        switch input {
        case .frames(let size):
            if size <= 0 { throw .invalidSpec("input frame size must be positive, got \(size)") }
        case .tokens(let v, let e):
            if v <= 0 || e <= 0 { throw .invalidSpec("token vocabulary and embedding must be positive, got \(v), \(e)") }
        }
        if layers.isEmpty { throw .invalidSpec("at least one recurrent layer is needed") }
        for (k, l) in layers.enumerated() where l.hidden <= 0 {
            throw .invalidSpec("layer \(k): hidden size must be positive, got \(l.hidden)")
        }
        if !(dropout >= 0 && dropout < 1) { throw .invalidSpec("dropout must be in [0, 1), got \(dropout)") }
        if output.size <= 0 { throw .invalidSpec("output size must be positive, got \(output.size)") }
    }
}
