extension TrainingLoop {
    /// Trains on sequences of different lengths kept in buckets of one length each (`--segments`):
    /// every epoch shuffles each bucket, cuts it into minibatches of `options.batchSize`, and
    /// visits all minibatches in a shuffled order. No padding: each sequence is seen exactly as
    /// the Runtime sees a segment (state from zero, the result after its last frame).
    ///
    /// - Parameters:
    ///   - buckets: the training sequences, one `Batch` per length.
    ///   - validation: held-out buckets; early stopping and the best model follow their loss.
    ///   - augment: changes each training minibatch before its step, as in `fit`.
    /// - Returns: the history; the model ends holding the best epoch's parameters.
    @discardableResult
    public func fitBuckets(_ model: SequenceModel, train buckets: [Batch], validation: [Batch]? = nil,
                           resume: TrainingState? = nil, checkpoint: ((TrainingState) -> Void)? = nil,
                           augment: Augment? = nil, observer: (TrainingEvent) -> Void = { _ in }) throws(TrainerError) -> TrainingResult {
        if buckets.isEmpty { throw .invalidBatch("no training sequences") }
        for b in buckets + (validation ?? []) { try b.validate(for: model.spec) }
        let batchSize = options.batchSize
        let perBucket = buckets.map { ($0.count + batchSize - 1) / batchSize }
        var plan: [(bucket: Int, indices: ArraySlice<Int>)] = []
        var augmentSeed: UInt64 = 0
        return try run(
            model, batchesPerEpoch: perBucket.reduce(0, +), samplesPerEpoch: buckets.reduce(0) { $0 + $1.count },
            resume: resume, checkpoint: checkpoint, observer: observer,
            beginEpoch: { random in
                plan = []
                for (b, bucket) in buckets.enumerated() {
                    let order = self.options.shuffle ? TrainingLoop.shuffled(0..<bucket.count, &random) : Array(0..<bucket.count)
                    for k in 0..<perBucket[b] { plan.append((b, order[(k * batchSize)..<min((k + 1) * batchSize, bucket.count)])) }
                }
                if self.options.shuffle {
                    plan = TrainingLoop.shuffled(plan.indices, &random).map { plan[$0] }
                }
                if augment != nil { augmentSeed = random.next() }
            },
            trainBatch: { k in
                let step = plan[k]
                var batch = buckets[step.bucket].select(step.indices)
                if let augment { batch = TrainingLoop.augmented(batch, augment, seed: augmentSeed, index: k) }
                return (model.trainStep(batch), step.indices.count)
            },
            validate: validation.map { v in
                {
                    var total = Accumulator()
                    for bucket in v { total.add(TrainingLoop.evaluate(model, on: bucket, batchSize: batchSize)) }
                    return total.value
                }
            })
    }
}
