/// Flatten: a batch of NHWC images seen as the (N, H·W·C) matrix a dense layer reads.
///
/// In NHWC row-major memory image n already is row n of that matrix, its values in (y, x, c) order
/// — the order the C core's flatten uses — so forward hands the input on without a copy and
/// backward passes the gradient straight through.
final class FlattenLayer {
    /// H × W × C of one input image.
    let inputShape: ImageShape

    /// - Throws: `TrainerError.invalidSpec` when a size of `input` is below 1.
    init(index: Int, input: ImageShape) throws(TrainerError) {
        try input.validate(layer: "flatten enc.\(index).")
        inputShape = input
    }

    /// H · W · C, the width of each output row.
    var features: Int { inputShape.count }

    /// x (N, H, W, C) as (N, H·W·C): the same memory.
    func forward(_ x: UnsafePointer<Float>) -> UnsafePointer<Float> {
        x
    }

    /// dX (N, H, W, C) += dY (N, H·W·C).
    func backward(_ dY: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>, batch: Int) {
        VectorMath.add(dY, into: dInput, batch * features)
    }
}
