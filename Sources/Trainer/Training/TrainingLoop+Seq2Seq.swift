extension TrainingLoop {
    /// Mean loss and token accuracy of `model` over `batches`, no dropout.
    public static func evaluate(_ model: Seq2SeqModel, on batches: [Seq2SeqBatch]) -> LossValue {
        var total = Accumulator()
        for b in batches { total.add(model.evaluate(b)) }
        return total.value
    }

    /// Trains an encoder–decoder on pre-bucketed minibatches (the caller groups pairs of similar
    /// length; `options.batchSize` does not apply). Each epoch visits every batch once, in an
    /// order shuffled by the loop's seeded generator (`options.shuffle`); Adam/SGD, clipping, the
    /// schedule, patience on the validation loss, checkpoints and events work as in `fit`.
    ///
    /// - Parameters:
    ///   - train: the training batches; each is validated against the model once here.
    ///   - validation: held-out batches; early stopping and the best model follow their loss.
    ///   - resume: a state from `checkpoint` of an earlier run with the same options and batches.
    ///   - checkpoint: called after every epoch with the state to save.
    ///   - observer: receives `TrainingEvent`s (samples = pairs).
    /// - Returns: the history; the model ends holding the best epoch's parameters.
    /// - Throws: `TrainerError.invalidBatch` naming the batch that does not fit the model.
    @discardableResult
    public func fitSeq2Seq(_ model: Seq2SeqModel, train: [Seq2SeqBatch], validation: [Seq2SeqBatch]? = nil,
                           resume: TrainingState? = nil, checkpoint: ((TrainingState) -> Void)? = nil,
                           observer: (TrainingEvent) -> Void = { _ in }) throws(TrainerError) -> TrainingResult {
        if train.isEmpty { throw .invalidBatch("no training batches") }
        for (k, b) in train.enumerated() {
            do { try b.validate(for: model.spec) } catch { throw .invalidBatch("training batch \(k): \(error)") }
        }
        for (k, b) in (validation ?? []).enumerated() {
            do { try b.validate(for: model.spec) } catch { throw .invalidBatch("validation batch \(k): \(error)") }
        }
        var order = Array(train.indices)
        return try run(
            model, batchesPerEpoch: train.count, samplesPerEpoch: train.reduce(0) { $0 + $1.count },
            resume: resume, checkpoint: checkpoint, observer: observer,
            beginEpoch: { random in
                order = self.options.shuffle ? TrainingLoop.shuffled(train.indices, &random) : Array(train.indices)
            },
            trainBatch: { k in
                let batch = train[order[k]]
                return (model.trainStep(batch), batch.count)
            },
            validate: validation.map { v in { TrainingLoop.evaluate(model, on: v) } })
    }
}
