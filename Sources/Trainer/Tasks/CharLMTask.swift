import Foundation

/// Character-level language modelling on a UTF-8 text file (seed projects 1 and 7).
///
/// The text is split by position: the first 85 % trains, the next 5 % validates and the last
/// 10 % (the held-out tail) is the test split. Each split is cut into windows of `steps + 1`
/// characters; the input is the first `steps` and the target the last `steps` (the next
/// character at every step). Training windows start every `steps` characters, so consecutive
/// windows continue each other (truncated backpropagation through time over the whole text).
/// The metric is bits per character: mean cross-entropy / ln 2.
public struct CharLMTask: Sendable {
    public var steps: Int
    public var minCount: Int
    /// At most this many characters of the file are used (0 = all).
    public var maxCharacters: Int

    public init(steps: Int = 100, minCount: Int = 5, maxCharacters: Int = 0) {
        self.steps = steps
        self.minCount = minCount
        self.maxCharacters = maxCharacters
    }

    /// Reads `path` as UTF-8 text, as ABC tunes (an `.abc` file or a directory holding them,
    /// `ABCCorpus`: split by tune), or as chinese-poetry JSON (a `.json` file or a directory of
    /// them, `PoetryCorpus`: one poem per line), and builds vocabulary and splits.
    ///
    /// - Throws: `TaskError.unreadable` / `.notUTF8` / `.tooShort` / `.badPoetry` / `.noPoems` /
    ///   `.noTunes` naming the file.
    public func makeData(path: String) throws -> TaskData {
        if ABCCorpus.isABC(path: path) {
            return try makeData(splits: ABCCorpus.splits(path: path), source: path)
        }
        if PoetryCorpus.isPoetry(path: path) {
            return try makeData(text: PoetryCorpus.text(path: path), source: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TaskError.unreadable(path: path)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TaskError.notUTF8(path: path)
        }
        return try makeData(text: text, source: path)
    }

    /// Builds vocabulary and splits from `text` (`source` names it in errors).
    ///
    /// CRLF line endings become LF first, as recur-run's line reader reads text, so a model
    /// never spends probability on the CR of a Windows text file (anna.txt is one).
    public func makeData(text: String, source: String = "text") throws -> TaskData {
        var scalars = CharLMTask.normalizingLineEndings(text.unicodeScalars)
        if maxCharacters > 0 && scalars.count > maxCharacters { scalars = Array(scalars.prefix(maxCharacters)) }
        let needed = 20 * (steps + 1)
        guard scalars.count >= needed else {
            throw TaskError.tooShort(path: source, characters: scalars.count, needed: needed)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        let vocabulary = CharVocabulary(text: view, minCount: minCount)
        let ids = vocabulary.encode(view)
        let trainEnd = ids.count * 85 / 100
        let validationEnd = ids.count * 90 / 100
        return TaskData(train: windows(ids[0..<trainEnd], vocabulary: vocabulary.count),
                        validation: windows(ids[trainEnd..<validationEnd], vocabulary: vocabulary.count),
                        test: windows(ids[validationEnd...], vocabulary: vocabulary.count),
                        vocabulary: vocabulary)
    }

    /// Builds the vocabulary from the training text of `splits` and cuts each split into windows
    /// (texts split by item, such as `ABCCorpus`'s tunes; `maxCharacters` does not apply).
    public func makeData(splits: ABCCorpus.Splits, source: String) throws -> TaskData {
        let texts = [splits.train, splits.validation, splits.test].map { CharLMTask.normalizingLineEndings($0.unicodeScalars) }
        let total = texts.reduce(0) { $0 + $1.count }
        let needed = 20 * (steps + 1)
        guard total >= needed, texts.allSatisfy({ $0.count > steps }) else {
            // The whole text, or the split too short for one window.
            let characters = total < needed ? total : texts.map(\.count).min() ?? 0
            throw TaskError.tooShort(path: source, characters: characters, needed: total < needed ? needed : steps + 1)
        }
        var train = String.UnicodeScalarView()
        train.append(contentsOf: texts[0])
        let vocabulary = CharVocabulary(text: train, minCount: minCount)
        let sets = texts.map { scalars -> TaskDataset in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            let ids = vocabulary.encode(view)
            return windows(ids[...], vocabulary: vocabulary.count)
        }
        return TaskData(train: sets[0], validation: sets[1], test: sets[2], vocabulary: vocabulary)
    }

    /// The scalars of `text` with every CR that precedes an LF removed.
    static func normalizingLineEndings(_ text: String.UnicodeScalarView) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.count)
        var pendingCR = false
        for scalar in text {
            if pendingCR && scalar != "\n" { scalars.append("\r") }
            pendingCR = scalar == "\r"
            if !pendingCR { scalars.append(scalar) }
        }
        if pendingCR { scalars.append("\r") }
        return scalars
    }

    /// Cuts `ids` into consecutive windows of `steps` inputs and `steps` next-character targets.
    func windows(_ ids: ArraySlice<Int32>, vocabulary: Int) -> TaskDataset {
        let base = ids.startIndex
        let count = max(0, (ids.count - 1) / steps)
        var tokens = [Int32](repeating: 0, count: count * steps)   // (count, steps)
        var targets = [Int32](repeating: 0, count: count * steps)  // (count, steps)
        for n in 0..<count {
            for t in 0..<steps {
                tokens[n * steps + t] = ids[base + n * steps + t]
                targets[n * steps + t] = ids[base + n * steps + t + 1]
            }
        }
        return TaskDataset(count: count, steps: steps, features: 0, outputs: vocabulary,
                           tokens: tokens, targetTokens: targets)
    }
}

/// Problems with a task's input data, each naming the file.
public enum TaskError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case notUTF8(path: String)
    case tooShort(path: String, characters: Int, needed: Int)
    case badPoetry(path: String, reason: String)
    case noPoems(path: String)
    case noTunes(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .notUTF8(let path): "\(path) is not valid UTF-8 text"
        case .tooShort(let path, let characters, let needed):
            "\(path) has \(characters) characters; at least \(needed) are needed for --steps and the three splits"
        case .badPoetry(let path, let reason): "\(path): not chinese-poetry JSON: \(reason)"
        case .noPoems(let path): "\(path): no poems found (no .json file with \"paragraphs\" entries)"
        case .noTunes(let path): "\(path): no ABC tunes found (a tune starts with an X: line and needs M: and K: fields and a body)"
        }
    }
}
