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
        if width < 1 || width > beamWidth { throw .badBeamWidth(width: width, maximum: beamWidth) }
        if best < 1 || best > width { throw .badBeamWidth(width: best, maximum: width) }
        try encode(source)
        startHypotheses()
        let maxTarget = configuration.targetMaxLength
        let end = Int32(configuration.targetEnd)
        var live = 1
        var finished = 0
        var length = 0  // tokens in every live history
        while length < maxTarget && live > 0 && finished < width {
            try step(live: live)
            let selected = selectCandidates(live: live, width: width - finished)
            let t = length + 1
            var kept = 0
            for i in 0..<selected {
                let parent = Int(candidateParents[i])
                if candidateTokens[i] == end {
                    // A finished hypothesis: the parent's tokens, scored over t (EOS counted).
                    let slot = finished
                    (finishedTokens + slot * maxTarget).update(from: histories + parent * maxTarget, count: length)
                    finishedLengths[slot] = Int32(length)
                    finishedLogP[slot] = candidateScores[i]
                    finishedScores[slot] = candidateScores[i] / LogMath.lengthPenalty(t, alpha: alpha)
                    finished += 1
                } else {
                    moveHypothesis(from: parent, to: kept, appending: candidateTokens[i], length: length)
                    spareLogP[kept] = candidateScores[i]
                    kept += 1
                }
            }
            swapBeams(live: kept)
            live = kept
            length = t
        }
        return results(finished: finished, live: live, length: length, alpha: alpha, best: best)
    }

    /// The `width` best (slot, token) extensions of slots 0..<live by total
    /// log-probability into `candidate*`, best first; returns how many.
    private func selectCandidates(live: Int, width: Int) -> Int {
        var count = 0
        for b in 0..<live {
            let base = liveLogP[b]
            let logP = logits.floats + b * vocabularySize
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

    /// Copies slot `from`'s decoder states, h̃ and history (+ `token`) into spare slot `to`.
    private func moveHypothesis(from parent: Int, to slot: Int, appending token: Int32, length: Int) {
        for l in 0..<states.count {
            let floats = decoderStateFloats[l]
            (spareStates[l].floats + slot * floats).update(from: states[l].floats + parent * floats, count: floats)
        }
        (spareAttentional.floats + slot * combineSize)
            .update(from: attentional.floats + parent * combineSize, count: combineSize)
        let maxTarget = configuration.targetMaxLength
        let history = spareHistories + slot * maxTarget
        history.update(from: histories + parent * maxTarget, count: length)
        history[length] = token
        lastTokens[slot] = token
    }

    /// The spare buffers (the reordered beam) become the live ones.
    private func swapBeams(live: Int) {
        swap(&states, &spareStates)
        swap(&attentional, &spareAttentional)
        swap(&histories, &spareHistories)
        liveLogP.update(from: spareLogP, count: live)
    }

    /// Finished hypotheses by score, then (when fewer than `best`) live ones by score.
    private func results(finished: Int, live: Int, length: Int, alpha: Float, best: Int) -> [Translation] {
        let maxTarget = configuration.targetMaxLength
        var ranked: [Translation] = []
        for slot in 0..<finished {
            let tokens = Array(UnsafeBufferPointer(start: finishedTokens + slot * maxTarget, count: Int(finishedLengths[slot])))
            ranked.append(Translation(
                tokens: tokens, finished: true, logProbability: finishedLogP[slot], score: finishedScores[slot]))
        }
        // A stable sort by score, best first (insertion: few entries).
        ranked = Self.stableSortedByScore(ranked)
        if ranked.count < best {
            var unfinished: [Translation] = []
            let penalty = LogMath.lengthPenalty(length, alpha: alpha)
            for slot in 0..<live {
                let tokens = Array(UnsafeBufferPointer(start: histories + slot * maxTarget, count: length))
                unfinished.append(Translation(
                    tokens: tokens, finished: false, logProbability: liveLogP[slot], score: liveLogP[slot] / penalty))
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
