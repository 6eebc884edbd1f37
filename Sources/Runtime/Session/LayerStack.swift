import CRuntime

/// The one loop over the C core's layer steps, with the state and scratch it runs on.
///
/// A stack of recurrent and dense layers advanced one timestep at a time over `lanes`
/// independent states at once: the staggered window states of a `FrameSession`, the
/// single stream of a `LanguageSession`, the beam slots of a `Translator`'s decoder, one
/// direction of an encoder layer. Every session type owns one or more of these and adds
/// only what its task needs around them (normalizing frames, embedding tokens, attention).
///
/// Lane `b` of layer `l` is the block of `strides[l]` floats at `b · strides[l]` in that
/// layer's buffer: a recurrent layer's state (h first, then c for an LSTM), or a dense
/// layer's output. Layer 0 reads lane `b`'s input at `x + b · inputStride` (stride 0: every
/// lane reads the same vector); layer `l > 0` reads lane `b`'s block of layer `l − 1`.
///
/// All memory is allocated here, once; `run` allocates nothing and checks one combined
/// status per run (the C core refuses only shapes that the model's loading already checked).
final class LayerStack {
    /// A layer the stack steps: the C core's structs, pointing into the Model's storage.
    enum Step {
        case recurrent(rc_recurrent)
        case dense(rc_dense)
    }

    /// The C kernel table (the session's kernel path, resolved once).
    let table: OpaquePointer
    /// The most lanes a run may advance.
    let lanes: Int
    /// Floats between one lane's block and the next, per layer.
    let strides: [Int]
    /// Floats of a lane's output: the last layer's hidden size or output size.
    let outputWidth: Int
    private let steps: [Step]
    /// Per layer: (lanes, strides[l]) floats.
    private let buffers: [AlignedBuffer]
    /// The C core's scratch: the largest need of any layer at `lanes` vectors.
    private let scratch: AlignedBuffer

    /// A stack over `layers` (recurrent and dense only: an embedding is its session's
    /// business) with room for `lanes` states, all zero.
    init(_ layers: [LayerCompute], lanes: Int, table: OpaquePointer) {
        precondition(!layers.isEmpty && lanes >= 1, "a layer stack has layers and lanes")
        self.table = table
        self.lanes = lanes
        var steps: [Step] = []
        var strides: [Int] = []
        var buffers: [AlignedBuffer] = []
        var scratchBytes = 0
        var width = 0
        for compute in layers {
            switch compute {
            case .embedding:
                preconditionFailure("an embedding layer is looked up by its session, not stepped")
            case .recurrent(var layer):
                let floats = rc_recurrent_state_floats(&layer)
                strides.append(floats)
                scratchBytes = max(scratchBytes, rc_recurrent_scratch_bytes(&layer, lanes))
                steps.append(.recurrent(layer))
                width = Int(layer.hidden)
            case .dense(var layer):
                strides.append(Int(layer.output))
                scratchBytes = max(scratchBytes, rc_dense_scratch_bytes(&layer, lanes))
                steps.append(.dense(layer))
                width = Int(layer.output)
            }
            buffers.append(AlignedBuffer(floats: lanes * strides[strides.count - 1]))
        }
        self.steps = steps
        self.strides = strides
        self.buffers = buffers
        outputWidth = width
        scratch = AlignedBuffer(byteCount: scratchBytes)
    }

    /// Advances lanes `0..<count` by one timestep through every layer.
    ///
    /// - Parameters:
    ///   - x: layer 0's input for lane 0; lane `b` reads `x + b · inputStride`.
    ///   - inputStride: floats between lanes' inputs (0: all lanes share `x`).
    ///   - count: lanes to advance (1...`lanes`).
    /// - Throws: `internalError` when the C core refused a layer.
    func run(_ x: UnsafePointer<Float>, inputStride: Int, lanes count: Int) throws(RecurError) {
        var input = x
        var stride = inputStride
        // The statuses are OR-ed together: RC_OK is 0, and one check after the loop suffices.
        var refused: UInt32 = 0
        for index in 0..<steps.count {
            let out = buffers[index].floats
            switch steps[index] {
            case .recurrent(var layer):
                refused |= rc_recurrent_step(table, &layer, input, stride, count, out, scratch.base).rawValue
            case .dense(var layer):
                refused |= rc_dense_step(table, &layer, input, stride, count, out, scratch.base).rawValue
            }
            input = UnsafePointer(out)
            stride = strides[index]
        }
        if refused != RC_OK.rawValue { throw .internalError("the C core refused a step of a \(steps.count)-layer stack") }
    }

    /// Lane `lane`'s output: the last layer's block (`outputWidth` floats, then the rest of
    /// the block: an LSTM's c).
    func output(lane: Int) -> UnsafeMutablePointer<Float> {
        buffers[buffers.count - 1].floats + lane * strides[strides.count - 1]
    }

    /// Layer `layer`'s block for lane `lane` (`strides[layer]` floats).
    func block(layer: Int, lane: Int) -> UnsafeMutablePointer<Float> {
        buffers[layer].floats + lane * strides[layer]
    }

    /// Zeroes lane `lane` of every recurrent layer: that lane starts from the initial state.
    func startLane(_ lane: Int) {
        for index in 0..<steps.count {
            guard case .recurrent = steps[index] else { continue }
            block(layer: index, lane: lane).update(repeating: 0, count: strides[index])
        }
    }

    /// Copies every layer's block of `other`'s lane `source` into lane `lane` (a stack of the
    /// same layers: a beam's spare).
    func copyLane(_ lane: Int, from other: LayerStack, lane source: Int) {
        for index in 0..<steps.count {
            block(layer: index, lane: lane).update(from: other.block(layer: index, lane: source), count: strides[index])
        }
    }

    /// Every lane of every layer back to zero.
    func reset() {
        for buffer in buffers { buffer.zero() }
    }

    /// Layers in the stack.
    var layerCount: Int { steps.count }
}
