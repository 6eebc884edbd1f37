import Trainer

/// One training workload of docs/TRAINING.md ("Training throughput"): a model, one fixed batch
/// and the update the training loop does per step, with the shapes of scripts/pytorch-throughput.py.
///
/// A step is exactly `TrainingLoop`'s inner loop: zero the gradients, forward, loss, backward,
/// global-norm clipping at 5, Adam. The data are seeded random values of the right shapes
/// (the speed does not depend on them).
final class TrainingWorkload {
    let name: String
    let model: SequenceModel
    let batch: Batch
    /// Samples (classifier) or characters (lm) one step trains on.
    let itemsPerStep: Int
    /// "samples" or "chars".
    let unit: String
    /// True for the lm: the state after a chunk starts the next one (truncated BPTT).
    private let carriesState: Bool
    private var optimizer: Adam
    private var state: [LayerState]?

    private init(name: String, spec: ModelSpec, batch: Batch, itemsPerStep: Int, unit: String,
                 carriesState: Bool, learningRate: Float) {
        self.name = name
        model = try! SequenceModel(spec: spec, seed: 1)
        self.batch = batch
        self.itemsPerStep = itemsPerStep
        self.unit = unit
        self.carriesState = carriesState
        optimizer = Adam(learningRate: learningRate)
    }

    /// LSTM(9 → 64) + Dense(6) classifier, batch 64, sequence 128: samples per second.
    static func classifier() -> TrainingWorkload {
        let (b, t, f, classes) = (64, 128, 9, 6)
        var random = SeededRandom(seed: 2)
        let frames = (0..<(b * t * f)).map { _ in random.normal() }                 // (B, T, F)
        let targets = (0..<b).map { _ in Int32(random.next() % UInt64(classes)) }  // (B)
        let spec = ModelSpec(input: .frames(size: f), layers: [.init(cell: .lstm, hidden: 64)],
                             output: .classifier(classes: classes))
        return TrainingWorkload(name: "classifier LSTM(9→64)+Dense(6) b64 T128", spec: spec,
                                batch: Batch(count: b, steps: t, inputs: .frames(frames, features: f),
                                             targets: .classes(targets)),
                                itemsPerStep: b, unit: "samples", carriesState: false, learningRate: 1e-3)
    }

    /// Character LM: embedding 64, LSTM 256, 65-way softmax, batch 32, 100 steps of truncated
    /// BPTT: characters per second.
    static func charLM() -> TrainingWorkload {
        let (b, t, v) = (32, 100, 65)
        var random = SeededRandom(seed: 3)
        let tokens = (0..<(b * t)).map { _ in Int32(random.next() % UInt64(v)) }   // (B, T)
        let targets = (0..<(b * t)).map { _ in Int32(random.next() % UInt64(v)) }  // (B, T)
        let spec = ModelSpec(input: .tokens(vocabulary: v, embedding: 64), layers: [.init(cell: .lstm, hidden: 256)],
                             output: .lm(vocabulary: v))
        return TrainingWorkload(name: "charlm E64 LSTM(256) V65 b32 T100", spec: spec,
                                batch: Batch(count: b, steps: t, inputs: .tokens(tokens), targets: .classes(targets)),
                                itemsPerStep: b * t, unit: "chars", carriesState: true, learningRate: 2e-3)
    }

    /// One training step; returns the batch loss.
    @discardableResult
    func step() -> Double {
        let loss = model.trainStep(batch, initialState: state)
        GradientClipping.clip(model.parameters, maxNorm: 5)
        optimizer.step(model.parameters)
        if carriesState { state = model.finalState() }
        return loss.loss
    }
}
