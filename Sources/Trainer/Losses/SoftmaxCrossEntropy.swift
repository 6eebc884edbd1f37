import CTrainer

/// The loss of a batch and the sums its metric is made of.
public struct LossValue: Sendable, Equatable {
    /// Mean loss over the weighted targets.
    public var loss: Double
    /// Σ of the per-target metric (correct predictions, or absolute errors), weighted.
    public var metricSum: Double
    /// Σ of the target weights (or element count) the means divide by.
    public var weight: Double
}

/// Softmax cross-entropy over rows of logits, each row weighted by a mask entry.
///
/// L = Σ_n w_n · (−log softmax(z_n)[y_n]) / Σ_n w_n ;  dL/dz_n = w_n (p_n − onehot(y_n)) / Σ_n w_n.
enum SoftmaxCrossEntropy {
    /// Writes probabilities (N, C) and, when `gradient` is given, dL/dz (N, C).
    ///
    /// - Parameters:
    ///   - logits: (N, C)
    ///   - targets: N class ids
    ///   - mask: N weights, or nil for all ones
    static func evaluate(logits: UnsafePointer<Float>, rows: Int, classes c: Int, targets: [Int32], mask: [Float]?,
                         probabilities: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>?) -> LossValue {
        var total = 0.0, correct = 0.0, weight = 0.0
        for n in 0..<rows { weight += Double(mask?[n] ?? 1) }
        let inverse = weight > 0 ? 1 / weight : 0
        for n in 0..<rows {
            let z = logits + n * c, p = probabilities + n * c
            softmax(z, into: p, c)
            let y = Int(targets[n]), w = Double(mask?[n] ?? 1)
            // −log p_y, with p_y floored so that a saturated softmax gives a finite loss
            total += w * -Math.log(Double(max(p[y], Float.leastNormalMagnitude)))
            var best = 0
            for k in 1..<max(c, 1) where p[k] > p[best] { best = k }
            if best == y { correct += w }
            if let gradient {
                let g = gradient + n * c, scale = Float(w * inverse)
                for k in 0..<c { g[k] = scale * p[k] }
                g[y] -= scale
            }
        }
        return LossValue(loss: total * inverse, metricSum: correct, weight: weight)
    }

    /// p = softmax(z) over c entries: p_k = e^(z_k − max z) / Σ_j e^(z_j − max z).
    static func softmax(_ z: UnsafePointer<Float>, into p: UnsafeMutablePointer<Float>, _ c: Int) {
        var m = z[0]
        for k in 1..<max(c, 1) where z[k] > m { m = z[k] }
        rt_exp_shifted(PackedMatrix.bestPath, z, m, p, c)
        var sum: Float = 0
        for k in 0..<c { sum += p[k] }
        VectorMath.scale(p, 1 / sum, c)
    }
}
