import CRuntime

/// Picks a token from `count` logits: the arg-max, or a draw from `softmax(values /
/// temperature)` over the top-k values — the one rule of lm sessions, classifiers and
/// seq2seq translators.
enum TokenSampler {
    /// Index of the largest value other than `excluded` (-1: none), the first one on ties;
    /// NaN never wins over an earlier value. `count` must leave at least one candidate.
    static func argmax(_ values: UnsafePointer<Float>, count: Int, excluding excluded: Int = -1) -> Int {
        var best = excluded == 0 ? 1 : 0
        for i in best..<count where i != excluded && values[i] > values[best] { best = i }
        return best
    }

    /// Deterministic for a given generator state on every machine: the candidates are
    /// every token in id order, or with top-k the k largest values in descending order
    /// (lower id first on ties); one uniform draw `u` in [0, 1) picks the first candidate
    /// whose cumulative probability exceeds `u`. Needs `temperature` > 0. Allocates nothing.
    ///
    /// - Parameters:
    ///   - values: `count` logits (or log-probabilities).
    ///   - excluded: a token that is never a candidate (-1: none); the caller keeps at
    ///     least one other.
    ///   - ids, probabilities: scratch of `count` entries each.
    static func sample(
        _ values: UnsafePointer<Float>, count vocabulary: Int, temperature: Float, topK: Int, excluding excluded: Int,
        ids: UnsafeMutablePointer<Int32>, probabilities: UnsafeMutablePointer<Float>,
        using generator: inout RecurRandom
    ) -> Int {
        var count = 0
        if topK <= 0 || topK >= vocabulary {
            for i in 0..<vocabulary where i != excluded {
                ids[count] = Int32(i)
                count += 1
            }
        } else {
            // Insertion into ids[0..<count], sorted by value descending; an equal
            // value goes after the ones already there (lower ids first).
            for i in 0..<vocabulary where i != excluded {
                let value = values[i]
                if count == topK && !(value > values[Int(ids[count - 1])]) { continue }
                var position = count == topK ? count - 1 : count
                while position > 0 && value > values[Int(ids[position - 1])] {
                    ids[position] = ids[position - 1]
                    position -= 1
                }
                ids[position] = Int32(i)
                if count < topK { count += 1 }
            }
        }
        // p_j = exp(v_j / T - max) / Σ exp(v_k / T - max) over the candidates.
        for j in 0..<count { probabilities[j] = values[Int(ids[j])] / temperature }
        rc_softmax(probabilities, count)
        let u = generator.nextUnitFloat()
        var cumulative: Float = 0
        for j in 0..<count {
            cumulative += probabilities[j]
            if u < cumulative { return Int(ids[j]) }
        }
        return Int(ids[count - 1])
    }
}
