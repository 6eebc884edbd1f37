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

/// One direction of an LSTM, GRU or RNN layer (PyTorch's four parameters), the trainer's only
/// recurrent time loop.
///
/// The step API runs one timestep at a time — what seq2seq needs: a decoder with input feeding
/// feeds step t's output into step t + 1's input, the `copy` bridge passes gradients from the
/// decoder's initial state into the encoder's final state (at each sequence's own last step), and
/// beam search reorders states between steps. `forward`/`backward` over a whole sequence are loops
/// over the same steps. The formulas and row kernels are the cells' (`LSTMCell`, `GRUCell`,
/// `RNNCell`); this class owns the buffers, the one-GEMM input projection of all steps and the
/// weight-gradient GEMMs over all steps.
///
/// Buffers are time-major: x (T, B, I), states (T + 1, B, H) with slot 0 the initial state. The
/// input given to `setInputs`/`forward` is used in place: the caller keeps it unchanged until the
/// backward pass has finished. Per-step callers write x_t into `inputSlot(t)` (or `setInput`)
/// instead, a buffer the layer owns. Caches only grow, so steady-state steps allocate nothing.
final class RecurrentLayer {
    let cell: ModelSpec.Cell
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

    /// (T + 1, B, H): slot 0 the initial state, slot t + 1 the output of step t.
    private let hs = Tensor()
    /// (T + 1, B, H) LSTM cell states; slot 0 the initial one.
    private let cs = Tensor()
    /// (T, B, H) LSTM tanh(c_t).
    private let tanhC = Tensor()
    /// (T, B, G·H) LSTM, GRU: W_ih x_t, then the activated gates (RNN projects into `hs`).
    private let gateCache = Tensor()
    /// (T, B, 3H) GRU: W_hh h_{t−1}, its n block with b_hn.
    private let hiddenCache = Tensor()
    /// The biases the forward row kernel adds: LSTM b_ih + b_hh (4H), GRU [b_ir + b_hr, b_iz + b_hz, b_in]
    /// (3H), RNN b_ih + b_hh (H).
    private let bias = Tensor()
    /// W_hhᵀ packed for the forward steps (`start`), W_hh for the backward steps (`startBackward`).
    private let packedForward = PackedMatrix(), packedBackward = PackedMatrix()
    /// (T, B, I) the inputs of per-step callers.
    private let ownInputs = Tensor()
    /// (T, B, I) the inputs of the current forward: the caller's buffer or `ownInputs`.
    private var input: UnsafePointer<Float>?
    private(set) var steps = 0
    private(set) var batch = 0

    /// (T, B, G·H) gradient of the input-side pre-activations.
    private let dGx = Tensor()
    /// (T, B, 3H) GRU: gradient of the hidden-side pre-activations (the others use `dGx`).
    private let dGh = Tensor()
    /// (⌈B / biasRows⌉, G·H) Σ of the input-side (GRU: and hidden-side) pre-activation gradients
    /// over the steps, one row per `biasRows` rows of the batch, summed in order at the end: the
    /// sums do not depend on how the rows are split among threads.
    private let dBiasIH = Tensor(), dBiasHH = Tensor()
    static let biasRows = 4
    private var biasGroups: Int { (batch + Self.biasRows - 1) / Self.biasRows }
    /// The parts each step (forward and backward) is split into, chosen in `start`.
    private var parts = 1
    /// Tests only: split every step into this many parts instead of `StepTeam.parts`'s choice.
    var fixedParts: Int?
    /// (B, H) beam search's copy of the states it reorders.
    private let reorderScratch = Tensor()
    /// (B, H) gradient flowing back into h, carried across steps; after the last `backwardStep`
    /// (t = 0) the gradient into the initial state.
    let dh = Tensor()
    /// (B, H) LSTM: the same for c.
    let dc = Tensor()

    /// - Parameters:
    ///   - prefix: the tensor-name prefix, `enc.{index}.` in a sequence model, `dec.{i}.` in seq2seq.
    ///   - suffix: appended to every tensor name (`_reverse` for a bidirectional layer's reverse direction).
    init(cell: ModelSpec.Cell, inputSize: Int, hidden: Int, prefix: String, suffix: String = "",
         random: inout SeededRandom) {
        self.cell = cell
        self.inputSize = inputSize
        self.hidden = hidden
        gates = cell.gates
        let gh = gates * hidden
        // PyTorch: every weight and bias uniform in ±1/sqrt(H).
        let bound = 1 / Float(hidden).squareRoot()
        func uniform(_ n: Int) -> [Float] { (0..<n).map { _ in random.uniform(-bound, bound) } }
        weightIH = Parameter(name: "\(prefix)weight_ih\(suffix)", rows: gh, cols: inputSize, value: uniform(gh * inputSize))
        weightHH = Parameter(name: "\(prefix)weight_hh\(suffix)", rows: gh, cols: hidden, value: uniform(gh * hidden))
        biasIH = Parameter(name: "\(prefix)bias_ih\(suffix)", rows: gh, cols: 1, value: uniform(gh))
        biasHH = Parameter(name: "\(prefix)bias_hh\(suffix)", rows: gh, cols: 1, value: uniform(gh))
        if cell == .lstm {
            // The forget-gate block starts at 1 in b_ih (0 in b_hh): early in training the cell remembers.
            for j in hidden..<(2 * hidden) {
                biasIH.storage[j] = 1
                biasHH.storage[j] = 0
            }
        }
    }

    /// Layer `index` of a sequence model (tensor names `enc.{index}.…`).
    convenience init(cell: ModelSpec.Cell, index: Int, inputSize: Int, hidden: Int, suffix: String = "",
                     random: inout SeededRandom) {
        self.init(cell: cell, inputSize: inputSize, hidden: hidden, prefix: "enc.\(index).", suffix: suffix, random: &random)
    }

    /// FORMAT.md order: weight_ih, weight_hh, bias_ih, bias_hh.
    var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }

    // MARK: Forward, one step at a time

    /// Sizes the caches for `steps` steps of `batch` sequences and sets the initial state
    /// (h, c of (B, H) each; nil = zeros; c is ignored by GRU and RNN).
    func start(steps: Int, batch: Int, initialH: UnsafePointer<Float>?, initialC: UnsafePointer<Float>?) {
        self.steps = steps
        self.batch = batch
        input = nil
        let gh = gates * hidden, bh = batch * hidden
        parts = min(biasGroups, fixedParts ?? StepTeam.parts(rows: batch, work: batch * gh * hidden))
        hs.resize((steps + 1) * bh)
        if let initialH { hs.data.update(from: initialH, count: bh) } else { hs.data.update(repeating: 0, count: bh) }
        bias.resize(gh)
        bias.data.update(from: biasIH.storage.data, count: gh)
        packedForward.pack(weightHH.storage.data, rows: gh, cols: hidden, transposed: true)
        switch cell {
        case .lstm:
            gateCache.resize(steps * batch * gh)
            cs.resize((steps + 1) * bh)
            tanhC.resize(steps * bh)
            if let initialC { cs.data.update(from: initialC, count: bh) } else { cs.data.update(repeating: 0, count: bh) }
            VectorMath.add(biasHH.storage.data, into: bias.data, gh)
        case .gru:
            gateCache.resize(steps * batch * gh)
            hiddenCache.resize(steps * batch * gh)
            VectorMath.add(biasHH.storage.data, into: bias.data, 2 * hidden)
        case .rnnTanh, .rnnRelu:
            VectorMath.add(biasHH.storage.data, into: bias.data, gh)
        }
    }

    /// Uses x (T, B, I) in place as the inputs of all steps and projects them (one GEMM); then
    /// call `step` per t.
    func setInputs(_ x: UnsafePointer<Float>) {
        input = x
        project(first: 0, count: steps)
    }

    /// Copies x_t (B, I) into the layer's own input slot and projects step t alone.
    func setInput(_ t: Int, _ x: UnsafePointer<Float>) {
        inputSlot(t).update(from: x, count: batch * inputSize)
        project(first: t, count: 1)
    }

    /// (B, I) the layer's own input slot of step t, for callers that assemble x_t in place before
    /// `projectInput(t)`.
    func inputSlot(_ t: Int) -> UnsafeMutablePointer<Float> {
        if input == nil {
            ownInputs.resize(steps * batch * inputSize)
            input = UnsafePointer(ownInputs.data)
        }
        precondition(input == UnsafePointer(ownInputs.data), "per-step inputs after setInputs in one forward")
        return ownInputs.data + t * batch * inputSize
    }

    /// Projects step t's input after the caller wrote it into `inputSlot(t)`.
    func projectInput(_ t: Int) { project(first: t, count: 1) }

    /// The pre-activation rows of steps [first, first + count) receive W_ih x (the row kernels add
    /// the biases): `gateCache`, or for an RNN the output slots themselves.
    private func project(first: Int, count: Int) {
        let gh = gates * hidden, rows = count * batch
        let x = input! + first * batch * inputSize
        let out = gates == 1 ? hs.data + (first + 1) * batch * hidden : gateCache.data + first * batch * gh
        // out (rows, G·H) = X · W_ihᵀ
        BLAS.gemm(false, true, rows, gh, inputSize, 1, x, inputSize, weightIH.storage.data, inputSize, 0, out, gh)
    }

    /// Runs step t (its input already projected): h_t from h_{t−1}. A large step is split by rows
    /// into parts (`StepTeam`), which the threads share; each row's result is the same either way.
    func step(_ t: Int) {
        if parts == 1 { return step(t, rows: 0..<batch) }
        StepTeam.run(parts: parts) { part in step(t, rows: rows(part: part, of: parts)) }
    }

    private func step(_ t: Int, rows: Range<Int>) {
        let h = hidden, gh = gates * hidden, bh = batch * hidden
        let r0 = rows.lowerBound, n = rows.count
        let hPrev = hs.data + t * bh + r0 * h, hNext = hs.data + (t + 1) * bh + r0 * h
        switch cell {
        case .lstm:
            LSTMCell.forward(a: gateCache.data + (t * batch + r0) * gh, recurrent: packedForward, bias: bias.data,
                             hPrev: hPrev, hNext: hNext, cPrev: cs.data + t * bh + r0 * h, cNext: cs.data + (t + 1) * bh + r0 * h,
                             tanhC: tanhC.data + t * bh + r0 * h, batch: n, hidden: h)
        case .gru:
            GRUCell.forward(u: gateCache.data + (t * batch + r0) * gh, v: hiddenCache.data + (t * batch + r0) * gh,
                            recurrent: packedForward, bias: bias.data, biasHN: biasHH.storage.data + 2 * h,
                            hPrev: hPrev, hNext: hNext, batch: n, hidden: h)
        case .rnnTanh, .rnnRelu:
            RNNCell.forward(a: hNext, recurrent: packedForward, bias: bias.data, hPrev: hPrev, relu: cell == .rnnRelu,
                            batch: n, hidden: h)
        }
    }

    /// (B, H) the output h_t of step t (state slot t + 1).
    func output(_ t: Int) -> UnsafeMutablePointer<Float> { hs.data + (t + 1) * batch * hidden }

    /// (B, H) the LSTM cell state after step t.
    func cellState(_ t: Int) -> UnsafeMutablePointer<Float> { cs.data + (t + 1) * batch * hidden }

    /// Beam search: state slot t + 1 (after step t) row b becomes the old row `parents[b]`.
    func reorder(after t: Int, parents: [Int]) {
        let h = hidden, bh = batch * hidden
        reorderScratch.resize(bh)
        let old = reorderScratch.data
        func permute(_ base: UnsafeMutablePointer<Float>) {
            old.update(from: base, count: bh)
            for (b, p) in parents.enumerated() { (base + b * h).update(from: old + p * h, count: h) }
        }
        permute(hs.data + (t + 1) * bh)
        if cell == .lstm { permute(cs.data + (t + 1) * bh) }
    }

    // MARK: Backward, one step at a time

    /// Zeroes the carried gradients; call before the first `backwardStep` (at t = T − 1).
    func startBackward() {
        let gh = gates * hidden, bh = batch * hidden
        dGx.resize(steps * batch * gh)
        if cell == .gru {
            dGh.resize(steps * batch * gh)
            dBiasHH.resize(biasGroups * gh, zero: true)
        }
        dBiasIH.resize(biasGroups * gh, zero: true)
        dh.resize(bh, zero: true)
        dc.resize(bh, zero: true)
        packedBackward.pack(weightHH.storage.data, rows: gh, cols: hidden, transposed: false)
    }

    /// Adds a gradient into this sequence's state after step t — before `backwardStep(t)`: the final
    /// state of sequence b (h and, for LSTM, c) when t is its last real step.
    func addStateGradient(row b: Int, h dH: UnsafePointer<Float>, c dC: UnsafePointer<Float>?) {
        VectorMath.add(dH, into: dh.data + b * hidden, hidden)
        if cell == .lstm, let dC { VectorMath.add(dC, into: dc.data + b * hidden, hidden) }
    }

    /// Step t backward: dL/dh_t = dOut (B, H) (may be nil) + the gradient carried from step t + 1;
    /// leaves the gate gradients of step t and carries dh (and dc) to step t − 1. Split by rows
    /// like `step`, in whole groups of `biasRows` rows, each with its own bias sums.
    func backwardStep(_ t: Int, _ dOut: UnsafePointer<Float>?) {
        if let dOut { VectorMath.add(dOut, into: dh.data, batch * hidden) }
        if parts == 1 { return backwardStep(t, rows: 0..<batch) }
        StepTeam.run(parts: parts) { part in backwardStep(t, rows: rows(part: part, of: parts)) }
    }

    /// The rows of part `part` of `parts`: whole groups of `biasRows` rows.
    private func rows(part: Int, of parts: Int) -> Range<Int> {
        let groups = StepTeam.range(part: part, of: parts, count: biasGroups)
        return (groups.lowerBound * Self.biasRows)..<min(groups.upperBound * Self.biasRows, batch)
    }

    private func backwardStep(_ t: Int, rows: Range<Int>) {
        let h = hidden, gh = gates * hidden, bh = batch * hidden
        let r0 = rows.lowerBound, n = rows.count
        let bias = r0 / Self.biasRows * gh
        let off = (t * batch + r0) * gh
        switch cell {
        case .lstm:
            LSTMCell.backward(gates: gateCache.data + off, recurrent: packedBackward, cPrev: cs.data + t * bh + r0 * h,
                              tanhC: tanhC.data + t * bh + r0 * h, dh: dh.data + r0 * h, dc: dc.data + r0 * h,
                              dGates: dGx.data + off, dBias: dBiasIH.data + bias, biasRows: Self.biasRows, batch: n, hidden: h)
        case .gru:
            GRUCell.backward(gates: gateCache.data + off, v: hiddenCache.data + off, recurrent: packedBackward,
                             hPrev: hs.data + t * bh + r0 * h, dh: dh.data + r0 * h, dGx: dGx.data + off, dGh: dGh.data + off,
                             dBiasIH: dBiasIH.data + bias, dBiasHH: dBiasHH.data + bias, biasRows: Self.biasRows,
                             batch: n, hidden: h)
        case .rnnTanh, .rnnRelu:
            RNNCell.backward(y: hs.data + (t + 1) * bh + r0 * h, recurrent: packedBackward, relu: cell == .rnnRelu,
                             dh: dh.data + r0 * h, dA: dGx.data + off, dBias: dBiasIH.data + bias, biasRows: Self.biasRows,
                             batch: n, hidden: h)
        }
    }

    /// dx_t (B, I) += dA_t · W_ih for step t (after `backwardStep(t)`).
    func inputGradient(_ t: Int, into dx: UnsafeMutablePointer<Float>) {
        let gh = gates * hidden
        BLAS.gemm(false, false, batch, inputSize, gh, 1, dGx.data + t * batch * gh, gh,
                  weightIH.storage.data, inputSize, 1, dx, inputSize)
    }

    /// After `backwardStep(0)`: the weight and bias gradients of all steps (one GEMM each), and
    /// dX (T, B, I) += dA · W_ih when given. The gradient into the initial state is then in `dh`
    /// (and `dc`).
    func finishBackward(dInput: UnsafeMutablePointer<Float>?) {
        let rows = steps * batch, gh = gates * hidden
        // LSTM and RNN: the hidden-side pre-activations are the input-side ones
        let dGhAll = cell == .gru ? dGh.data : dGx.data
        // dW_ih += dGxᵀ · X          (G·H, T·B) × (T·B, I)
        BLAS.gemm(true, false, gh, inputSize, rows, 1, dGx.data, gh, input!, inputSize, 1, weightIH.gradient.data, inputSize)
        // dW_hh += dGhᵀ · H_{t−1}    (G·H, T·B) × (T·B, H), state slots 0..T−1
        BLAS.gemm(true, false, gh, hidden, rows, 1, dGhAll, gh, hs.data, hidden, 1, weightHH.gradient.data, hidden)
        // The row groups' bias sums, in order.
        for group in 1..<max(biasGroups, 1) {
            VectorMath.add(dBiasIH.data + group * gh, into: dBiasIH.data, gh)
            if cell == .gru { VectorMath.add(dBiasHH.data + group * gh, into: dBiasHH.data, gh) }
        }
        VectorMath.add(dBiasIH.data, into: biasIH.gradient.data, gh)
        VectorMath.add(cell == .gru ? dBiasHH.data : dBiasIH.data, into: biasHH.gradient.data, gh)
        if let dInput {
            // dX += dGx · W_ih         (T·B, G·H) × (G·H, I)
            BLAS.gemm(false, false, rows, inputSize, gh, 1, dGx.data, gh, weightIH.storage.data, inputSize, 1, dInput, inputSize)
        }
    }

    // MARK: Whole sequences

    /// Runs the layer over x (T, B, I), used in place, from `initial` (nil = zeros); outputs in
    /// `outputs`.
    func forward(_ x: UnsafePointer<Float>, steps: Int, batch: Int, initial: LayerState?) {
        let bh = batch * hidden
        let h0 = initial?.h ?? [], c0 = initial?.c ?? []
        precondition(h0.isEmpty || h0.count == bh, "initial state: \(h0.count) values for \(batch)×\(hidden)")
        precondition(c0.isEmpty || c0.count == bh, "initial cell state: \(c0.count) values for \(batch)×\(hidden)")
        h0.withUnsafeBufferPointer { h in
            c0.withUnsafeBufferPointer { c in
                start(steps: steps, batch: batch, initialH: h0.isEmpty ? nil : h.baseAddress,
                      initialC: c0.isEmpty ? nil : c.baseAddress)
            }
        }
        setInputs(x)
        for t in 0..<steps { step(t) }
    }

    /// (T, B, H) outputs of the last forward.
    var outputs: UnsafeMutablePointer<Float> { hs.data + batch * hidden }

    /// The state after the last step of the last forward.
    func finalState() -> LayerState {
        let bh = batch * hidden
        let h = Array(UnsafeBufferPointer(start: hs.data + steps * bh, count: bh))
        guard cell == .lstm else { return LayerState(h: h) }
        return LayerState(h: h, c: Array(UnsafeBufferPointer(start: cs.data + steps * bh, count: bh)))
    }

    /// Backpropagates dOut (T, B, H): accumulates parameter gradients, and dX += … when given.
    /// The gradient into the initial state is dropped (truncated BPTT detaches it).
    func backward(_ dOut: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        let bh = batch * hidden
        startBackward()
        for t in stride(from: steps - 1, through: 0, by: -1) { backwardStep(t, dOut + t * bh) }
        finishBackward(dInput: dInput)
    }
}
