import CRuntime

extension Seq2SeqCompute.EncoderLayer {
    /// Runs this layer over the `n` positions of `input` (rows of `inputWidth`) with the C core's
    /// cell step, one position at a time: the forward direction over 0 … n−1 from a zero state
    /// into columns [0, H) of `output`, and, when bidirectional, the backward direction over
    /// n−1 … 0 from its own zero state into columns [H, 2H) (rows of `outputWidth`), so row j is
    /// [h_fwd(j) ; h_bwd(j)]. Afterwards `forwardState` (and `backwardState`) hold each direction's
    /// final state. The seq2seq encoder and the text classifier both run their layers here.
    func run(
        table: OpaquePointer, input: UnsafePointer<Float>, inputWidth: Int, count n: Int,
        output: UnsafeMutablePointer<Float>, forwardState: AlignedBuffer, backwardState: AlignedBuffer,
        scratch: AlignedBuffer
    ) throws(RecurError) {
        let width = outputWidth
        try Self.runDirection(
            forward, table: table, state: forwardState, input: input, inputWidth: inputWidth, n: n, reverse: false,
            output: output, outputWidth: width, scratch: scratch)
        if let backward {
            try Self.runDirection(
                backward, table: table, state: backwardState, input: input, inputWidth: inputWidth, n: n,
                reverse: true, output: output + Int(forward.hidden), outputWidth: width, scratch: scratch)
        }
    }

    /// Steps one direction over the n positions, writing h at each position's row of `output`.
    private static func runDirection(
        _ layer: rc_recurrent, table: OpaquePointer, state: AlignedBuffer, input: UnsafePointer<Float>,
        inputWidth: Int, n: Int, reverse: Bool, output: UnsafeMutablePointer<Float>, outputWidth: Int,
        scratch: AlignedBuffer
    ) throws(RecurError) {
        var layer = layer
        let hidden = Int(layer.hidden)
        state.zero()
        for position in 0..<n {
            let j = reverse ? n - 1 - position : position
            let status = rc_recurrent_step(table, &layer, input + j * inputWidth, 0, 1, state.floats, scratch.base)
            if status != RC_OK { throw .internalError("rc_recurrent_step refused an encoder layer") }
            (output + j * outputWidth).update(from: state.floats, count: hidden)
        }
    }
}
