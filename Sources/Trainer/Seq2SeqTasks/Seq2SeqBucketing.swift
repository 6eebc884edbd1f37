/// Length bucketing: seq2seq examples → padded `Seq2SeqBatch`es with little padding.
///
/// The examples are shuffled, cut into chunks of `batchSize × chunkBatches`, each chunk is sorted
/// by (source length, target length) and cut into batches, and the batch order is shuffled again.
/// Pairs in a batch then have similar lengths (less padding, less wasted work) while every epoch
/// still mixes lengths and the chunks keep the batches from being sorted across the whole corpus.
public enum Seq2SeqBucketing {
    /// Training batches of at most `batchSize` pairs, seeded by `random`.
    public static func batches(_ examples: [Seq2SeqExample], batchSize: Int, bos: Int32, eos: Int32,
                               chunkBatches: Int = 32, random: inout SeededRandom) -> [Seq2SeqBatch] {
        precondition(batchSize >= 1 && chunkBatches >= 1, "batch size and chunk size must be positive")
        let order = TrainingLoop.shuffled(0..<examples.count, &random)
        var result: [Seq2SeqBatch] = []
        let chunkSize = batchSize * chunkBatches
        var chunkStart = 0
        while chunkStart < order.count {
            let chunk = order[chunkStart..<min(chunkStart + chunkSize, order.count)].sorted { a, b in
                let (x, y) = (examples[a], examples[b])
                if x.source.count != y.source.count { return x.source.count < y.source.count }
                if x.target.count != y.target.count { return x.target.count < y.target.count }
                return a < b
            }
            var start = 0
            while start < chunk.count {
                let end = min(start + batchSize, chunk.count)
                result.append(batch(chunk[start..<end].map { examples[$0] }, bos: bos, eos: eos))
                start = end
            }
            chunkStart += chunkSize
        }
        let batchOrder = TrainingLoop.shuffled(0..<result.count, &random)
        return batchOrder.map { result[$0] }
    }

    /// One padded batch of `examples` (in this order): source ids, then BOS + target as the decoder
    /// input and target + EOS as the expected output; pads are 0.
    public static func batch(_ examples: [Seq2SeqExample], bos: Int32, eos: Int32) -> Seq2SeqBatch {
        precondition(!examples.isEmpty, "a batch needs at least one pair")
        let sourceSteps = examples.map(\.source.count).max() ?? 1
        // (count, sourceSteps), zero-padded.
        var source = [Int32](repeating: 0, count: examples.count * sourceSteps)
        for (b, example) in examples.enumerated() {
            for (j, id) in example.source.enumerated() { source[b * sourceSteps + j] = id }
        }
        let target = targets(examples.map(\.target), bos: bos, eos: eos)
        return Seq2SeqBatch(count: examples.count, sourceSteps: sourceSteps, targetSteps: target.steps,
                            source: source, sourceLengths: examples.map(\.source.count),
                            targetInput: target.input, targetOutput: target.output, targetLengths: target.lengths)
    }

    /// The target side of a batch: (count, steps) BOS + target as the decoder input, target + EOS
    /// as the expected output, zero-padded; steps = the longest target + 1; lengths count EOS.
    public static func targets(_ targets: [[Int32]], bos: Int32, eos: Int32)
        -> (steps: Int, input: [Int32], output: [Int32], lengths: [Int]) {
        // m = target tokens + EOS.
        let steps = (targets.map(\.count).max() ?? 0) + 1
        var input = [Int32](repeating: 0, count: targets.count * steps)
        var output = [Int32](repeating: 0, count: targets.count * steps)
        for (b, target) in targets.enumerated() {
            input[b * steps] = bos
            for (t, id) in target.enumerated() {
                input[b * steps + t + 1] = id
                output[b * steps + t] = id
            }
            output[b * steps + target.count] = eos
        }
        return (steps, input, output, targets.map { $0.count + 1 })
    }
}
