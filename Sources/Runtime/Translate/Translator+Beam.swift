extension Translator {
    /// Beam search of width `width` (≤ `beamWidth`): the `best` highest-scoring
    /// hypotheses, best first.
    ///
    /// The beam has `width` slots, and a finished hypothesis keeps its slot. At each
    /// step every live hypothesis is extended by every target token; the
    /// `width − finished` extensions with the highest total log-probability are kept
    /// (ties: the earlier slot, then the lower token id). An extension that ends in EOS
    /// is finished, scored `logP / length^alpha` with `length` counting the EOS; the
    /// others stay live. So the beam shrinks as hypotheses finish (the trainer's
    /// `Seq2SeqModel.beamHypotheses` follows the same rule). The search stops when
    /// `width` hypotheses have finished, none is live, or after
    /// `recur.target.max_length` steps. The finished
    /// hypotheses are returned by score (ties: the one finished first); when fewer
    /// than `best` finished, the best live ones follow (scored over their tokens).
    /// Width 1 is exactly `greedy`.
    ///
    /// - Parameters:
    ///   - alpha: the length normalization exponent (0: raw log-probability; 1: per token).
    ///   - best: how many hypotheses to return (1...width).
    /// - Throws: `badBeamWidth` for a width outside 1...beamWidth or `best` outside
    ///   1...width; what `greedy` throws for the source.
    public func beam(_ source: [Int32], width: Int, alpha: Float = 1, best: Int = 1) throws(RecurError) -> [Translation] {
        try beam(.tokens(source), width: width, alpha: alpha, best: best)
    }

    func beam(_ input: Input, width: Int, alpha: Float, best: Int) throws(RecurError) -> [Translation] {
        if width < 1 || width > beamWidth { throw .badBeamWidth(width: width, maximum: beamWidth) }
        if best < 1 || best > width { throw .badBeamWidth(width: best, maximum: width) }
        try start(input)
        let h = hypotheses
        let maxTarget = configuration.targetMaxLength
        let end = Int32(configuration.targetEnd)
        var live = 1
        var finished = 0
        var length = 0  // tokens in every live history
        while length < maxTarget && live > 0 && finished < width {
            try decoder.step(live: live, lastTokens: h.lastTokens)
            let selected = selectCandidates(live: live, width: width - finished)
            let t = length + 1
            var kept = 0
            for i in 0..<selected {
                let parent = Int(h.candidateParents[i])
                if h.candidateTokens[i] == end {
                    // A finished hypothesis: the parent's tokens, scored over t (EOS counted).
                    let slot = finished
                    (h.finishedTokens + slot * maxTarget).update(from: h.history(parent), count: length)
                    h.finishedLengths[slot] = Int32(length)
                    h.finishedLogP[slot] = h.candidateScores[i]
                    h.finishedScores[slot] = h.candidateScores[i] / LogMath.lengthPenalty(t, alpha: alpha)
                    finished += 1
                } else {
                    h.moveHypothesis(from: parent, to: kept, appending: h.candidateTokens[i], length: length)
                    decoder.moveSlot(from: parent, to: kept)
                    h.spareLogP[kept] = h.candidateScores[i]
                    kept += 1
                }
            }
            h.swapSlots(live: kept)
            decoder.swapSlots()
            live = kept
            length = t
        }
        return results(finished: finished, live: live, length: length, alpha: alpha, best: best)
    }

    /// The `width` best (slot, token) extensions of slots 0..<live by total
    /// log-probability into `candidate*`, best first; returns how many.
    private func selectCandidates(live: Int, width: Int) -> Int {
        let h = hypotheses
        let candidateScores = h.candidateScores
        let candidateParents = h.candidateParents
        let candidateTokens = h.candidateTokens
        var count = 0
        for b in 0..<live {
            let base = h.liveLogP[b]
            let logP = decoder.logProbabilities(slot: b)
            for v in 0..<vocabularySize {
                let total = base + logP[v]
                if count == width && !(total > candidateScores[count - 1]) { continue }
                // Insertion into the sorted list; an equal total goes after those already there.
                var position = count == width ? count - 1 : count
                while position > 0 && total > candidateScores[position - 1] {
                    candidateScores[position] = candidateScores[position - 1]
                    candidateParents[position] = candidateParents[position - 1]
                    candidateTokens[position] = candidateTokens[position - 1]
                    position -= 1
                }
                candidateScores[position] = total
                candidateParents[position] = Int32(b)
                candidateTokens[position] = Int32(v)
                if count < width { count += 1 }
            }
        }
        return count
    }

    /// Finished hypotheses by score, then (when fewer than `best`) live ones by score.
    private func results(finished: Int, live: Int, length: Int, alpha: Float, best: Int) -> [Translation] {
        let h = hypotheses
        let maxTarget = configuration.targetMaxLength
        var ranked: [Translation] = []
        for slot in 0..<finished {
            let tokens = Array(UnsafeBufferPointer(start: h.finishedTokens + slot * maxTarget, count: Int(h.finishedLengths[slot])))
            ranked.append(Translation(
                tokens: tokens, finished: true, logProbability: h.finishedLogP[slot], score: h.finishedScores[slot]))
        }
        // A stable sort by score, best first (insertion: few entries).
        ranked = Self.stableSortedByScore(ranked)
        if ranked.count < best {
            var unfinished: [Translation] = []
            let penalty = LogMath.lengthPenalty(length, alpha: alpha)
            for slot in 0..<live {
                let tokens = Array(UnsafeBufferPointer(start: h.history(slot), count: length))
                unfinished.append(Translation(
                    tokens: tokens, finished: false, logProbability: h.liveLogP[slot], score: h.liveLogP[slot] / penalty))
            }
            ranked += Self.stableSortedByScore(unfinished)
        }
        return Array(ranked.prefix(best))
    }

    /// Sorted by score, highest first; equal scores (and NaN) keep their order.
    static func stableSortedByScore(_ items: [Translation]) -> [Translation] {
        var sorted: [Translation] = []
        for item in items {
            var position = sorted.count
            while position > 0 && item.score > sorted[position - 1].score { position -= 1 }
            sorted.insert(item, at: position)
        }
        return sorted
    }
}
