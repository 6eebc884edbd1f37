/// The generated addition task: the question "a+b" (characters) → the sum's digits.
///
/// Operands are uniform in 0 … 10^digits − 1, written without leading zeros ("24+654" → "678").
/// Every question is distinct across and within the splits (deduplicated by the question, seeded),
/// so the held-out test questions never appear in training. When the question space is too small
/// for the requested counts (1 or 2 digits), the splits shrink to 80/10/10 of every question.
public struct AdditionTask: Sendable {
    public var digits: Int
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int

    /// The largest `digits`: a question index (a · 10^digits + b) fits in 63 bits.
    public static let maxDigits = 9

    public init(digits: Int = 3, trainCount: Int = 100_000, validationCount: Int = 5_000, testCount: Int = 10_000) {
        self.digits = digits
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.testCount = testCount
    }

    /// Source characters: the ten digits and "+".
    public static let sourceCharacters = "0123456789+".unicodeScalars.map { String($0) }
    /// Target characters: the ten digits.
    public static let targetCharacters = "0123456789".unicodeScalars.map { String($0) }

    /// The question text of operands `a`, `b`.
    public static func question(_ a: Int, _ b: Int) -> String {
        "\(a)+\(b)"
    }

    /// Draws the splits with `seed`.
    ///
    /// - Throws: `Seq2SeqDataError` when `digits` is outside 1 … `maxDigits` or a count is not positive.
    public func makeData(seed: UInt64) throws -> Seq2SeqData {
        guard (1...Self.maxDigits).contains(digits) else {
            throw Seq2SeqDataError("--digits must be 1…\(Self.maxDigits), got \(digits)")
        }
        guard trainCount > 0, validationCount > 0, testCount > 0 else {
            throw Seq2SeqDataError("addition: train, validation and test counts must be positive "
                + "(got \(trainCount), \(validationCount), \(testCount))")
        }
        var notes: [String] = []
        var counts = (train: trainCount, validation: validationCount, test: testCount)
        let base = Self.power10(digits)
        let total = base * base
        if counts.train + counts.validation + counts.test > total {
            let held = max(1, total / 10)
            counts = (total - 2 * held, held, held)
            notes.append("addition: only \(total) distinct \(digits)-digit questions; using \(counts.train) "
                + "train, \(counts.validation) validation, \(counts.test) test")
        }
        var random = SeededRandom(seed: seed)
        let indices = Self.distinctIndices(counts.test + counts.validation + counts.train, below: total, &random)
        let source = Seq2SeqVocabulary(kept: Self.sourceCharacters, target: false)
        let target = Seq2SeqVocabulary(kept: Self.targetCharacters, target: true)
        func example(_ index: Int) -> Seq2SeqExample {
            let (a, b) = (index / base, index % base)
            let question = Self.question(a, b).unicodeScalars.map { String($0) }
            let answer = String(a + b).unicodeScalars.map { String($0) }
            return Seq2SeqExample(source: source.encode(question), target: target.encode(answer),
                                  reference: [String(a + b)])
        }
        let test = indices[..<counts.test].map(example)
        let validation = indices[counts.test..<(counts.test + counts.validation)].map(example)
        let train = indices[(counts.test + counts.validation)...].map(example)
        // The longest answer has digits + 1 digits; decoding takes one more step to say EOS.
        return Seq2SeqData(train: train, validation: validation, test: test,
                           sourceVocabulary: source, targetVocabulary: target,
                           sourceTokens: .char, targetTokens: .char, lowercase: false,
                           sourceMaxLength: 2 * digits + 1, targetMaxLength: digits + 2, notes: notes)
    }

    /// 10^n.
    static func power10(_ n: Int) -> Int {
        (0..<n).reduce(1) { value, _ in value * 10 }
    }

    /// `count` distinct integers in 0 ..< `total`, in a seeded random order.
    ///
    /// A partial Fisher–Yates shuffle of the whole range when it is small compared with `count`,
    /// rejection of repeats otherwise (then `count` ≤ total / 4, so few draws repeat).
    static func distinctIndices(_ count: Int, below total: Int, _ random: inout SeededRandom) -> [Int] {
        precondition(count <= total, "asked for more distinct indices than exist")
        if total <= 4 * count {
            var all = Array(0..<total)
            for i in 0..<count {
                let j = i + Int(random.next() % UInt64(total - i))
                all.swapAt(i, j)
            }
            return Array(all[..<count])
        }
        var seen = Set<Int>(minimumCapacity: count)
        var result: [Int] = []
        result.reserveCapacity(count)
        while result.count < count {
            let index = Int(random.next() % UInt64(total))
            if seen.insert(index).inserted { result.append(index) }
        }
        return result
    }
}
