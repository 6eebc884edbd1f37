/// Labelled token sequences of one part of a text classifier's data (train, validation or test).
public struct TextExampleSet: Sendable, Equatable {
    /// Per example, its token ids (1 … max length of them).
    public var ids: [[Int32]]
    public var labels: [Int]
    /// Per example, `file:line`.
    public var origins: [String]

    public init(ids: [[Int32]] = [], labels: [Int] = [], origins: [String] = []) {
        self.ids = ids
        self.labels = labels
        self.origins = origins
    }

    public var count: Int { ids.count }

    /// Example indices grouped by token count, shortest first (a batch holds one length: no padding).
    public var lengthBuckets: [[Int]] {
        var byLength: [Int: [Int]] = [:]
        for (k, sequence) in ids.enumerated() { byLength[sequence.count, default: []].append(k) }
        return byLength.keys.sorted().map { byLength[$0]! }
    }

    /// The examples at `indices` (all of one length) as the trainer's batch: tokens (B, T), classes (B).
    public func batch(_ indices: [Int]) -> Batch {
        let steps = ids[indices[0]].count
        precondition(indices.allSatisfy { ids[$0].count == steps }, "a batch holds sequences of one length")
        return Batch(count: indices.count, steps: steps, inputs: .tokens(indices.flatMap { ids[$0] }),
                     targets: .classes(indices.map { Int32(labels[$0]) }))
    }

    /// Per class, the number of examples.
    public func classCounts(_ classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        return counts
    }
}

/// The stratified split of labelled lines.
public enum TextSplit {
    /// Which part each of `labels`' examples goes to: within every class its examples are shuffled
    /// with `seed`; the first round(n · testFraction) go to the test part, the next
    /// round(n · validationFraction) to validation, the rest to training. Every class with at least
    /// three examples keeps at least one in training and, where the fraction is not 0, one in each
    /// other part.
    ///
    /// - Returns: per example 0 (train), 1 (validation) or 2 (test).
    public static func assign(labels: [Int], classes: Int, testFraction: Double, validationFraction: Double,
                              seed: UInt64) -> [Int] {
        var random = SeededRandom(seed: seed ^ 0x7465_7874_636C_6173)  // "textclas": the split's own stream
        var members = [[Int]](repeating: [], count: classes)
        for (k, label) in labels.enumerated() { members[label].append(k) }
        var part = [Int](repeating: 0, count: labels.count)
        for indices in members where !indices.isEmpty {
            let order = TrainingLoop.shuffled(0..<indices.count, &random).map { indices[$0] }
            let n = order.count
            func share(_ fraction: Double) -> Int {
                guard fraction > 0, n >= 3 else { return 0 }
                return max(1, Int((Double(n) * fraction).rounded()))
            }
            let test = min(share(testFraction), n - 1)
            let validation = max(0, min(share(validationFraction), n - test - 1))
            for (position, k) in order.enumerated() {
                part[k] = position < test ? 2 : position < test + validation ? 1 : 0
            }
        }
        return part
    }
}
