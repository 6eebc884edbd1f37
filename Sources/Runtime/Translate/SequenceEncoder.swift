import CRuntime

/// Runs an encoder over a whole known sequence: embedding, then each recurrent layer over
/// every position, forward and (for a bidirectional layer) backward. The memory it leaves is
/// what attention reads (`Translator`) or what a pooled head reads (`TextClassifier`).
///
/// All buffers are sized for `maxLength` positions when the encoder is made; `encode`
/// allocates nothing. Each direction of each layer is a one-lane `LayerStack` stepped once per
/// position: the forward direction from token 0 to n−1, the backward direction from n−1 down
/// to 0, each from a zero state; the layer's output at position j is [forward h ; backward h].
/// After `encode`, each direction's stack holds its final state (the bridge of a seq2seq
/// decoder starts from it).
final class SequenceEncoder {
    /// One encoder layer's directions.
    struct Directions {
        let forward: LayerStack
        let backward: LayerStack?
        /// h per direction.
        let hidden: Int
        /// Per position: hidden, or 2·hidden when bidirectional.
        var outputWidth: Int { backward == nil ? hidden : 2 * hidden }
    }

    /// Most positions `encode` accepts.
    let maxLength: Int
    /// The layers, in stack order.
    let layers: [Directions]
    /// E: floats per position of the memory (the top layer's output width).
    let width: Int
    private let embedding: EmbeddingTable
    /// (maxLength, D): the embedded source.
    private let embedded: AlignedBuffer
    /// Two (maxLength, widest layer output) buffers the layers write in turn.
    private let layerOutputs: [AlignedBuffer]
    /// s_j: (length, width) rows, pointing into `layerOutputs` (valid after `encode`).
    private(set) var memory: UnsafeMutablePointer<Float>
    /// n: positions encoded last.
    private(set) var length = 0

    init(embedding: EmbeddingTable, layers: [Seq2SeqCompute.EncoderLayer], maxLength: Int, table: OpaquePointer) {
        self.embedding = embedding
        self.maxLength = maxLength
        var directions: [Directions] = []
        var widest = 1
        for layer in layers {
            let backward = layer.backward.map { LayerStack([.recurrent($0)], lanes: 1, table: table) }
            directions.append(Directions(
                forward: LayerStack([.recurrent(layer.forward)], lanes: 1, table: table), backward: backward,
                hidden: Int(layer.forward.hidden)))
            widest = max(widest, layer.outputWidth)
        }
        self.layers = directions
        width = directions[directions.count - 1].outputWidth
        embedded = AlignedBuffer(floats: maxLength * embedding.columns)
        layerOutputs = [AlignedBuffer(floats: maxLength * widest), AlignedBuffer(floats: maxLength * widest)]
        memory = layerOutputs[0].floats
    }

    /// Encodes `source` into `memory` (`length` rows of `width`).
    ///
    /// - Throws: `emptyInput`, `inputTooLong` (over `maxLength`), `tokenOutOfRange`.
    func encode(_ source: UnsafeBufferPointer<Int32>) throws(RecurError) {
        let n = source.count
        if n == 0 { throw .emptyInput }
        if n > maxLength { throw .inputTooLong(tokens: n, limit: maxLength) }
        for j in 0..<n {
            let token = Int(source[j])
            if token < 0 || token >= embedding.rows {
                throw .tokenOutOfRange(token: token, vocabularySize: embedding.rows)
            }
            embedding.lookup(token, into: embedded.floats + j * embedding.columns)
        }
        var input = UnsafePointer(embedded.floats)
        var inputWidth = embedding.columns
        for (index, layer) in layers.enumerated() {
            let out = layerOutputs[index % 2].floats
            let width = layer.outputWidth
            // Forward: tokens 0 … n−1; output columns [0, H).
            try run(layer.forward, input: input, inputWidth: inputWidth, n: n, reverse: false, output: out, outputWidth: width)
            if let backward = layer.backward {
                // Backward: tokens n−1 … 0 from a zero state; output columns [H, 2H).
                try run(
                    backward, input: input, inputWidth: inputWidth, n: n, reverse: true, output: out + layer.hidden,
                    outputWidth: width)
            }
            input = UnsafePointer(out)
            inputWidth = width
        }
        memory = UnsafeMutablePointer(mutating: input)
        length = n
    }

    /// `encode` over an array (no copy).
    func encode(_ source: [Int32]) throws(RecurError) {
        try source.withUnsafeBufferPointer { (ids) throws(RecurError) in try encode(ids) }
    }

    /// Steps one direction over the n positions from a zero state, writing h at each
    /// position's row of `output` (rows of `outputWidth`).
    private func run(
        _ direction: LayerStack, input: UnsafePointer<Float>, inputWidth: Int, n: Int, reverse: Bool,
        output: UnsafeMutablePointer<Float>, outputWidth: Int
    ) throws(RecurError) {
        direction.reset()
        let hidden = direction.outputWidth
        for position in 0..<n {
            let j = reverse ? n - 1 - position : position
            try direction.run(input + j * inputWidth, inputStride: 0, lanes: 1)
            (output + j * outputWidth).update(from: direction.output(lane: 0), count: hidden)
        }
    }
}
