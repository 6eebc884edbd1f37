/// Global average pooling: each channel of an NHWC image averaged over its H·W pixels.
///
/// y[n, c] = (Σ_{y, x} x[n, y, x, c]) / (H·W), the sum taken over the pixels in order and divided
/// once, as the C core does; dX[n, y, x, c] += dY[n, c] / (H·W).
final class GlobalAveragePoolLayer {
    /// H × W × C of one input image.
    let inputShape: ImageShape
    /// (N, C) outputs of the last forward.
    let output = Tensor()
    private var batch = 0

    /// - Throws: `TrainerError.invalidSpec` when a size of `input` is below 1.
    init(index: Int, input: ImageShape) throws(TrainerError) {
        try input.validate(layer: "global average pool enc.\(index).")
        inputShape = input
    }

    /// C, the width of each output row.
    var features: Int { inputShape.channels }

    /// y (N, C) = the per-channel mean of each image of x (N, H, W, C).
    func forward(_ x: UnsafePointer<Float>, batch: Int) {
        self.batch = batch
        let (pixels, c) = (inputShape.pixels, inputShape.channels)
        output.resize(batch * c, zero: true)
        let divisor = Float(pixels)
        for image in 0..<batch {
            let y = output.data + image * c, first = x + image * pixels * c
            VectorMath.addColumnSums(first, rows: pixels, c, into: y)
            for k in 0..<c { y[k] /= divisor }
        }
    }

    /// dX (N, H, W, C) += dY (N, C) / (H·W) at every pixel.
    func backward(_ dY: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>) {
        let (pixels, c) = (inputShape.pixels, inputShape.channels)
        let share = 1 / Float(pixels)
        for image in 0..<batch {
            let g = dY + image * c, first = dInput + image * pixels * c
            for p in 0..<pixels {
                let d = first + p * c
                for k in 0..<c { d[k] += g[k] * share }
            }
        }
    }
}
