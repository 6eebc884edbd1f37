/// A set of equal-length sequences for one task, laid out flat for batching.
///
/// Frame tasks carry `frames` (count, steps, features); token tasks carry `tokens` (count, steps).
/// Regressors carry `targetValues` (count, outputs), scored after the last step (the trainer's
/// regressor head); language models carry `targetTokens` (count, steps), the next token at every step.
public struct TaskDataset: Sendable {
    /// Number of sequences.
    public var count: Int
    /// Timesteps per sequence.
    public var steps: Int
    /// Features per timestep (0 for token input).
    public var features: Int
    /// Outputs per scored step (regressor) or vocabulary size (lm).
    public var outputs: Int
    /// (count, steps, features) row-major; empty for token input.
    public var frames: [Float]
    /// (count, steps); empty for frame input.
    public var tokens: [Int32]
    /// (count, outputs); empty for lm.
    public var targetValues: [Float]
    /// (count, steps); empty for regressors.
    public var targetTokens: [Int32]

    public init(count: Int, steps: Int, features: Int, outputs: Int, frames: [Float] = [], tokens: [Int32] = [],
                targetValues: [Float] = [], targetTokens: [Int32] = []) {
        self.count = count
        self.steps = steps
        self.features = features
        self.outputs = outputs
        self.frames = frames
        self.tokens = tokens
        self.targetValues = targetValues
        self.targetTokens = targetTokens
    }

    /// The sequences at `indices`, in that order (a batch).
    public func subset(_ indices: [Int]) -> TaskDataset {
        func gather<T>(_ source: [T], stride: Int) -> [T] {
            guard !source.isEmpty else { return [] }
            var out: [T] = []
            out.reserveCapacity(indices.count * stride)
            for i in indices { out.append(contentsOf: source[(i * stride)..<((i + 1) * stride)]) }
            return out
        }
        return TaskDataset(count: indices.count, steps: steps, features: features, outputs: outputs,
                           frames: gather(frames, stride: steps * features),
                           tokens: gather(tokens, stride: steps),
                           targetValues: gather(targetValues, stride: outputs),
                           targetTokens: gather(targetTokens, stride: steps))
    }

    /// The first `limit` sequences (or all of them).
    public func prefix(_ limit: Int) -> TaskDataset {
        subset(Array(0..<min(limit, count)))
    }
}
