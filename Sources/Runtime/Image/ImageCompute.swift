import CRuntime

/// An image-to-text model's encoder ready for the C core: one entry per layer, the conv
/// structs pointing into the Model's storage, and the buffer sizes an `ImageEncoder` needs.
struct ImageCompute {
    enum Layer {
        case conv2d(rc_conv2d)
        /// rc_relu over `count` floats.
        case relu(count: Int)
        case maxPool(rc_pool2d)
    }

    let layers: [Layer]
    /// The largest feature map (floats), input image included: each of the encoder's two buffers.
    let largestMap: Int
    /// The largest `rc_conv2d_scratch_bytes` over the conv layers.
    let scratchBytes: Int
}
