import RecurRuntime

/// A trained network in file terms: header keys, then the encoder stack's layers with their tensors.
///
/// `Exporter` turns this into GGUF bytes; `ExportModel(spec:parameters:…)` builds it from the
/// trainer's model. Keeping this neutral layer lets quantization, self-tests and re-quantization
/// share one writer.
public struct ExportModel: Sendable {
    /// One layer of `recur.enc`.
    public struct Layer: Sendable {
        /// `embedding`, `lstm`, `gru`, `rnn`, `dense`.
        public var type: String
        public var input: Int
        /// Recurrent layers only.
        public var hidden: Int?
        public var output: Int
        /// dense: none/relu/tanh/softmax; rnn: tanh/relu.
        public var activation: String?
        /// A recurrent layer with reverse weights (`…_reverse` tensors, output 2H).
        public var bidirectional: Bool
        public var tensors: [Tensor]

        public init(type: String, input: Int, hidden: Int? = nil, output: Int, activation: String? = nil,
                    bidirectional: Bool = false, tensors: [Tensor]) {
            self.type = type
            self.input = input
            self.hidden = hidden
            self.output = output
            self.activation = activation
            self.bidirectional = bidirectional
            self.tensors = tensors
        }
    }

    /// One tensor with its FORMAT.md name.
    public struct Tensor: Sendable {
        public var name: String
        public var rows: Int
        public var cols: Int
        /// (rows, cols) row-major, or a vector when `isVector`.
        public var values: [Float]
        public var isVector: Bool

        public init(name: String, rows: Int, cols: Int, values: [Float], isVector: Bool) {
            self.name = name
            self.rows = rows
            self.cols = cols
            self.values = values
            self.isVector = isVector
        }

        /// Weights (`…weight`, `…weight_ih`, `…weight_hh`, `…_reverse`) are quantized; biases never.
        public var isWeight: Bool { !isVector && ExportModel.isWeightName(name) }
    }

    /// `general.name`.
    public var name: String
    /// `recur.task`.
    public var task: String
    /// Task keys in file order (`recur.input.*`, window/hop, labels, output size, vocabulary…).
    public var taskKeys: [(String, GGUFValue)]
    public var layers: [Layer]

    /// True for FORMAT.md weight tensor names (the last component starts with `weight`).
    public static func isWeightName(_ name: String) -> Bool {
        guard let last = name.split(separator: ".").last else { return false }
        return last.hasPrefix("weight") && !name.hasPrefix("selftest.")
    }

    public init(name: String, task: String, taskKeys: [(String, GGUFValue)], layers: [Layer]) {
        self.name = name
        self.task = task
        self.taskKeys = taskKeys
        self.layers = layers
    }
}
