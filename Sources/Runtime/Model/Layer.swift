import CRuntime

/// What one layer of a model's stack is.
public enum LayerKind: Sendable, Equatable {
    /// A lookup table: token id → vector (`input` = vocabulary size, `output` = vector size).
    case embedding
    case lstm
    case gru
    /// An Elman RNN with tanh.
    case rnnTanh
    /// An Elman RNN with relu.
    case rnnRelu
    /// `y = act(W x + b)`.
    case dense(DenseActivation)

    /// True for the layers that carry state from step to step.
    public var isRecurrent: Bool {
        switch self {
        case .lstm, .gru, .rnnTanh, .rnnRelu: return true
        case .embedding, .dense: return false
        }
    }

    /// Gate blocks in the weight matrices: 4 (LSTM), 3 (GRU), 1 (RNN), 1 otherwise.
    var gates: Int {
        switch self {
        case .lstm: return 4
        case .gru: return 3
        default: return 1
        }
    }

    /// A short name as `recur-run --info` prints it (`lstm`, `dense(softmax)`, …).
    public var name: String {
        switch self {
        case .embedding: return "embedding"
        case .lstm: return "lstm"
        case .gru: return "gru"
        case .rnnTanh: return "rnn(tanh)"
        case .rnnRelu: return "rnn(relu)"
        case .dense(let activation): return "dense(\(activation.rawValue))"
        }
    }
}

/// The activation of a dense layer (`recur.enc.{i}.activation`).
public enum DenseActivation: String, Sendable, Equatable {
    case none, relu, tanh, softmax

    var cValue: rc_activation {
        switch self {
        case .none: return RC_ACT_NONE
        case .relu: return RC_ACT_RELU
        case .tanh: return RC_ACT_TANH
        case .softmax: return RC_ACT_SOFTMAX
        }
    }
}

/// How a layer's weight matrices are stored in the file.
public enum WeightType: String, Sendable, Equatable {
    /// I8 with one F32 scale per row: the quantized export.
    case int8
    case f32
    /// F16 in the file, converted to F32 when the model loads.
    case f16
}

/// One layer of a model's stack, as `--info` and `recur inspect` describe it.
public struct Layer: Sendable, Equatable {
    /// Position in the stack (`recur.enc.{index}`).
    public let index: Int
    public let kind: LayerKind
    /// Input size (the vocabulary size for an embedding).
    public let input: Int
    /// Output size: the hidden size of a recurrent layer, the vector size of an embedding.
    public let output: Int
    public let weightType: WeightType
    /// Weights and biases (row scales of int8 weights not counted), both directions
    /// of a bidirectional layer.
    public let parameterCount: Int
    /// A seq2seq encoder layer that also runs backwards (`recur.enc.{i}.bidirectional`):
    /// its output is `2 × output` wide, [forward h ; backward h].
    public internal(set) var isBidirectional = false
}

/// A layer ready for the C core: structs whose pointers point into the Model's storage.
enum LayerCompute {
    case embedding(EmbeddingTable)
    case recurrent(rc_recurrent)
    case dense(rc_dense)
}

/// An embedding table: `rows` vectors of `columns` floats, stored int8 (with row
/// scales) or f32.
struct EmbeddingTable {
    let rows: Int
    let columns: Int
    let matrix: rc_matrix

    /// Writes row `token` into `out[0..<columns]`: `q[token, c] * scale[token]` for
    /// int8 storage, the stored value for f32.
    func lookup(_ token: Int, into out: UnsafeMutablePointer<Float>) {
        let start = token * columns
        if matrix.type == RC_W_Q8 {
            let scale = matrix.scale[token]
            for c in 0..<columns {
                out[c] = Float(matrix.q8[start + c]) * scale
            }
        } else {
            for c in 0..<columns {
                out[c] = matrix.f32[start + c]
            }
        }
    }
}
