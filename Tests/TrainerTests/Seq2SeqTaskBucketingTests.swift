import Testing
import Trainer

/// Length bucketing: every example lands in exactly one batch, padded with 0 up to the batch's
/// longest pair, with BOS/EOS placed and lengths recorded; batches group similar lengths.
@Suite struct Seq2SeqTaskBucketingTests {
    /// Examples whose ids encode their own index, lengths 1…maxLength.
    func examples(_ count: Int, seed: UInt64) -> [Seq2SeqExample] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            let n = 1 + Int(random.next() % 12), m = 1 + Int(random.next() % 9)
            return Seq2SeqExample(source: (0..<n).map { _ in Int32(3 + index % 50) },
                                  target: (0..<m).map { _ in Int32(3 + index % 40) }, reference: [])
        }
    }

    @Test("a batch pads with 0, puts BOS before and EOS after the target, and records the lengths")
    func oneBatch() {
        let batch = Seq2SeqBucketing.batch([
            Seq2SeqExample(source: [5, 6, 7], target: [8], reference: []),
            Seq2SeqExample(source: [9], target: [10, 11, 12], reference: []),
        ], bos: 1, eos: 2)
        #expect(batch.count == 2 && batch.sourceSteps == 3 && batch.targetSteps == 4)
        #expect(batch.source == [5, 6, 7, 9, 0, 0])
        #expect(batch.sourceLengths == [3, 1])
        #expect(batch.targetInput == [1, 8, 0, 0, 1, 10, 11, 12])
        #expect(batch.targetOutput == [8, 2, 0, 0, 10, 11, 12, 2])
        #expect(batch.targetLengths == [2, 4])
    }

    @Test("every example is in exactly one batch; batches are sorted runs of a chunk; seeded")
    func bucketing() {
        let all = examples(1_000, seed: 9)
        var random = SeededRandom(seed: 4)
        let batches = Seq2SeqBucketing.batches(all, batchSize: 16, bos: 1, eos: 2, chunkBatches: 8, random: &random)
        #expect(batches.count == 1_000 / 16 + 1)
        #expect(batches.allSatisfy { $0.count <= 16 })
        // Rebuild each pair from its batch and compare the multiset with the input.
        var seen: [[Int32]: Int] = [:]
        var padding = 0, cells = 0
        for batch in batches {
            for b in 0..<batch.count {
                let n = batch.sourceLengths[b], m = batch.targetLengths[b]
                let row = Array(batch.source[(b * batch.sourceSteps)..<(b * batch.sourceSteps + n)])
                #expect(batch.source[(b * batch.sourceSteps + n)..<((b + 1) * batch.sourceSteps)].allSatisfy { $0 == 0 })
                #expect(batch.targetOutput[b * batch.targetSteps + m - 1] == 2, "EOS ends the target")
                #expect(batch.targetInput[b * batch.targetSteps] == 1, "BOS starts the decoder input")
                let target = Array(batch.targetOutput[(b * batch.targetSteps)..<(b * batch.targetSteps + m - 1)])
                seen[row + [-1] + target, default: 0] += 1
                padding += batch.sourceSteps - n
                cells += batch.sourceSteps
            }
            // Sorted within the batch by source length.
            #expect(batch.sourceLengths == batch.sourceLengths.sorted())
        }
        var expected: [[Int32]: Int] = [:]
        for example in all { expected[example.source + [-1] + example.target, default: 0] += 1 }
        #expect(seen == expected)
        // Bucketing keeps source padding well under what random batches of lengths 1…12 would have (~40%).
        #expect(Double(padding) / Double(cells) < 0.15, "padding fraction \(Double(padding) / Double(cells))")
        var again = SeededRandom(seed: 4)
        let repeated = Seq2SeqBucketing.batches(all, batchSize: 16, bos: 1, eos: 2, chunkBatches: 8, random: &again)
        #expect(repeated.map(\.source) == batches.map(\.source))
    }
}
