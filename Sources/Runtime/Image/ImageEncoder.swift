import CRuntime

/// Runs an image-to-text model's convolution stack over one image; its output map is the
/// attention memory a `Translator`'s decoder reads (docs/FORMAT.md, "Image-to-text models").
///
/// Two buffers of the largest feature map take turns as input and output, and one scratch
/// block serves every conv layer; all are allocated when the encoder is made, so `encode`
/// allocates nothing. The memory is OH·OW rows of F floats, row j the output pixel
/// (j / OW, j % OW) — the NHWC layout already is that matrix.
final class ImageEncoder {
    let configuration: ImageConfiguration
    private let compute: ImageCompute
    private let table: OpaquePointer
    /// Two (largest map) buffers the layers write in turn.
    private let maps: [AlignedBuffer]
    private let scratch: AlignedBuffer
    /// The memory: `length` rows of `width` floats (valid after `encode`).
    private(set) var memory: UnsafeMutablePointer<Float>
    /// OH · OW: the memory's rows.
    let length: Int
    /// F: floats per memory row.
    let width: Int

    init(configuration: ImageConfiguration, compute: ImageCompute, table: OpaquePointer) {
        self.configuration = configuration
        self.compute = compute
        self.table = table
        maps = [AlignedBuffer(floats: compute.largestMap), AlignedBuffer(floats: compute.largestMap)]
        scratch = AlignedBuffer(byteCount: compute.scratchBytes)
        memory = maps[0].floats
        length = configuration.memory.height * configuration.memory.width
        width = configuration.memory.channels
    }

    /// Encodes one image (`configuration.input.count` values, H × W × C, channels fastest) into
    /// `memory`.
    ///
    /// - Throws: `wrongInputSize` for another number of values; `internalError` if the C core
    ///   refuses a layer the loader accepted.
    func encode(_ image: UnsafeBufferPointer<Float>) throws(RecurError) {
        let count = configuration.input.count
        if image.count != count { throw .wrongInputSize(expected: count, found: image.count) }
        guard let pixels = image.baseAddress else { throw .wrongInputSize(expected: count, found: 0) }
        maps[0].floats.update(from: pixels, count: count)
        var current = 0
        for layer in compute.layers {
            let input = maps[current].floats
            switch layer {
            case .conv2d(var conv):
                let output = maps[1 - current].floats
                if rc_conv2d_apply(table, &conv, input, output, scratch.base) != RC_OK {
                    throw .internalError("rc_conv2d_apply refused a loaded layer")
                }
                current = 1 - current
            case .relu(let n):
                rc_relu(input, n)
            case .maxPool(var pool):
                let output = maps[1 - current].floats
                if rc_maxpool2d(&pool, input, output) != RC_OK {
                    throw .internalError("rc_maxpool2d refused a loaded layer")
                }
                current = 1 - current
            }
        }
        memory = maps[current].floats
    }
}
