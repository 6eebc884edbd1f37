/// A 2-D convolution over a batch of NHWC images: im2col, then one GEMM for the whole batch.
///
/// y[n, oy, ox, f] = b[f] + Σ_{ky, kx, c} W[f, (ky·KW + kx)·C + c] · x[n, oy·SH + ky − PH, ox·SW + kx − PW, c]
/// with x = 0 outside the image. The weight is (F, KH·KW·C) row-major — one row per output channel,
/// each row a filter in (ky, kx, c) order — so it quantizes per output channel like every other
/// int8 matrix, and its rows are the C core's filter rows as they are.
///
/// Forward gathers the patch of every output pixel into a row of `patches` (im2col), so that
/// y (N·OH·OW, F) = patches (N·OH·OW, P) · Wᵀ + b is one `BLAS.gemm`, and the result already is the
/// (N, OH, OW, F) NHWC output. Backward is two more GEMMs and col2im:
/// dW += dYᵀ · patches, db += Σ dY, dPatches = dY · W, and every patch row of dPatches is added back
/// to the input pixels it was gathered from.
///
/// - Complexity: the patches take N·OH·OW·KH·KW·C floats (kept from forward to backward).
final class Conv2DLayer {
    /// H × W × C of one input image.
    let inputShape: ImageShape
    /// OH × OW × F of one output image.
    let outputShape: ImageShape
    let window: ImageWindow
    /// F.
    let filters: Int
    /// P = KH · KW · C, the length of one patch and of one filter.
    let patchSize: Int
    /// (F, KH·KW·C) row-major, one filter per row in (ky, kx, c) order.
    let weight: Parameter
    /// (F)
    let bias: Parameter
    /// (N, OH, OW, F) outputs of the last forward.
    let output = Tensor()
    /// (N·OH·OW, P) the patches of the last forward's input, zeros where a window covers padding.
    private let patches = Tensor()
    /// (N·OH·OW, P) gradient of the patches in backward.
    private let dPatches = Tensor()
    private var batch = 0

    /// - Parameters:
    ///   - prefix: the tensor-name prefix; nil = `enc.{index}.`.
    /// - Throws: `TrainerError.invalidSpec` when the shapes do not fit (ImageWindow's rules) or
    ///   `filters` is below 1.
    init(index: Int, input: ImageShape, filters: Int, window: ImageWindow, random: inout SeededRandom,
         prefix: String? = nil) throws(TrainerError) {
        let names = prefix ?? "enc.\(index)."
        let layer = "conv2d \(names)"
        let (oh, ow) = try window.outputSize(over: input, layer: layer)
        if filters < 1 { throw .invalidSpec("\(layer): \(filters) filters, at least 1 needed") }
        inputShape = input
        outputShape = ImageShape(height: oh, width: ow, channels: filters)
        self.window = window
        self.filters = filters
        patchSize = window.height * window.width * input.channels
        // PyTorch nn.Conv2d: weight and bias uniform in ±1/sqrt(C·KH·KW).
        let bound = 1 / Float(patchSize).squareRoot()
        weight = Parameter(name: "\(names)weight", rows: filters, cols: patchSize,
                           value: (0..<(filters * patchSize)).map { _ in random.uniform(-bound, bound) })
        bias = Parameter(name: "\(names)bias", rows: filters, cols: 1,
                         value: (0..<filters).map { _ in random.uniform(-bound, bound) })
    }

    var parameters: [Parameter] { [weight, bias] }

    /// y (N, OH, OW, F) = conv2d(x (N, H, W, C)). The patches are kept until backward; x is not.
    func forward(_ x: UnsafePointer<Float>, batch: Int) {
        self.batch = batch
        let rows = batch * outputShape.pixels, p = patchSize
        patches.resize(rows * p)
        let cols = patches.data
        forEachRun(batch: batch) { column, image, count in
            if let image {
                (cols + column).update(from: x + image, count: count)
            } else {
                (cols + column).update(repeating: 0, count: count)
            }
        }
        output.resize(rows * filters)
        // y (rows, F) = patches (rows, P) · Wᵀ (P, F)
        BLAS.gemm(false, true, rows, filters, p, 1, cols, p, weight.storage.data, p, 0, output.data, filters)
        VectorMath.addRow(bias.storage.data, to: output.data, rows: rows, filters)
    }

    /// Accumulates dW, db and (when given) dX (N, H, W, C) from dY (N, OH, OW, F).
    func backward(_ dY: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        let rows = batch * outputShape.pixels, p = patchSize
        // dW += dYᵀ · patches     (F, rows) × (rows, P)
        BLAS.gemm(true, false, filters, p, rows, 1, dY, filters, patches.data, p, 1, weight.gradient.data, p)
        // db += Σ_rows dY
        VectorMath.addColumnSums(dY, rows: rows, filters, into: bias.gradient.data)
        guard let dInput else { return }
        // dPatches = dY · W       (rows, F) × (F, P)
        dPatches.resize(rows * p)
        let dCols = dPatches.data
        BLAS.gemm(false, false, rows, p, filters, 1, dY, filters, weight.storage.data, p, 0, dCols, p)
        // col2im: each patch value goes back to the pixel it came from; padding receives nothing.
        forEachRun(batch: batch) { column, image, count in
            if let image { VectorMath.add(dCols + column, into: dInput + image, count) }
        }
    }

    /// Walks every patch of a batch as runs of floats: `body(column, image, count)` for `count`
    /// values that start at offset `column` of `patches` and at offset `image` of the input batch
    /// (consecutive in both, as a window row's pixels inside the image are in NHWC), or, with
    /// `image` nil, `count` values of zero padding.
    @inline(__always)
    private func forEachRun(batch: Int, _ body: (_ column: Int, _ image: Int?, _ count: Int) -> Void) {
        let (h, w, c) = (inputShape.height, inputShape.width, inputShape.channels)
        let (oh, ow) = (outputShape.height, outputShape.width)
        let (kh, kw) = (window.height, window.width)
        let rowLength = kw * c
        var column = 0
        for n in 0..<batch {
            for oy in 0..<oh {
                let top = oy * window.strideHeight - window.paddingHeight
                for ox in 0..<ow {
                    let left = ox * window.strideWidth - window.paddingWidth
                    // Window columns kx with 0 ≤ left + kx < W lie inside the image.
                    let first = min(max(0, -left), kw), last = max(first, min(kw, w - left))
                    for ky in 0..<kh {
                        let iy = top + ky
                        if iy < 0 || iy >= h {
                            body(column, nil, rowLength)
                        } else {
                            if first > 0 { body(column, nil, first * c) }
                            if last > first {
                                body(column + first * c, ((n * h + iy) * w + left + first) * c, (last - first) * c)
                            }
                            if last < kw { body(column + last * c, nil, (kw - last) * c) }
                        }
                        column += rowLength
                    }
                }
            }
        }
    }
}
