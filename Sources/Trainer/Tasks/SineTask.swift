import Foundation

/// Next-value prediction on noisy sine waves of random frequency and phase (seed project 3).
///
/// Each sequence is `x_t = sin(2π f t + φ) + ε_t` with `f` uniform in [0.02, 0.1] cycles per step,
/// `φ` uniform in [0, 2π) and `ε_t ~ N(0, noise²)`. The target at step t is the clean value at
/// t + 1, scored at every step after a warm-up of `warmup` steps (the state needs a few samples
/// to pin down frequency and phase). The metric is the mean squared error on the test split.
public struct SineTask: Sendable {
    public var steps: Int
    public var noise: Float
    public var warmup: Int
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int

    public init(steps: Int = 60, noise: Float = 0.05, warmup: Int = 10,
                trainCount: Int = 2000, validationCount: Int = 200, testCount: Int = 500) {
        self.steps = steps
        self.noise = noise
        self.warmup = warmup
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
    }

    /// Generates the three splits from `seed` (each split from its own stream).
    public func makeData(seed: UInt64) -> TaskData {
        TaskData(train: makeSplit(count: trainCount, seed: seed &+ 1),
                 validation: makeSplit(count: validationCount, seed: seed &+ 2),
                 test: makeSplit(count: testCount, seed: seed &+ 3),
                 inputNames: ["x"])
    }

    func makeSplit(count: Int, seed: UInt64) -> TaskDataset {
        var random = TaskRandom(seed: seed)
        var frames = [Float](repeating: 0, count: count * steps)        // (count, steps, 1)
        var targets = [Float](repeating: 0, count: count * steps)       // (count, steps, 1)
        var mask = [Float](repeating: 0, count: count * steps)          // (count, steps)
        for n in 0..<count {
            let frequency = random.uniform(0.02, 0.1)
            let phase = random.uniform(0, 2 * Float.pi)
            for t in 0..<steps {
                // x_t = sin(2π f t + φ) + ε_t ; target_t = sin(2π f (t+1) + φ)
                let clean = sinf(2 * Float.pi * frequency * Float(t) + phase)
                frames[n * steps + t] = clean + noise * random.normal()
                targets[n * steps + t] = sinf(2 * Float.pi * frequency * Float(t + 1) + phase)
                mask[n * steps + t] = t >= warmup ? 1 : 0
            }
        }
        return TaskDataset(count: count, steps: steps, features: 1, outputs: 1,
                           frames: frames, targetValues: targets, mask: mask)
    }
}
