/// Global-norm gradient clipping.
public enum GradientClipping {
    /// ‖g‖ = sqrt(Σ over all parameters of Σ g²), summed parameter by parameter in order.
    public static func globalNorm(_ parameters: [Parameter]) -> Float {
        var total = 0.0
        for p in parameters { total += Double(VectorMath.sumOfSquares(p.gradient.data, p.count)) }
        return Float(total.squareRoot())
    }

    /// If ‖g‖ > maxNorm, scales every gradient by maxNorm / ‖g‖. Returns ‖g‖ before clipping.
    @discardableResult
    public static func clip(_ parameters: [Parameter], maxNorm: Float) -> Float {
        let norm = globalNorm(parameters)
        if norm > maxNorm && norm.isFinite {
            let s = maxNorm / norm
            for p in parameters { VectorMath.scale(p.gradient.data, s, p.count) }
        }
        return norm
    }
}
