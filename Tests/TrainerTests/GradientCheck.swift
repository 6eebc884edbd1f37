import Testing
import TestSupport
@testable import Trainer

/// Central finite differences against analytic gradients.
///
/// Every checked loss is evaluated in float32 by the layers and summed in double. With
/// eps = 1e-3 an element passes when |numeric − analytic| ≤ relative · max(|numeric|, |analytic|)
/// + absolute; the defaults (relative 1e-2, absolute 1e-3) are well above the float32 rounding
/// noise of these tiny shapes (~1e-4) and far below the error of a wrong formula (~1e-1).
struct GradientCheck {
    var eps: Float = 1e-3
    var relative = 1e-2
    var absolute = 1e-3

    /// The largest violation ratio |num − ana| / (relative · max + absolute) over every element of
    /// `values` (≤ 1 passes). `analytic` must already hold the gradient of `loss` at `values`.
    func worst(_ name: String, values: UnsafeMutablePointer<Float>, count: Int, analytic: [Float],
               loss: () -> Double) -> Double {
        var worst = 0.0
        for j in 0..<count {
            let saved = values[j]
            values[j] = saved + eps
            let plus = loss()
            values[j] = saved - eps
            let minus = loss()
            values[j] = saved
            let numeric = (plus - minus) / (2 * Double(eps))
            let a = Double(analytic[j])
            let ratio = abs(numeric - a) / (relative * max(abs(numeric), abs(a)) + absolute)
            if ratio > 1 {
                Issue.record("\(name)[\(j)]: numeric \(numeric), analytic \(a)")
            }
            worst = max(worst, ratio)
        }
        return worst
    }

    /// Checks every parameter of `parameters` (their `grad` must hold the analytic gradient).
    func check(_ parameters: [Parameter], loss: () -> Double) -> Double {
        var worst = 0.0
        for p in parameters {
            let analytic = p.grad
            worst = max(worst, self.worst(p.name, values: p.storage.data, count: p.count, analytic: analytic, loss: loss))
        }
        return worst
    }
}

/// Σ r_i · y_i in double: a loss whose gradient with respect to y is r.
func projection(_ y: UnsafePointer<Float>, _ r: [Float]) -> Double {
    var s = 0.0
    for i in 0..<r.count { s += Double(r[i]) * Double(y[i]) }
    return s
}
