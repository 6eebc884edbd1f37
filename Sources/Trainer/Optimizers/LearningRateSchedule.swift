/// How the learning rate changes over training.
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    /// lr = base.
    case constant
    /// lr = base · factor^⌊epoch / every⌋.
    case step(every: Int, factor: Float)
    /// Linear warmup over `warmup` updates from base/warmup to base, then
    /// lr = floor + (base − floor)(1 + cos(π · progress)) / 2 down to `floor` = base · minimumFraction.
    case cosine(warmup: Int, minimumFraction: Float)

    /// The rate for update `step` (0-based) of `totalSteps`, during `epoch` (0-based).
    public func rate(base: Float, step: Int, totalSteps: Int, epoch: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .step(let every, let factor):
            let k = every > 0 ? epoch / every : 0
            return base * Float(Math.exp(Double(k) * Math.log(Double(factor))))
        case .cosine(let warmup, let minimumFraction):
            if step < warmup { return base * Float(step + 1) / Float(warmup) }
            let span = max(totalSteps - warmup, 1)
            let progress = min(Double(step - warmup) / Double(span), 1)
            let floor = Double(base * minimumFraction)
            return Float(floor + (Double(base) - floor) * (1 + Math.cos(Double.pi * progress)) / 2)
        }
    }
}
