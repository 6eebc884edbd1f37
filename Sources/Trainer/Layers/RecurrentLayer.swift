/// The hidden (and, for an LSTM, cell) state of one recurrent layer for B sequences.
public struct LayerState: Sendable, Equatable, Codable {
    /// (B, H) row-major.
    public var h: [Float]
    /// (B, H) row-major; empty for GRU and RNN.
    public var c: [Float]

    public init(h: [Float], c: [Float] = []) {
        self.h = h
        self.c = c
    }
}

/// What LSTM, GRU and RNN layers share: the four PyTorch parameters, the state history and the
/// three big GEMMs (input projection of all timesteps, dW_ih and dW_hh over all timesteps).
///
/// Sequences are time-major inside the model: x (T, B, I), outputs (T, B, H). The layer keeps a
/// pointer to its input from `forward` until `backward`; the caller keeps that buffer alive.
class RecurrentLayer {
    /// I.
    let inputSize: Int
    /// H.
    let hidden: Int
    /// G (4 LSTM, 3 GRU, 1 RNN).
    let gates: Int
    /// (G·H, I)
    let weightIH: Parameter
    /// (G·H, H)
    let weightHH: Parameter
    /// (G·H)
    let biasIH: Parameter
    /// (G·H)
    let biasHH: Parameter

    /// (T + 1, B, H): slot 0 is the initial state, slot t + 1 the output of step t.
    let hs = Tensor()
    /// (B, H) gradient flowing back into h, carried across steps in backward.
    let dh = Tensor()
    /// The input of the last forward, (T, B, I); owned by the caller.
    var input: UnsafePointer<Float>?
    var steps = 0
    var batch = 0

    /// - Parameters:
    ///   - prefix: the tensor-name prefix; nil = `enc.{index}.` (seq2seq uses `dec.{i}.`).
    ///   - suffix: appended to every tensor name (`_reverse` for a bidirectional layer's reverse direction).
    init(index: Int, inputSize: Int, hidden: Int, gates: Int, random: inout SeededRandom,
         prefix: String? = nil, suffix: String = "") {
        self.inputSize = inputSize
        self.hidden = hidden
        self.gates = gates
        let gh = gates * hidden
        let names = prefix ?? "enc.\(index)."
        // PyTorch: every weight and bias uniform in ±1/sqrt(H).
        let bound = 1 / Float(hidden).squareRoot()
        func uniform(_ n: Int) -> [Float] { (0..<n).map { _ in random.uniform(-bound, bound) } }
        weightIH = Parameter(name: "\(names)weight_ih\(suffix)", rows: gh, cols: inputSize, value: uniform(gh * inputSize))
        weightHH = Parameter(name: "\(names)weight_hh\(suffix)", rows: gh, cols: hidden, value: uniform(gh * hidden))
        biasIH = Parameter(name: "\(names)bias_ih\(suffix)", rows: gh, cols: 1, value: uniform(gh))
        biasHH = Parameter(name: "\(names)bias_hh\(suffix)", rows: gh, cols: 1, value: uniform(gh))
    }

    /// FORMAT.md order: weight_ih, weight_hh, bias_ih, bias_hh.
    var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }

    /// (T, B, H) outputs of the last forward.
    var output: UnsafeMutablePointer<Float> { hs.data + batch * hidden }

    /// Remembers the shapes and input, and writes the initial state into slot 0 of `hs`.
    func begin(_ x: UnsafePointer<Float>, steps: Int, batch: Int, initial: LayerState?) {
        self.input = x
        self.steps = steps
        self.batch = batch
        let bh = batch * hidden
        hs.resize((steps + 1) * bh)
        if let initial {
            precondition(initial.h.count == bh, "initial state: \(initial.h.count) values for \(batch)×\(hidden)")
            initial.h.withUnsafeBufferPointer { hs.data.update(from: $0.baseAddress!, count: bh) }
        } else {
            hs.data.update(repeating: 0, count: bh)
        }
    }

    /// Which biases `projectInput` adds to X · W_ihᵀ.
    enum InputBias {
        /// None: the cell's step kernel adds them while the row is in cache.
        case none
        /// b_ih only (GRU keeps b_hh on the hidden side).
        case input
        /// b_ih + b_hh.
        case both
    }

    /// out (T·B, G·H) = X · W_ihᵀ (+ the biases `bias` names): one GEMM for all steps.
    func projectInput(into out: UnsafeMutablePointer<Float>, bias: InputBias) {
        let rows = steps * batch
        let gh = gates * hidden
        BLAS.gemm(false, true, rows, gh, inputSize, 1, input!, inputSize, weightIH.storage.data, inputSize, 0, out, gh)
        if bias != .none { VectorMath.addRow(biasIH.storage.data, to: out, rows: rows, gh) }
        if bias == .both { VectorMath.addRow(biasHH.storage.data, to: out, rows: rows, gh) }
    }

    /// Weight and bias gradients from the gate gradients of all steps (each one GEMM), and the
    /// input gradient dX += dGx · W_ih when asked.
    ///
    /// - Parameters:
    ///   - dGx: (T·B, G·H) gradient of the input-side pre-activations.
    ///   - dGh: (T·B, G·H) gradient of the hidden-side pre-activations (same buffer for LSTM/RNN).
    ///   - biasSum: (G·H) Σ_rows dGx when the step kernel already summed it and dGh == dGx
    ///     (LSTM); then both bias gradients get it instead of two passes over the rows.
    func accumulateWeightGradients(dGx: UnsafePointer<Float>, dGh: UnsafePointer<Float>,
                                   biasSum: UnsafePointer<Float>? = nil,
                                   dInput: UnsafeMutablePointer<Float>?) {
        let rows = steps * batch
        let gh = gates * hidden
        // dW_ih += dGxᵀ · X          (G·H, T·B) × (T·B, I)
        BLAS.gemm(true, false, gh, inputSize, rows, 1, dGx, gh, input!, inputSize, 1, weightIH.gradient.data, inputSize)
        // dW_hh += dGhᵀ · H_{t−1}    (G·H, T·B) × (T·B, H), slots 0..T−1 of hs
        BLAS.gemm(true, false, gh, hidden, rows, 1, dGh, gh, hs.data, hidden, 1, weightHH.gradient.data, hidden)
        // db_ih += Σ_rows dGx ; db_hh += Σ_rows dGh
        if let biasSum {
            VectorMath.add(biasSum, into: biasIH.gradient.data, gh)
            VectorMath.add(biasSum, into: biasHH.gradient.data, gh)
        } else {
            VectorMath.addColumnSums(dGx, rows: rows, gh, into: biasIH.gradient.data)
            VectorMath.addColumnSums(dGh, rows: rows, gh, into: biasHH.gradient.data)
        }
        if let dInput {
            // dX += dGx · W_ih         (T·B, G·H) × (G·H, I)
            BLAS.gemm(false, false, rows, inputSize, gh, 1, dGx, gh, weightIH.storage.data, inputSize, 1, dInput, inputSize)
        }
    }

    /// The state after the last step of the last forward.
    func finalState() -> LayerState {
        let bh = batch * hidden
        return LayerState(h: Array(UnsafeBufferPointer(start: hs.data + steps * bh, count: bh)))
    }

    /// Runs the layer over x (T, B, I); outputs in `output`.
    func forward(_ x: UnsafePointer<Float>, steps: Int, batch: Int, initial: LayerState?) {
        fatalError("subclass")
    }

    /// Backpropagates dOut (T, B, H): accumulates parameter gradients, and dX += … when given.
    /// The gradient into the initial state is dropped (truncated BPTT detaches it).
    func backward(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        fatalError("subclass")
    }
}
