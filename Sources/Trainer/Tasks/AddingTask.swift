/// The adding problem (Hochreiter & Schmidhuber 1997; seed project 2): a long-memory sum.
///
/// Each sequence has `length` steps of two features, `(value, marker)`: values are uniform in
/// [0, 1); exactly two steps are marked with 1, one in the first half and one in the second half.
/// The target, scored at the last step only, is the sum of the two marked values (in [0, 2)).
/// Always answering 1 gives a mean absolute error of about 0.33; the metric is the test MAE.
public struct AddingTask: Sendable {
    public var length: Int
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int

    public init(length: Int = 100, trainCount: Int = 10000, validationCount: Int = 500, testCount: Int = 1000) {
        precondition(length >= 2, "the adding task needs at least 2 steps")
        self.length = length
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
    }

    /// Generates the three splits from `seed`.
    public func makeData(seed: UInt64) -> TaskData {
        TaskData(train: makeSplit(count: trainCount, seed: seed &+ 1),
                 validation: makeSplit(count: validationCount, seed: seed &+ 2),
                 test: makeSplit(count: testCount, seed: seed &+ 3),
                 inputNames: ["value", "marker"])
    }

    func makeSplit(count: Int, seed: UInt64) -> TaskDataset {
        var random = SeededRandom(seed: seed)
        var frames = [Float](repeating: 0, count: count * length * 2)   // (count, length, 2)
        var targets = [Float](repeating: 0, count: count)               // (count, 1)
        let half = length / 2
        for n in 0..<count {
            let first = Int.random(in: 0..<half, using: &random)
            let second = Int.random(in: half..<length, using: &random)
            var sum: Float = 0
            for t in 0..<length {
                let value = random.uniform(0, 1)
                let marked = t == first || t == second
                frames[(n * length + t) * 2] = value
                frames[(n * length + t) * 2 + 1] = marked ? 1 : 0
                if marked { sum += value }
            }
            targets[n] = sum
        }
        return TaskDataset(count: count, steps: length, features: 2, outputs: 1,
                           frames: frames, targetValues: targets)
    }
}
