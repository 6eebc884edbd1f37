import CRuntime

/// One recurrent layer with seeded weights, a state and scratch, all allocated
/// once, so that `step()` measures exactly one `rc_recurrent_step` call and
/// nothing else: no Swift array, no allocation, no bounds check in the loop.
final class StepFixture: @unchecked Sendable {
    let kernels: OpaquePointer
    private let layer: UnsafeMutablePointer<rc_recurrent>
    private let input: UnsafeMutablePointer<Float>       // (input)
    private let state: UnsafeMutablePointer<Float>       // (2·hidden) LSTM, (hidden) GRU
    private let scratch: UnsafeMutableRawPointer          // rc_recurrent_scratch_bytes, 64-byte aligned
    private let owned: [UnsafeMutableRawPointer]         // weights, scales, biases

    /// A `cell` layer input → hidden with int8 (`quantized`) or f32 weights, on `kernels`.
    init(cell: rc_cell, input inputSize: Int, hidden: Int, quantized: Bool, kernels: OpaquePointer) {
        self.kernels = kernels
        var random = SplitMix64(seed: 0x5EED_0000 &+ UInt64(inputSize * 1000 + hidden))
        let gates = cell == RC_CELL_LSTM ? 4 : cell == RC_CELL_GRU ? 3 : 1
        let rows = gates * hidden
        var keep: [UnsafeMutableRawPointer] = []

        func floats(_ count: Int, _ lower: Float, _ upper: Float) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            for i in 0..<count { p[i] = random.uniform(lower, upper) }
            keep.append(UnsafeMutableRawPointer(p))
            return p
        }
        func matrix(_ rows: Int, _ cols: Int) -> rc_matrix {
            if quantized {
                // int8 weights in [-127, 127] with per-row scales (the format's contract).
                let q = UnsafeMutablePointer<Int8>.allocate(capacity: rows * cols)
                for i in 0..<rows * cols { q[i] = Int8(Int(random.next() % 255) - 127) }
                keep.append(UnsafeMutableRawPointer(q))
                var m = rc_matrix(type: RC_W_Q8, rows: UInt32(rows), cols: UInt32(cols),
                                  f32: nil, q8: q, scale: floats(rows, 0.002, 0.02), packed: nil)
                // The interleaved layout a loaded model gets (Model+Loading.swift).
                let bytes = rc_pack_q8_bytes(UInt32(rows), UInt32(cols))
                let layout = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
                keep.append(layout)
                precondition(rc_pack_q8(&m, layout, bytes) == RC_OK)
                m.packed = UnsafeRawPointer(layout)
                return m
            }
            var m = rc_matrix(type: RC_W_F32, rows: UInt32(rows), cols: UInt32(cols),
                              f32: floats(rows * cols, -0.2, 0.2), q8: nil, scale: nil, packed: nil)
            let bytes = rc_pack_f32_bytes(UInt32(rows), UInt32(cols))
            let layout = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            keep.append(layout)
            precondition(rc_pack_f32(&m, layout, bytes) == RC_OK)
            m.packed = UnsafeRawPointer(layout)
            return m
        }

        let built = UnsafeMutablePointer<rc_recurrent>.allocate(capacity: 1)
        built.initialize(to: rc_recurrent(
            cell: cell, input: UInt32(inputSize), hidden: UInt32(hidden),
            w_ih: matrix(rows, inputSize), w_hh: matrix(rows, hidden),
            b_ih: floats(rows, -0.1, 0.1), b_hh: floats(rows, -0.1, 0.1)))
        precondition(rc_recurrent_validate(built) == RC_OK, "benchmark layer is malformed")
        layer = built
        input = floats(inputSize, -1, 1)
        state = floats(rc_recurrent_state_floats(built), -0.5, 0.5)
        scratch = .allocate(byteCount: rc_recurrent_scratch_bytes(built, 1), alignment: Int(RC_SCRATCH_ALIGN))
        owned = keep
    }

    deinit {
        for p in owned { p.deallocate() }
        layer.deallocate()
        scratch.deallocate()
    }

    /// Advances the state by one timestep on the fixture's kernel path.
    @inline(__always)
    func step() {
        let status = rc_recurrent_step(kernels, layer, input, 0, 1, state, scratch)
        precondition(status == RC_OK)
    }
}
