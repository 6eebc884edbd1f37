/// Recordings of frames with per-row labels (or targets), grouped into sequences: what
/// `recur train frames` reads from CSV and what the HAR and MNIST presets load from their folders.
public struct FrameTable: Sendable {
    /// One name per input channel (`recur.input.names` before any preprocessing).
    public var channelNames: [String]
    /// Classifier: the class names, in class order (`recur.labels`). Empty for a regressor.
    public var classNames: [String]
    /// Regressor: the target names, in output order. Empty for a classifier.
    public var targetNames: [String]
    public var sequences: [FrameSequence]

    public init(channelNames: [String], classNames: [String], targetNames: [String] = [], sequences: [FrameSequence]) {
        self.channelNames = channelNames
        self.classNames = classNames
        self.targetNames = targetNames
        self.sequences = sequences
    }

    public var channels: Int { channelNames.count }
    public var isClassifier: Bool { targetNames.isEmpty }
}

/// Consecutive rows of one recording: windows and segments never cross its ends.
public struct FrameSequence: Sendable {
    /// Where it comes from, for messages and the summary (`walk.csv:2`, `exp01_user01`).
    public var name: String
    /// The split unit: the group column's value, or the sequence's own name without groups.
    public var group: String
    /// rows × channels, row-major, as read (before preprocessing and normalisation).
    public var values: [Float]
    /// Runs of rows with one label (classifier; unlabelled rows belong to none), or one run over
    /// every row (regressor, label 0).
    public var runs: [FrameRun]
    /// rows × targets (regressor).
    public var targets: [Float]
    /// A part fixed by the data (MNIST's test images); nil: the split decides.
    public var part: FramePart?

    public init(name: String, group: String, values: [Float], runs: [FrameRun], targets: [Float] = [], part: FramePart? = nil) {
        self.name = name
        self.group = group
        self.values = values
        self.runs = runs
        self.targets = targets
        self.part = part
    }

    /// Rows of `channels` values.
    public func rows(channels: Int) -> Int { values.count / max(channels, 1) }

    /// The maximal runs of equal labels in `labels` (nil: unlabelled rows, in no run).
    public static func runs(of labels: [Int?]) -> [FrameRun] {
        var runs: [FrameRun] = []
        var start = 0
        while start < labels.count {
            var end = start
            while end + 1 < labels.count && labels[end + 1] == labels[start] { end += 1 }
            if let label = labels[start] { runs.append(FrameRun(label: label, first: start, last: end)) }
            start = end + 1
        }
        return runs
    }
}

/// Rows `first…last` (inclusive) of a sequence, all of class `label`.
public struct FrameRun: Sendable, Equatable {
    public var label: Int
    public var first: Int
    public var last: Int

    public init(label: Int, first: Int, last: Int) {
        self.label = label
        self.first = first
        self.last = last
    }

    public var length: Int { last - first + 1 }
}

/// Where a sequence's examples go.
public enum FramePart: String, Sendable, Codable, CaseIterable {
    case train, validation, test
}

/// Bad frame data or options, naming the file, line and column where there is one.
public struct FrameDataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// `file:line: column "name": problem`.
    public static func at(_ file: String, line: Int, column: String? = nil, _ problem: String) -> FrameDataError {
        FrameDataError("\(file):\(line): " + (column.map { "column \"\($0)\": " } ?? "") + problem)
    }
}
