/// What encoder–decoder network to build (docs: SEQ2SEQ contract, FORMAT.md "Seq2seq models").
///
/// Encoder: embedding (`sourceVocabulary` × `sourceEmbedding`) → `encoderLayers` recurrent layers
/// of `hidden` units per direction (two directions when `bidirectional`). Decoder: embedding
/// (`targetVocabulary` × `targetEmbedding`) → `decoderLayers` recurrent layers of
/// `decoderHidden` = `hidden` × directions units, so that dot attention (H_d == E) and the `copy`
/// bridge (decoder layer k starts from encoder layer k's final [h_fwd ; h_bwd]) always fit →
/// attention → combine layer of `combine` units → softmax over the target vocabulary.
///
/// With `image` set (an image → text model, `recur.task = image_to_text`) a convolutional
/// `ImageEncoder` replaces the token encoder: the source vocabulary, source embedding, encoder
/// layers and `bidirectional` are unused, the memory is the encoder's output map (E = its last
/// convolution's filters), the decoder has `hidden` units and the bridge must be `zero`.
public struct Seq2SeqSpec: Codable, Sendable, Equatable {
    /// How a decoder state scores an encoder position.
    public enum Attention: String, Codable, Sendable, CaseIterable {
        /// e_j = h_t · s_j (Luong).
        case dot
        /// e_j = h_t · (W s_j) (Luong).
        case general
        /// e_j = vᵀ tanh(W_k s_j + W_q h_t + b) (Bahdanau).
        case additive
    }

    /// The decoder's initial state.
    public enum Bridge: String, Codable, Sendable {
        /// Zeros.
        case zero
        /// Decoder layer k starts from encoder layer k's final state (needs equal layer counts).
        case copy
    }

    public var sourceVocabulary: Int
    public var targetVocabulary: Int
    public var sourceEmbedding: Int
    public var targetEmbedding: Int
    /// lstm, gru, rnn_tanh or rnn_relu (the same for every layer).
    public var cell: ModelSpec.Cell
    /// Units per encoder layer and direction; the decoder layers have `decoderHidden`.
    public var hidden: Int
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var bidirectional: Bool
    public var attention: Attention
    /// A, the width of the additive score layer (ignored by dot and general).
    public var attentionSize: Int
    /// Luong input feeding: the decoder's first layer also reads the previous attentional state h̃.
    public var inputFeeding: Bool
    public var bridge: Bridge
    /// C, the width of the combine layer h̃ = tanh(W_c [c ; h] + b_c).
    public var combine: Int
    /// Dropout probability after every recurrent layer, training only (0 = off).
    public var dropout: Float
    /// The convolutional encoder of an image → text model; nil: the token encoder.
    public var image: ImageEncoderSpec?

    public init(sourceVocabulary: Int, targetVocabulary: Int, sourceEmbedding: Int, targetEmbedding: Int,
                cell: ModelSpec.Cell = .lstm, hidden: Int, encoderLayers: Int = 1, decoderLayers: Int = 1,
                bidirectional: Bool = false, attention: Attention = .general, attentionSize: Int = 0,
                inputFeeding: Bool = false, bridge: Bridge = .zero, combine: Int, dropout: Float = 0, image: ImageEncoderSpec? = nil) {
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        self.sourceEmbedding = sourceEmbedding
        self.targetEmbedding = targetEmbedding
        self.cell = cell
        self.hidden = hidden
        self.encoderLayers = encoderLayers
        self.decoderLayers = decoderLayers
        self.bidirectional = bidirectional
        self.attention = attention
        self.attentionSize = attentionSize
        self.inputFeeding = inputFeeding
        self.bridge = bridge
        self.combine = combine
        self.dropout = dropout
        self.image = image
    }

    /// 1 or 2.
    public var directions: Int { bidirectional ? 2 : 1 }

    /// E, the width of an encoder output s_j (and of every encoder layer's output); an image
    /// encoder's last convolution's filters.
    public var encoderOutput: Int { image?.memoryWidth ?? hidden * directions }

    /// H_d, the units of every decoder recurrent layer.
    public var decoderHidden: Int { hidden * directions }

    /// Input width of the first decoder recurrent layer: D_d, plus C with input feeding.
    public var decoderInput: Int { targetEmbedding + (inputFeeding ? combine : 0) }

    /// FORMAT.md index of the decoder's output dense layer (`dec.{i}`).
    public var outputIndex: Int { decoderLayers + 1 }

    /// Checks sizes; the message names the field that is wrong.
    public func validate() throws(TrainerError) {
        func positive(_ value: Int, _ name: String) throws(TrainerError) {
            if value <= 0 { throw .invalidSpec("\(name) must be positive, got \(value)") }
        }
        try positive(targetVocabulary, "target vocabulary")
        try positive(targetEmbedding, "target embedding")
        try positive(hidden, "hidden")
        if let image {
            try image.validate()
            if bridge != .zero { throw .invalidSpec("an image encoder needs bridge zero (it has no final state), got \(bridge.rawValue)") }
            if bidirectional { throw .invalidSpec("an image encoder is not bidirectional") }
            if attention == .dot && decoderHidden != encoderOutput {
                throw .invalidSpec("dot attention needs hidden == the last convolution's filters, got \(decoderHidden) and \(encoderOutput)")
            }
        } else {
            try positive(sourceVocabulary, "source vocabulary")
            try positive(sourceEmbedding, "source embedding")
            try positive(encoderLayers, "encoder layers")
        }
        try positive(decoderLayers, "decoder layers")
        try positive(combine, "combine")
        if attention == .additive { try positive(attentionSize, "attention size (additive)") }
        if bridge == .copy && encoderLayers != decoderLayers {
            throw .invalidSpec("bridge copy needs as many decoder layers as encoder layers, got \(decoderLayers) and \(encoderLayers)")
        }
        if !(dropout >= 0 && dropout < 1) { throw .invalidSpec("dropout must be in [0, 1), got \(dropout)") }
    }
}
