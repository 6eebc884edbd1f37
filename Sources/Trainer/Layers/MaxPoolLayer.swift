/// Max-pooling over a batch of NHWC images, each channel on its own; no padding.
///
/// y[n, oy, ox, c] = max_{ky < KH, kx < KW} x[n, oy·SH + ky, ox·SW + kx, c]. The window is scanned
/// row by row from its top-left value and a later value wins only when it is greater (or NaN), the
/// C core's rule, so ties go to the first maximum. Backward routes each output gradient to that
/// input (the argmax) alone; overlapping windows (stride < size) add up there.
final class MaxPoolLayer {
    /// H × W × C of one input image.
    let inputShape: ImageShape
    /// OH × OW × C of one output image.
    let outputShape: ImageShape
    let window: ImageWindow
    /// (N, OH, OW, C) outputs of the last forward.
    let output = Tensor()
    /// (N, OH, OW, C) the offset in the input batch of each output's maximum.
    private var winners: [Int] = []
    private var batch = 0

    /// - Throws: `TrainerError.invalidSpec` when the window does not fit (ImageWindow's rules) or
    ///   has padding (pooling windows stay inside the image).
    init(index: Int, input: ImageShape, window: ImageWindow) throws(TrainerError) {
        let layer = "max-pool enc.\(index)."
        if window.paddingHeight != 0 || window.paddingWidth != 0 {
            throw .invalidSpec("\(layer): padding \(window.paddingHeight)×\(window.paddingWidth); max-pool takes none")
        }
        let (oh, ow) = try window.outputSize(over: input, layer: layer)
        inputShape = input
        outputShape = ImageShape(height: oh, width: ow, channels: input.channels)
        self.window = window
    }

    /// y (N, OH, OW, C) = the maximum of each window of x (N, H, W, C) per channel.
    func forward(_ x: UnsafePointer<Float>, batch: Int) {
        self.batch = batch
        let (h, w, c) = (inputShape.height, inputShape.width, inputShape.channels)
        let (oh, ow) = (outputShape.height, outputShape.width)
        let n = batch * outputShape.count
        output.resize(n)
        if winners.count != n { winners = [Int](repeating: 0, count: n) }
        let y = output.data
        winners.withUnsafeMutableBufferPointer { best in
            var out = 0
            for image in 0..<batch {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let corner = ((image * h + oy * window.strideHeight) * w + ox * window.strideWidth) * c
                        for k in 0..<c { y[out + k] = x[corner + k]; best[out + k] = corner + k }
                        for ky in 0..<window.height {
                            for kx in (ky == 0 ? 1 : 0)..<window.width {
                                let pixel = corner + (ky * w + kx) * c
                                for k in 0..<c {
                                    let v = x[pixel + k]
                                    if v > y[out + k] || v.isNaN { y[out + k] = v; best[out + k] = pixel + k }
                                }
                            }
                        }
                        out += c
                    }
                }
            }
        }
    }

    /// dX[argmax] += dY for every output of the last forward.
    func backward(_ dY: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>) {
        winners.withUnsafeBufferPointer { best in
            for j in 0..<(batch * outputShape.count) { dInput[best[j]] += dY[j] }
        }
    }
}
