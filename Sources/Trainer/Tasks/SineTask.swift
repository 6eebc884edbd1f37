import Foundation

/// Next-value prediction on noisy sine waves of random frequency and phase (seed project 3).
///
/// Each sequence is `x_t = sin(2π f t + φ) + ε_t` with `f` uniform in [0.02, 0.1] cycles per step,
/// `φ` uniform in [0, 2π) and `ε_t ~ N(0, noise²)`, t = 0 … steps-1. The target is the clean value
/// at t = steps, the next one (the first steps let the state pin down frequency and phase).
/// The metric is the mean squared error on the test split.
public struct SineTask: Sendable {
    public var steps: Int
    public var noise: Float
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int

    public init(steps: Int = 40, noise: Float = 0.05, 
                trainCount: Int = 2000, validationCount: Int = 200, testCount: Int = 500) {
        self.steps = steps
        self.noise = noise
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
        var random = SeededRandom(seed: seed)
        var frames = [Float](repeating: 0, count: count * steps)        // (count, steps, 1)
        var targets = [Float](repeating: 0, count: count)               // (count, 1)
        for n in 0..<count {
            let frequency = random.uniform(0.02, 0.1)
            let phase = random.uniform(0, 2 * Float.pi)
            // x_t = sin(2π f t + φ) + ε_t ; target = sin(2π f · steps + φ)
            for t in 0..<steps {
                frames[n * steps + t] = sinf(2 * Float.pi * frequency * Float(t) + phase) + noise * random.normal()
            }
            targets[n] = sinf(2 * Float.pi * frequency * Float(steps) + phase)
        }
        return TaskDataset(count: count, steps: steps, features: 1, outputs: 1,
                           frames: frames, targetValues: targets)
    }
}
