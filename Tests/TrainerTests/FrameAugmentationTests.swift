import Foundation
import Testing
@testable import Trainer

/// `--augment-rotation`, `--augment-scale` and `--class-weights` (`FrameAugmentation`,
/// `FramesSettings.classWeights`, the loop's `augment` hook).
@Suite struct FrameAugmentationTests {
    static let names = ["body_acc_x", "body_acc_y", "body_acc_z", "temp", "gyro_x", "gyro_y", "gyro_z"]

    /// `count` examples of `steps` frames with the channels of `names`, normalised with `mean`/`std`.
    static func batch(count: Int, steps: Int, seed: UInt64) -> (batch: Batch, mean: [Float], std: [Float]) {
        let c = names.count
        var random = SeededRandom(seed: seed)
        let frames = (0..<(count * steps * c)).map { _ in random.uniform(-2, 2) }
        let mean = (0..<c).map { Float($0) * 0.1 - 0.2 }
        let std = (0..<c).map { 0.5 + Float($0) * 0.05 }
        let batch = Batch(count: count, steps: steps, inputs: .frames(frames, features: c),
                          targets: .classes((0..<count).map { Int32($0 % 2) }))
        return (batch, mean, std)
    }

    /// The raw (denormalised) xyz vector of triple `first` at example `b`, step `t`.
    static func vector(_ batch: Batch, _ mean: [Float], _ std: [Float], b: Int, t: Int, first: Int) -> SIMD3<Double> {
        guard case .frames(let f, let c) = batch.inputs else { return .zero }
        let base = (b * batch.steps + t) * c + first
        return SIMD3((0..<3).map { Double(f[base + $0] * std[first + $0] + mean[first + $0]) })
    }

    @Test("triples are three adjacent channels P_x, P_y, P_z with one prefix")
    func findsTriples() {
        #expect(FrameAugmentation.triples(in: Self.names) == [0, 4])
        #expect(FrameAugmentation.triples(in: ["a_x", "a_y", "b_z", "c_x", "c_y", "c_z"]) == [3])
        #expect(FrameAugmentation.triples(in: ["x", "y", "z"]).isEmpty)
        #expect(throws: SettingsError.self) {
            try FrameAugmentation(channelNames: ["x", "y"], rotationDegrees: 10, scale: 0, mean: [0, 0], std: [1, 1])
        }
        #expect(throws: SettingsError.self) {
            try FrameAugmentation(channelNames: ["a_x", "a_y", "a_z"], rotationDegrees: 200, scale: 0, mean: [0, 0, 0], std: [1, 1, 1])
        }
    }

    @Test("a turn keeps each vector's length and the angles between an example's vectors, moves it by at most θ, and leaves other channels alone")
    func rotationIsRigid() throws {
        let (batch, mean, std) = Self.batch(count: 12, steps: 5, seed: 3)
        let augmentation = try FrameAugmentation(channelNames: Self.names, rotationDegrees: 25, scale: 0, mean: mean, std: std)
        var random = SeededRandom(seed: 9)
        let turned = augmentation.apply(batch, &random)
        let limit = 25.0 * Double.pi / 180
        var largest = 0.0
        for b in 0..<12 {
            for t in 0..<5 {
                let v = [0, 4].map { Self.vector(batch, mean, std, b: b, t: t, first: $0) }
                let w = [0, 4].map { Self.vector(turned, mean, std, b: b, t: t, first: $0) }
                for k in 0..<2 {
                    let before = (v[k] * v[k]).sum().squareRoot(), after = (w[k] * w[k]).sum().squareRoot()
                    #expect(abs(before - after) < 1e-4 * max(1, before))
                    let angle = acos(min(1, max(-1, (v[k] * w[k]).sum() / (before * after))))
                    #expect(angle <= limit + 1e-3)
                    largest = max(largest, angle)
                }
                // one R per example: the dot product between its two triples is unchanged
                #expect(abs((v[0] * v[1]).sum() - (w[0] * w[1]).sum()) < 1e-4 * max(1, (v[0] * v[0]).sum()))
            }
        }
        #expect(largest > limit / 4, "12 draws should reach a quarter of θ")
        guard case .frames(let f0, _) = batch.inputs, case .frames(let f1, _) = turned.inputs else { return }
        for k in stride(from: 3, to: f0.count, by: Self.names.count) { #expect(f0[k] == f1[k]) }  // "temp"
        #expect(turned.targets == batch.targets)
    }

    @Test("a gain scales every triple of an example by one factor within [1 − a, 1 + a], different per example")
    func scaleIsOneGainPerExample() throws {
        let (batch, mean, std) = Self.batch(count: 16, steps: 3, seed: 4)
        let augmentation = try FrameAugmentation(channelNames: Self.names, rotationDegrees: 0, scale: 0.2, mean: mean, std: std)
        var random = SeededRandom(seed: 1)
        let scaled = augmentation.apply(batch, &random)
        var gains: [Double] = []
        for b in 0..<16 {
            let gain = Self.vector(scaled, mean, std, b: b, t: 0, first: 0).x / Self.vector(batch, mean, std, b: b, t: 0, first: 0).x
            #expect(gain >= 0.8 - 1e-4 && gain <= 1.2 + 1e-4)
            for t in 0..<3 {
                for first in [0, 4] {
                    let v = Self.vector(batch, mean, std, b: b, t: t, first: first)
                    let w = Self.vector(scaled, mean, std, b: b, t: t, first: first)
                    #expect(((w - gain * v) * (w - gain * v)).sum().squareRoot() < 1e-3 * max(1, (v * v).sum().squareRoot()))
                }
            }
            gains.append(gain)
        }
        #expect(Set(gains.map { ($0 * 1000).rounded() }).count > 8)
    }

    @Test("the same generator gives the same batch")
    func deterministic() throws {
        let (batch, mean, std) = Self.batch(count: 4, steps: 4, seed: 5)
        let augmentation = try FrameAugmentation(channelNames: Self.names, rotationDegrees: 30, scale: 0.1, mean: mean, std: std)
        var a = SeededRandom(seed: 2), b = SeededRandom(seed: 2), c = SeededRandom(seed: 3)
        let first = augmentation.apply(batch, &a)
        #expect(first == augmentation.apply(batch, &b))
        #expect(first != augmentation.apply(batch, &c))
        #expect(first != batch)
    }

    /// An augmented training run stopped after epoch 1 and resumed ends with the uninterrupted
    /// run's bytes; and the augmentation changes what is learned.
    @Test("augmented training resumes bit for bit and differs from unaugmented training")
    func augmentedRunResumes() throws {
        let (data, mean, std) = Self.batch(count: 40, steps: 6, seed: 6)
        let (validation, _, _) = Self.batch(count: 8, steps: 6, seed: 7)
        let spec = ModelSpec(input: .frames(size: Self.names.count), layers: [.init(cell: .gru, hidden: 8)],
                             output: .classifier(classes: 2))
        let augmentation = try FrameAugmentation(channelNames: Self.names, rotationDegrees: 20, scale: 0.1, mean: mean, std: std)
        let augment: TrainingLoop.Augment = { batch, random in augmentation.apply(batch, &random) }
        var options = TrainOptions()
        options.threads = 1
        options.epochs = 3
        options.batchSize = 8
        options.seed = 4
        let whole = try SequenceModel(spec: spec, seed: 2)
        var states: [TrainingState] = []
        try TrainingLoop(options: options).fit(whole, train: data, validation: validation,
                                               checkpoint: { states.append($0) }, augment: augment)
        let resumed = try SequenceModel(spec: spec, seed: 2)
        try TrainingLoop(options: options).fit(resumed, train: data, validation: validation, resume: states[0], augment: augment)
        #expect(TrainingTests.bytes(resumed) == TrainingTests.bytes(whole))
        let plain = try SequenceModel(spec: spec, seed: 2)
        try TrainingLoop(options: options).fit(plain, train: data, validation: validation)
        #expect(TrainingTests.bytes(plain) != TrainingTests.bytes(whole))
    }

    /// Segments of two lengths train in buckets (`fitBuckets`): the augmentation reaches them and
    /// a resumed run draws the same.
    @Test("augmented training in length buckets resumes bit for bit and differs from unaugmented training")
    func augmentedBucketsResume() throws {
        let (short, mean, std) = Self.batch(count: 12, steps: 4, seed: 8)
        let (long, _, _) = Self.batch(count: 12, steps: 7, seed: 9)
        let spec = ModelSpec(input: .frames(size: Self.names.count), layers: [.init(cell: .lstm, hidden: 6)],
                             output: .classifier(classes: 2))
        let augmentation = try FrameAugmentation(channelNames: Self.names, rotationDegrees: 30, scale: 0.2, mean: mean, std: std)
        let augment: TrainingLoop.Augment = { batch, random in augmentation.apply(batch, &random) }
        var options = TrainOptions()
        options.threads = 1
        options.epochs = 3
        options.batchSize = 5
        let whole = try SequenceModel(spec: spec, seed: 3)
        var states: [TrainingState] = []
        try TrainingLoop(options: options).fitBuckets(whole, train: [short, long], validation: [short],
                                                      checkpoint: { states.append($0) }, augment: augment)
        let resumed = try SequenceModel(spec: spec, seed: 3)
        try TrainingLoop(options: options).fitBuckets(resumed, train: [short, long], validation: [short],
                                                      resume: states[1], augment: augment)
        #expect(TrainingTests.bytes(resumed) == TrainingTests.bytes(whole))
        let plain = try SequenceModel(spec: spec, seed: 3)
        try TrainingLoop(options: options).fitBuckets(plain, train: [short, long], validation: [short])
        #expect(TrainingTests.bytes(plain) != TrainingTests.bytes(whole))
    }

    @Test("--class-weights: balanced is n / (k · n_c); CLASS=W names classes; bad entries are named")
    func classWeights() throws {
        let names = ["SITTING", "STANDING", "WALKING"]
        let labels = [0, 0, 0, 1, 2, 2]
        #expect(try FramesSettings.classWeights("balanced", classNames: names, labels: labels) == [6.0 / 9, 2, 1])
        #expect(try FramesSettings.classWeights("SITTING=1.5, STANDING=2", classNames: names, labels: labels) == [1.5, 2, 1])
        #expect(throws: SettingsError("--class-weights: no class \"SITING\"; the classes are SITTING, STANDING, WALKING")) {
            try FramesSettings.classWeights("SITING=2", classNames: names, labels: labels)
        }
        #expect(throws: SettingsError("--class-weights: \"WALKING=-1\" is not CLASS=WEIGHT with a weight ≥ 0 (or give `balanced`)")) {
            try FramesSettings.classWeights("WALKING=-1", classNames: names, labels: labels)
        }
        #expect(throws: SettingsError.self) { try FramesSettings.classWeights("WALKING", classNames: names, labels: labels) }
    }
}
