/// The token side of decoding: for each of `slots` hypothesis slots its token history, last
/// token and log-probability (with a spare set that a beam reorders into), the step's best
/// candidates, the finished hypotheses, and the sampling scratch.
///
/// All memory is allocated when a `Translator` is made; nothing here allocates afterwards.
final class Hypotheses {
    let slots: Int
    /// Tokens per history: `recur.target.max_length`.
    let maxLength: Int

    /// (slots, maxLength) token histories and their spare.
    private(set) var histories: UnsafeMutablePointer<Int32>
    private(set) var spareHistories: UnsafeMutablePointer<Int32>
    /// Per slot: the total log-probability, and the spare the reordered beam writes.
    let liveLogP: UnsafeMutablePointer<Float>
    let spareLogP: UnsafeMutablePointer<Float>
    /// Per slot: the token the next decoder step is fed.
    let lastTokens: UnsafeMutablePointer<Int32>
    /// The step's best candidates (slots): total log-probability, parent slot, token.
    let candidateScores: UnsafeMutablePointer<Float>
    let candidateParents: UnsafeMutablePointer<Int32>
    let candidateTokens: UnsafeMutablePointer<Int32>
    /// Finished hypotheses (at most `slots`: each keeps its beam slot): tokens
    /// (slots, maxLength), lengths, log-probabilities, scores.
    let finishedTokens: UnsafeMutablePointer<Int32>
    let finishedLengths: UnsafeMutablePointer<Int32>
    let finishedLogP: UnsafeMutablePointer<Float>
    let finishedScores: UnsafeMutablePointer<Float>
    /// Sampling scratch: V candidate ids and probabilities.
    let sampleIDs: UnsafeMutablePointer<Int32>
    let sampleProbabilities: AlignedBuffer

    init(slots: Int, maxLength: Int, vocabularySize: Int) {
        self.slots = slots
        self.maxLength = maxLength
        histories = Self.allocate(slots * maxLength)
        spareHistories = Self.allocate(slots * maxLength)
        liveLogP = Self.allocate(slots)
        spareLogP = Self.allocate(slots)
        lastTokens = Self.allocate(slots)
        candidateScores = Self.allocate(slots)
        candidateParents = Self.allocate(slots)
        candidateTokens = Self.allocate(slots)
        finishedTokens = Self.allocate(slots * maxLength)
        finishedLengths = Self.allocate(slots)
        finishedLogP = Self.allocate(slots)
        finishedScores = Self.allocate(slots)
        sampleIDs = Self.allocate(vocabularySize)
        sampleProbabilities = AlignedBuffer(floats: vocabularySize)
    }

    deinit {
        for pointer in [histories, spareHistories, lastTokens, candidateParents, candidateTokens, finishedTokens,
                        finishedLengths, sampleIDs] {
            pointer.deallocate()
        }
        for pointer in [liveLogP, spareLogP, candidateScores, finishedLogP, finishedScores] {
            pointer.deallocate()
        }
    }

    /// `count` zeroed values (at least one).
    private static func allocate<T: FixedWidthInteger>(_ count: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        return pointer
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        return pointer
    }

    /// Slot 0 holds the start: `begin` to feed, log-probability 0.
    func start(begin: Int32) {
        lastTokens[0] = begin
        liveLogP[0] = 0
    }

    /// Slot `slot`'s history (`maxLength` tokens of room).
    func history(_ slot: Int) -> UnsafeMutablePointer<Int32> {
        histories + slot * maxLength
    }

    /// Copies slot `parent`'s history (`length` tokens) plus `token` into spare slot `slot`,
    /// which is fed `token` next.
    func moveHypothesis(from parent: Int, to slot: Int, appending token: Int32, length: Int) {
        let history = spareHistories + slot * maxLength
        history.update(from: histories + parent * maxLength, count: length)
        history[length] = token
        lastTokens[slot] = token
    }

    /// The spare histories and log-probabilities (the reordered beam's `live` slots) become
    /// the live ones.
    func swapSlots(live: Int) {
        swap(&histories, &spareHistories)
        liveLogP.update(from: spareLogP, count: live)
    }
}
