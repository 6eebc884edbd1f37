/// One PyTorch module found in a state dict, by the names and shapes of its tensors.
///
/// `nn.LSTM`/`nn.GRU`/`nn.RNN` hold `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`,
/// `bias_hh_l{k}` per layer k (and `…_reverse` when bidirectional, `weight_hr_l{k}` with a
/// proj_size); `nn.Linear` holds `weight` (out × in) and `bias`; `nn.Embedding` holds `weight`
/// (vocabulary × dim).
public struct TorchModule: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A recurrent module: gate blocks per layer (4 LSTM, 3 GRU, 1 RNN) and its layers.
        case recurrent(gates: Int, layers: [RecurrentLayer])
        /// A module with a 2-D `weight` and a `bias`: nn.Linear.
        case linear(outputs: Int, inputs: Int)
        /// A module with only a 2-D `weight`: nn.Embedding (or an nn.Linear without bias).
        case weightOnly(rows: Int, cols: Int)
    }

    /// One layer of a recurrent module: input and hidden sizes.
    public struct RecurrentLayer: Sendable, Equatable {
        public let input: Int
        public let hidden: Int
    }

    /// The module's path in the state dict (`lstm`, `encoder.rnn`, `head.0`); "" for a bare tensor.
    public let name: String
    public let kind: Kind

    /// `name.parameter` (or `parameter` for the top-level module).
    public func tensorName(_ parameter: String) -> String {
        name.isEmpty ? parameter : name + "." + parameter
    }
}
