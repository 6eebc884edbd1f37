import Foundation

/// Corpus BLEU-4 on token sequences, as sacrebleu computes it with `--tokenize none`, one
/// reference per hypothesis, no smoothing.
///
/// Papineni et al. (2002): for n = 1…4 the clipped n-gram matches and the hypothesis n-gram counts
/// are summed over the whole corpus first, then
///
///     p_n  = matches_n / total_n
///     BP   = 1                     if c ≥ r
///            exp(1 − r / c)        if 0 < c < r        (c, r: total hypothesis / reference tokens)
///            0                     if c = 0
///     BLEU = 100 · BP · exp((ln p_1 + ln p_2 + ln p_3 + ln p_4) / 4)
///
/// and BLEU is 0 when any p_n is 0 (or no hypothesis has n tokens). "Clipped" means an n-gram
/// counts as matched at most as often as it occurs in the reference.
public struct BLEU: Sendable, Equatable {
    /// Clipped matches and hypothesis n-grams for n = 1…4 (index n − 1).
    public var matches: [Int]
    public var totals: [Int]
    /// c and r.
    public var hypothesisLength: Int
    public var referenceLength: Int

    /// Scores `hypotheses[i]` against `references[i]`.
    public init(hypotheses: [[String]], references: [[String]]) {
        precondition(hypotheses.count == references.count, "BLEU needs one reference per hypothesis")
        matches = [0, 0, 0, 0]
        totals = [0, 0, 0, 0]
        hypothesisLength = 0
        referenceLength = 0
        for (hypothesis, reference) in zip(hypotheses, references) {
            hypothesisLength += hypothesis.count
            referenceLength += reference.count
            for n in 1...4 {
                let hypothesisCounts = Self.ngrams(hypothesis, n)
                let referenceCounts = Self.ngrams(reference, n)
                for (gram, count) in hypothesisCounts {
                    matches[n - 1] += min(count, referenceCounts[gram] ?? 0)
                }
                totals[n - 1] += max(0, hypothesis.count - n + 1)
            }
        }
    }

    /// The n-gram precisions p_n in percent (0 where there are no n-grams).
    public var precisions: [Double] {
        (0..<4).map { totals[$0] > 0 ? 100 * Double(matches[$0]) / Double(totals[$0]) : 0 }
    }

    /// The brevity penalty BP.
    public var brevityPenalty: Double {
        if hypothesisLength >= referenceLength { return 1 }
        if hypothesisLength == 0 { return 0 }
        return exp(1 - Double(referenceLength) / Double(hypothesisLength))
    }

    /// BLEU in 0…100.
    public var score: Double {
        if matches.contains(0) { return 0 }
        // The geometric mean of the four precisions (in [0, 1]).
        let logMean = (0..<4).map { log(Double(matches[$0]) / Double(totals[$0])) }.reduce(0, +) / 4
        return 100 * brevityPenalty * exp(logMean)
    }

    /// How often each n-gram of `tokens` occurs.
    static func ngrams(_ tokens: [String], _ n: Int) -> [ArraySlice<String>: Int] {
        var counts: [ArraySlice<String>: Int] = [:]
        if tokens.count >= n {
            for start in 0...(tokens.count - n) {
                counts[tokens[start..<(start + n)], default: 0] += 1
            }
        }
        return counts
    }
}
