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
        /// H, units per direction.
        public var hidden: Int
        /// Also runs reverse weights over the sequence backwards; the output is [h_fwd(t) ; h_bwd(t)]
        /// (2H wide). Only for a classifier over tokens, whose whole line is known. Optional so
        /// that specs stored before it existed still decode (nil: false).
        public var bidirectional: Bool?

        public init(cell: Cell, hidden: Int, bidirectional: Bool = false) {
            self.cell = cell
            self.hidden = hidden
            self.bidirectional = bidirectional ? true : nil
        }

        /// True for a two-direction layer.
        public var isBidirectional: Bool { bidirectional ?? false }

        /// The layer's output width: H, or 2H when bidirectional.
        public var outputWidth: Int { isBidirectional ? 2 * hidden : hidden }
    }

    /// How a classifier turns the top layer's outputs y_0 … y_{T−1} into the head's input.
    public enum Pool: String, Codable, Sendable, CaseIterable {
        /// y_{T−1}; for a bidirectional top layer [h_fwd(T−1) ; h_bwd(0)], both directions' final states.
        case last
        /// (Σ_t y_t) / T, summed in position order, one division.
        case mean
        /// The element-wise maximum over t.
        case max
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
    /// Classifier: how the top layer's outputs are pooled (nil: `last`, what frame classifiers do).
    public var pool: Pool?
    /// Dropout probability on the embedded tokens while training (nil: 0; optional so that specs
    /// stored before it existed still decode).
    public var embeddingDropout: Float?

    public init(input: Input, layers: [Layer], dropout: Float = 0, output: Output, pool: Pool? = nil,
                embeddingDropout: Float = 0) {
        self.input = input
        self.layers = layers
        self.dropout = dropout
        self.output = output
        self.pool = pool == .last ? nil : pool
        self.embeddingDropout = embeddingDropout == 0 ? nil : embeddingDropout
    }

    /// The embedding dropout in effect.
    public var embeddingDropoutRate: Float { embeddingDropout ?? 0 }

    /// The pooling in effect.
    public var pooling: Pool { pool ?? .last }

    /// E, the top recurrent layer's output width (the head's input).
    public var topWidth: Int { layers.last?.outputWidth ?? 0 }

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
        if !(embeddingDropoutRate >= 0 && embeddingDropoutRate < 1) {
            throw .invalidSpec("embedding dropout must be in [0, 1), got \(embeddingDropoutRate)")
        }
        let classifiesTokens = if case .tokens = input, case .classifier = output { true } else { false }
        if layers.contains(where: \.isBidirectional) && !classifiesTokens {
            throw .invalidSpec("bidirectional layers need the whole sequence first: only a classifier over tokens has them")
        }
        if pooling != .last && !classifiesTokens {
            throw .invalidSpec("pooling \(pooling.rawValue) is for a classifier over tokens (frame models read the last step)")
        }
        if output.size <= 0 { throw .invalidSpec("output size must be positive, got \(output.size)") }
    }
}
