import CRuntime
import TestSupport

/// A seeded recurrent or dense layer for the tests: owns its weights in
/// stable memory and steps them through CRuntime on a chosen kernel table.
final class TestLayer {
    let cell: rc_cell
    let input: Int
    let hidden: Int          // output size for a dense layer
    let quantized: Bool
    let activation: rc_activation
    let isDense: Bool
    // Float weights (gates*hidden, input) and (gates*hidden, hidden) row-major, kept for the Swift reference.
    let wIh: [Float]
    let wHh: [Float]
    let bIh: [Float]         // (gates*hidden)
    let bHh: [Float]         // (gates*hidden)
    private let storage: [UnsafeMutableRawPointer]
    private var layer = rc_recurrent()
    private var dense = rc_dense()

    var gates: Int { isDense ? 1 : Int(bitPattern: gateCount(cell)) }

    /// A recurrent layer; int8 weights are drawn in [-127, 127] with per-row scales.
    init(cell: rc_cell, input: Int, hidden: Int, quantized: Bool, seed: UInt64) {
        self.cell = cell
        self.input = input
        self.hidden = hidden
        self.quantized = quantized
        self.activation = RC_ACT_NONE
        self.isDense = false
        let g = Int(gateCount(cell))
        var rng = SeededGenerator(seed: seed)
        var pointers: [UnsafeMutableRawPointer] = []
        let ih = Self.matrix(rows: g * hidden, cols: input, quantized: quantized, rng: &rng, keep: &pointers)
        let hh = Self.matrix(rows: g * hidden, cols: hidden, quantized: quantized, rng: &rng, keep: &pointers)
        wIh = ih.values
        wHh = hh.values
        bIh = rng.uniforms(g * hidden, -0.3, 0.3)
        bHh = rng.uniforms(g * hidden, -0.3, 0.3)
        let bi = Self.copy(bIh, keep: &pointers)
        let bh = Self.copy(bHh, keep: &pointers)
        storage = pointers
        layer = rc_recurrent(cell: cell, input: UInt32(input), hidden: UInt32(hidden),
                             w_ih: ih.matrix, w_hh: hh.matrix, b_ih: bi, b_hh: bh)
    }

    /// A dense layer input → output with the given activation.
    init(denseInput input: Int, output: Int, activation: rc_activation, quantized: Bool, seed: UInt64) {
        self.cell = RC_CELL_RNN_TANH
        self.input = input
        self.hidden = output
        self.quantized = quantized
        self.activation = activation
        self.isDense = true
        var rng = SeededGenerator(seed: seed)
        var pointers: [UnsafeMutableRawPointer] = []
        let w = Self.matrix(rows: output, cols: input, quantized: quantized, rng: &rng, keep: &pointers)
        wIh = w.values
        wHh = []
        bIh = rng.uniforms(output, -0.3, 0.3)
        bHh = []
        let b = Self.copy(bIh, keep: &pointers)
        storage = pointers
        dense = rc_dense(input: UInt32(input), output: UInt32(output), activation: activation, w: w.matrix, bias: b)
    }

    deinit {
        for p in storage { p.deallocate() }
    }

    /// Floats of state per sequence (2H for LSTM).
    var stateFloats: Int { isDense ? hidden : (cell == RC_CELL_LSTM ? 2 : 1) * hidden }

    /// Advances nvec states one step on `kernels`; x_v = x[v * xStride ...].
    func step(_ kernels: OpaquePointer, x: [Float], xStride: Int, nvec: Int, state: inout [Float]) -> rc_status {
        let bytes = rc_recurrent_scratch_bytes(&layer, nvec)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: Int(RC_SCRATCH_ALIGN))
        defer { scratch.deallocate() }
        return rc_recurrent_step(kernels, &layer, x, xStride, nvec, &state, scratch)
    }

    /// nvec dense outputs on `kernels`.
    func apply(_ kernels: OpaquePointer, x: [Float], xStride: Int, nvec: Int) -> [Float] {
        var y = [Float](repeating: 0, count: nvec * hidden)
        let bytes = rc_dense_scratch_bytes(&dense, nvec)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: Int(RC_SCRATCH_ALIGN))
        defer { scratch.deallocate() }
        let status = rc_dense_step(kernels, &dense, x, xStride, nvec, &y, scratch)
        precondition(status == RC_OK, "rc_dense_step failed")
        return y
    }

    func validate() -> rc_status { isDense ? rc_dense_validate(&dense) : rc_recurrent_validate(&layer) }

    // MARK: building

    /// A rows × cols matrix in stable memory, and its float values (dequantized for int8).
    static func matrix(rows: Int, cols: Int, quantized: Bool, rng: inout SeededGenerator,
                               keep: inout [UnsafeMutableRawPointer]) -> (matrix: rc_matrix, values: [Float]) {
        if quantized {
            let q = rng.int8Weights(rows * cols)
            let scale = rng.uniforms(rows, 0.002, 0.02)
            let qp = UnsafeMutablePointer<Int8>.allocate(capacity: q.count)
            qp.initialize(from: q, count: q.count)
            keep.append(UnsafeMutableRawPointer(qp))
            let sp = copy(scale, keep: &keep)
            let values = (0..<rows * cols).map { Float(q[$0]) * scale[$0 / cols] }
            var m = rc_matrix(type: RC_W_Q8, rows: UInt32(rows), cols: UInt32(cols), f32: nil, q8: qp, scale: sp, packed: nil)
            // The interleaved layout a loaded model has (the scalar path ignores it).
            let bytes = rc_pack_q8_bytes(UInt32(rows), UInt32(cols))
            let layout = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Int(RC_SCRATCH_ALIGN))
            keep.append(layout)
            precondition(rc_pack_q8(&m, layout, bytes) == RC_OK, "rc_pack_q8 failed")
            m.packed = UnsafeRawPointer(layout)
            return (m, values)
        }
        let values = rng.uniforms(rows * cols, -0.4, 0.4)
        let fp = copy(values, keep: &keep)
        var m = rc_matrix(type: RC_W_F32, rows: UInt32(rows), cols: UInt32(cols), f32: fp, q8: nil, scale: nil, packed: nil)
        let bytes = rc_pack_f32_bytes(UInt32(rows), UInt32(cols))
        let layout = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Int(RC_SCRATCH_ALIGN))
        keep.append(layout)
        precondition(rc_pack_f32(&m, layout, bytes) == RC_OK, "rc_pack_f32 failed")
        m.packed = UnsafeRawPointer(layout)
        return (m, values)
    }

    static func copy(_ values: [Float], keep: inout [UnsafeMutableRawPointer]) -> UnsafePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
        p.initialize(from: values, count: values.count)
        keep.append(UnsafeMutableRawPointer(p))
        return UnsafePointer(p)
    }
}

/// G for a cell: 4, 3, 1.
func gateCount(_ cell: rc_cell) -> UInt {
    switch cell {
    case RC_CELL_LSTM: 4
    case RC_CELL_GRU: 3
    default: 1
    }
}
