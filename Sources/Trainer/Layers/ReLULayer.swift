/// y = max(x, 0) elementwise over any buffer (an NHWC batch after a convolution, mostly).
///
/// dX += dY where y > 0; the gradient at x = 0 is taken as 0.
final class ReLULayer {
    /// (count) outputs of the last forward.
    let output = Tensor()

    /// y = max(x, 0) for the `count` values of x.
    func forward(_ x: UnsafePointer<Float>, count: Int) {
        output.resize(count)
        output.data.update(from: x, count: count)
        VectorMath.relu(output.data, count)
    }

    /// dX += dY ⊙ [y > 0] over the values of the last forward.
    func backward(_ dY: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>) {
        let y = output.data
        for j in 0..<output.count where y[j] > 0 { dInput[j] += dY[j] }
    }
}
