extension TaskDataset {
    /// The trainer's `Batch` holding every sequence (B = count).
    public var batch: Batch {
        let inputs: Batch.Inputs = tokens.isEmpty ? .frames(frames, features: features) : .tokens(tokens)
        let targets: Batch.Targets = targetTokens.isEmpty ? .values(targetValues, outputs: outputs) : .classes(targetTokens)
        return Batch(count: count, steps: steps, inputs: inputs, targets: targets)
    }

    /// Sequence `n`'s raw frames, (steps, features) row-major.
    public func frames(of n: Int) -> ArraySlice<Float> {
        frames[(n * steps * features)..<((n + 1) * steps * features)]
    }

    /// All token ids in order, the windows joined back into one stream (plus the last target).
    public var stream: [Int32] {
        guard count > 0 else { return [] }
        return tokens + [targetTokens[count * steps - 1]]
    }
}
