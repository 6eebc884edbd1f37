import Testing
import Trainer

/// Corpus BLEU-4 on hand-computed cases; scripts/check-bleu compares it with sacrebleu on real output.
@Suite struct BLEUTests {
    func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

    @Test("a perfect corpus scores 100")
    func perfect() {
        let corpus = [words("el gato es grande ."), words("¿ dónde está mi llave ?")]
        let bleu = BLEU(hypotheses: corpus, references: corpus)
        #expect(abs(bleu.score - 100) < 1e-9)
        #expect(bleu.brevityPenalty == 1)
        #expect(bleu.precisions == [100, 100, 100, 100])
    }

    @Test("no matching 4-gram gives 0 even when the unigrams match")
    func noFourGram() {
        // One word inserted in the middle: 3-grams "a b c" and "d e f" still match, no 4-gram does.
        let bleu = BLEU(hypotheses: [words("a b c x d e f")], references: [words("a b c d e f")])
        #expect(bleu.matches[3] == 0)
        #expect(bleu.matches[0] == 6 && bleu.matches[2] == 2)
        #expect(bleu.score == 0)
        // A hypothesis shorter than four tokens has no 4-grams at all: also 0.
        #expect(BLEU(hypotheses: [words("a b c")], references: [words("a b c")]).score == 0)
    }

    @Test("brevity penalty exp(1 − r/c) when the corpus hypothesis is shorter")
    func brevity() {
        // All precisions 1; c = 5, r = 7: BLEU = 100 · exp(1 − 7/5) = 67.0320046…
        let bleu = BLEU(hypotheses: [words("a b c d e")], references: [words("a b c d e f g")])
        #expect(abs(bleu.brevityPenalty - 0.670320046035639) < 1e-12)
        #expect(abs(bleu.score - 67.0320046035639) < 1e-9)
        // Longer than the reference: no penalty (precision pays instead).
        #expect(BLEU(hypotheses: [words("a b c d e f")], references: [words("a b c d e")]).brevityPenalty == 1)
        // Empty hypotheses: BP 0, BLEU 0.
        #expect(BLEU(hypotheses: [[]], references: [words("a b")]).score == 0)
    }

    @Test("matches are clipped by the reference counts (Papineni's 'the the the …' example)")
    func clipping() {
        let bleu = BLEU(hypotheses: [words("the the the the the the the")], references: [words("the cat is on the mat")])
        #expect(bleu.matches[0] == 2)
        #expect(bleu.totals[0] == 7)
        #expect(abs(bleu.precisions[0] - 200.0 / 7) < 1e-9)
    }

    @Test("counts are summed over the corpus before the geometric mean")
    func corpusLevel() {
        // Sentence 2 alone has no 3- or 4-grams (BLEU 0 by itself) but the corpus score is
        // 100 · (5/6 · 3/4 · 2/2 · 1/1)^(1/4) = 100 · 0.625^0.25 = 88.9139705…
        let bleu = BLEU(hypotheses: [words("a b c d"), words("x y")], references: [words("a b c d"), words("x z")])
        #expect(bleu.matches == [5, 3, 2, 1])
        #expect(bleu.totals == [6, 4, 2, 1])
        #expect(abs(bleu.score - 88.91397050194614) < 1e-9)
    }

    @Test("exact match counts whole-sequence equality")
    func exactMatch() {
        let hypotheses = [["678"], ["1", "0"], []]
        let references = [["678"], ["10"], ["5"]]
        #expect(abs(ExactMatch.accuracy(hypotheses: hypotheses, references: references) - 1.0 / 3) < 1e-12)
        #expect(ExactMatch.accuracy(hypotheses: [], references: []) == 0)
    }
}
