/// Minibatch training with a validation split, early stopping, schedules, clipping, truncated
/// BPTT for streams, events for a progress bar, and checkpoints that resume bit for bit.
///
/// Reproducibility: the model's seed fixes the initial parameters; `options.seed` fixes the
/// split and the shuffles; the dropout masks come from the model's own generator. The loop's own
/// reductions run in a fixed order; OpenBLAS is deterministic for a fixed thread count.
public final class TrainingLoop {
    public let options: TrainOptions

    public init(options: TrainOptions) throws(TrainerError) {
        try options.validate()
        self.options = options
    }

    // MARK: Data helpers

    /// Shuffles `data` with `seed` and cuts off `validationFraction` of it (at least one sample
    /// each side when the fraction is positive).
    public static func split(_ data: Batch, validationFraction: Double, seed: UInt64)
        throws(TrainerError) -> (train: Batch, validation: Batch?)
    {
        if !(validationFraction >= 0 && validationFraction < 1) {
            throw .invalidOptions("validation fraction must be in [0, 1), got \(validationFraction)")
        }
        if validationFraction == 0 { return (data, nil) }
        if data.count < 2 { throw .invalidBatch("\(data.count) sequences cannot be split for validation") }
        var random = SeededRandom(seed: seed)
        let order = shuffled(0..<data.count, &random)
        let v = min(max(1, Int((Double(data.count) * validationFraction).rounded())), data.count - 1)
        return (data.select(order[v...]), data.select(order[..<v]))
    }

    /// A Fisher–Yates permutation drawn from `random`.
    static func shuffled(_ range: Range<Int>, _ random: inout SeededRandom) -> [Int] {
        var a = Array(range)
        if a.count > 1 {
            for i in stride(from: a.count - 1, to: 0, by: -1) {
                let j = Int(random.next() % UInt64(i + 1))
                a.swapAt(i, j)
            }
        }
        return a
    }

    /// Mean loss and metric of `model` over `data`, in batches of `batchSize`, no dropout.
    public static func evaluate(_ model: SequenceModel, on data: Batch, batchSize: Int) -> LossValue {
        var total = Accumulator()
        var start = 0
        while start < data.count {
            let end = min(start + batchSize, data.count)
            total.add(model.forward(data.select(start..<end), training: false))
            start = end
        }
        return total.value
    }

    /// Weighted sums of losses and metrics, in a fixed order.
    struct Accumulator {
        var loss = 0.0, metric = 0.0, weight = 0.0
        mutating func add(_ v: LossValue) {
            loss += v.loss * v.weight
            metric += v.metricSum
            weight += v.weight
        }
        var value: LossValue {
            LossValue(loss: weight > 0 ? loss / weight : 0, metricSum: metric, weight: weight)
        }
        var meanLoss: Double { weight > 0 ? loss / weight : 0 }
        var meanMetric: Double { weight > 0 ? metric / weight : 0 }
    }

    // MARK: Sequences

    /// Trains on independent sequences (classifier, regressor, or lm over separate sequences).
    ///
    /// - Parameters:
    ///   - train: all training sequences (a `Batch` with B = N); validated once here.
    ///   - validation: held-out sequences; early stopping and the best model follow its loss.
    ///   - resume: a state from `checkpoint` of an earlier run with the same options and data.
    ///   - checkpoint: called after every epoch with the state to save.
    ///   - augment: changes each training minibatch before its step (`FrameAugmentation`); its
    ///     generator is derived from the epoch's shuffle stream and the minibatch's index, so a
    ///     resumed run draws the same changes.
    ///   - observer: receives `TrainingEvent`s.
    /// - Returns: the history; the model ends holding the best epoch's parameters.
    @discardableResult
    public func fit(_ model: SequenceModel, train: Batch, validation: Batch? = nil, resume: TrainingState? = nil,
                    checkpoint: ((TrainingState) -> Void)? = nil, augment: Augment? = nil,
                    observer: (TrainingEvent) -> Void = { _ in }) throws(TrainerError) -> TrainingResult {
        try train.validate(for: model.spec)
        try validation?.validate(for: model.spec)
        let batchSize = options.batchSize
        let batches = (train.count + batchSize - 1) / batchSize
        var order: [Int] = []
        var augmentSeed: UInt64 = 0
        return try run(
            model, batchesPerEpoch: batches, samplesPerEpoch: train.count, resume: resume,
            checkpoint: checkpoint, observer: observer,
            beginEpoch: { random in
                order = self.options.shuffle ? TrainingLoop.shuffled(0..<train.count, &random) : Array(0..<train.count)
                if augment != nil { augmentSeed = random.next() }
            },
            trainBatch: { k in
                let slice = order[(k * batchSize)..<min((k + 1) * batchSize, train.count)]
                var batch = train.select(slice)
                if let augment { batch = TrainingLoop.augmented(batch, augment, seed: augmentSeed, index: k) }
                return (model.trainStep(batch), slice.count)
            },
            validate: validation.map { v in { TrainingLoop.evaluate(model, on: v, batchSize: batchSize) } })
    }

    /// Changes a training minibatch with the generator it is given (e.g. `FrameAugmentation.apply`).
    public typealias Augment = (Batch, inout SeededRandom) -> Batch

    /// `batch` through `augment` with a generator for minibatch `index` of the epoch whose draw is `seed`.
    static func augmented(_ batch: Batch, _ augment: Augment, seed: UInt64, index: Int) -> Batch {
        var random = SeededRandom(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        return augment(batch, &random)
    }

    // MARK: Streams (truncated BPTT)

    /// Cuts a token stream into `streams` parallel columns and chunks of `steps`:
    /// chunk k holds inputs x[s][k·steps + j] and next-token targets, for every column s.
    public static func streamBatches(_ tokens: [Int32], streams: Int, steps: Int) -> [Batch] {
        let columns = max(1, min(streams, (tokens.count - 1) / max(steps, 1)))
        let length = (tokens.count - 1) / columns
        guard length > 0 else { return [] }
        var batches: [Batch] = []
        var start = 0
        while start < length {
            let t = min(steps, length - start)
            var inputs = [Int32](), targets = [Int32]()
            inputs.reserveCapacity(columns * t)
            targets.reserveCapacity(columns * t)
            for s in 0..<columns {
                let base = s * length + start
                inputs.append(contentsOf: tokens[base..<(base + t)])
                targets.append(contentsOf: tokens[(base + 1)..<(base + t + 1)])
            }
            batches.append(Batch(count: columns, steps: t, inputs: .tokens(inputs), targets: .classes(targets)))
            start += t
        }
        return batches
    }

    /// Mean loss and token accuracy of an lm over a stream, state carried from chunk to chunk.
    public static func evaluateStream(_ model: SequenceModel, batches: [Batch]) -> LossValue {
        var total = Accumulator()
        var state: [LayerState]? = nil
        for b in batches {
            if let s = state, s.first?.h.count != b.count * model.spec.layers[0].hidden { state = nil }
            total.add(model.forward(b, training: false, initialState: state))
            state = model.finalState()
        }
        return total.value
    }

    /// Trains an lm on one long token stream with truncated BPTT: `batchSize` parallel streams,
    /// chunks of `bpttSteps`, the hidden state carried from chunk to chunk (no gradient through
    /// it) and reset at every epoch. Chunks stay in stream order.
    @discardableResult
    public func fitStream(_ model: SequenceModel, stream: [Int32], validation: [Int32]? = nil,
                          resume: TrainingState? = nil, checkpoint: ((TrainingState) -> Void)? = nil,
                          observer: (TrainingEvent) -> Void = { _ in }) throws(TrainerError) -> TrainingResult {
        guard case .lm = model.spec.output, case .tokens = model.spec.input else {
            throw .invalidSpec("fitStream needs a token-input lm model")
        }
        let chunks = TrainingLoop.streamBatches(stream, streams: options.batchSize, steps: options.bpttSteps)
        if chunks.isEmpty { throw .invalidBatch("a stream of \(stream.count) tokens is too short to train on") }
        for c in chunks { try c.validate(for: model.spec) }
        let held = validation.map { TrainingLoop.streamBatches($0, streams: options.batchSize, steps: options.bpttSteps) }
        for c in held ?? [] { try c.validate(for: model.spec) }
        var state: [LayerState]? = nil
        let tokensPerEpoch = chunks.reduce(0) { $0 + $1.count * $1.steps }
        return try run(
            model, batchesPerEpoch: chunks.count, samplesPerEpoch: tokensPerEpoch, resume: resume,
            checkpoint: checkpoint, observer: observer,
            beginEpoch: { _ in state = nil },
            trainBatch: { k in
                let loss = model.trainStep(chunks[k], initialState: state)
                state = model.finalState()
                return (loss, chunks[k].count * chunks[k].steps)
            },
            validate: held.map { h in { TrainingLoop.evaluateStream(model, batches: h) } })
    }

    // MARK: The epoch loop

    func run(_ model: some TrainableModel, batchesPerEpoch: Int, samplesPerEpoch: Int, resume: TrainingState?,
                     checkpoint: ((TrainingState) -> Void)?, observer: (TrainingEvent) -> Void,
                     beginEpoch: (inout SeededRandom) -> Void,
                     trainBatch: (Int) -> (LossValue, Int),
                     validate: (() -> LossValue)?) throws(TrainerError) -> TrainingResult {
        BLAS.setThreads(options.threads)
        var optimizer = options.makeOptimizer()
        var shuffleRandom = SeededRandom(seed: options.seed ^ 0x5EED_5A1F_0000_0001)
        var globalStep = 0
        var firstEpoch = 0
        var best = (epoch: -1, loss: Double.infinity, parameters: model.snapshot())
        var sinceBest = 0
        var history: [EpochSummary] = []
        let names = model.parameters.map(\.name)
        if let resume {
            if resume.parameterNames != names { throw .stateMismatch("the checkpoint's parameters are not this model's") }
            try model.restore(resume.parameters)
            try optimizer.restore(resume.optimizer, parameters: model.parameters)
            shuffleRandom = resume.shuffleRandom
            model.dropoutRandom = resume.dropoutRandom
            globalStep = resume.globalStep
            firstEpoch = resume.nextEpoch
            if resume.bestEpoch >= 0 {
                if resume.bestParameters.count != names.count { throw .stateMismatch("best parameters do not match the model") }
                best = (resume.bestEpoch, resume.bestLoss, resume.bestParameters)
            }
            sinceBest = resume.epochsWithoutImprovement
            history = resume.history
        }
        let totalSteps = options.epochs * batchesPerEpoch
        observer(.started(epochs: options.epochs, batchesPerEpoch: batchesPerEpoch, samples: samplesPerEpoch,
                          resumedAtEpoch: firstEpoch))
        let clock = ContinuousClock()
        var stoppedEarly = false
        var epoch = firstEpoch
        while epoch < options.epochs && !stoppedEarly {
            let started = clock.now
            beginEpoch(&shuffleRandom)
            var totals = Accumulator()
            var samples = 0
            var rate = options.learningRate
            for k in 0..<batchesPerEpoch {
                rate = options.schedule.rate(base: options.learningRate, step: globalStep, totalSteps: totalSteps, epoch: epoch)
                let (loss, n) = trainBatch(k)
                if let c = options.clipNorm { GradientClipping.clip(model.parameters, maxNorm: c) }
                optimizer.learningRate = rate
                optimizer.step(model.parameters)
                globalStep += 1
                totals.add(loss)
                samples += n
                if (k + 1) % options.reportEvery == 0 || k + 1 == batchesPerEpoch {
                    let seconds = TrainingLoop.seconds(clock.now - started)
                    let perBatch = seconds / Double(k + 1)
                    let remaining = Double(batchesPerEpoch - k - 1 + (options.epochs - epoch - 1) * batchesPerEpoch)
                    observer(.batch(BatchProgress(
                        epoch: epoch, batch: k, batches: batchesPerEpoch, loss: totals.meanLoss, metric: totals.meanMetric,
                        learningRate: rate, samplesPerSecond: seconds > 0 ? Double(samples) / seconds : 0,
                        etaSeconds: perBatch * remaining)))
                }
            }
            let held = validate?()
            let monitored = held?.loss ?? totals.meanLoss
            let improved = monitored < best.loss
            if improved {
                best = (epoch, monitored, model.snapshot())
                sinceBest = 0
            } else {
                sinceBest += 1
            }
            let summary = EpochSummary(
                epoch: epoch, trainLoss: totals.meanLoss, trainMetric: totals.meanMetric,
                validationLoss: held?.loss, validationMetric: held.map { $0.weight > 0 ? $0.metricSum / $0.weight : 0 },
                learningRate: rate, seconds: TrainingLoop.seconds(clock.now - started), improved: improved)
            history.append(summary)
            observer(.epoch(summary))
            if let p = options.patience, sinceBest >= p, epoch + 1 < options.epochs {
                stoppedEarly = true
                observer(.stoppedEarly(epoch: epoch, bestEpoch: best.epoch))
            }
            epoch += 1
            if let checkpoint {
                checkpoint(TrainingState(
                    nextEpoch: stoppedEarly ? options.epochs : epoch, globalStep: globalStep,
                    shuffleRandom: shuffleRandom, dropoutRandom: model.dropoutRandom, optimizer: optimizer.state,
                    parameters: model.snapshot(), bestParameters: best.parameters, bestEpoch: best.epoch,
                    bestLoss: best.loss, epochsWithoutImprovement: sinceBest, history: history, parameterNames: names))
            }
        }
        if best.epoch >= 0 { try model.restore(best.parameters) }
        let result = TrainingResult(history: history, bestEpoch: best.epoch, bestLoss: best.loss, stoppedEarly: stoppedEarly)
        observer(.finished(result))
        return result
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
