import RecurRuntime

/// Examples cut from a `FrameTable`: fixed windows, or whole labelled runs (`--segments`), each
/// with its class (or targets at its last frame) and the sequence and group it came from.
public struct FrameExampleSet: Sendable {
    /// Values per frame (after the preprocessor).
    public var channels: Int
    /// Every example's frames, concatenated: example k is `frames[offsets[k] ..< offsets[k] + lengths[k] * channels]`.
    public var frames: [Float] = []
    public var offsets: [Int] = []
    public var lengths: [Int] = []
    /// Class per example (classifier).
    public var labels: [Int] = []
    /// Targets per example, `outputs` each (regressor).
    public var targets: [Float] = []
    /// The group of each example.
    public var groups: [String] = []

    public init(channels: Int) { self.channels = channels }

    public var count: Int { lengths.count }

    /// Example `k`'s frames, (length, channels) row-major.
    public func frames(of k: Int) -> ArraySlice<Float> {
        frames[offsets[k]..<(offsets[k] + lengths[k] * channels)]
    }

    mutating func append(_ values: ArraySlice<Float>, label: Int, targets: ArraySlice<Float>, group: String) {
        offsets.append(frames.count)
        lengths.append(values.count / channels)
        frames.append(contentsOf: values)
        labels.append(label)
        self.targets.append(contentsOf: targets)
        groups.append(group)
    }

    /// Per-channel mean and standard deviation over every frame of every example (std 1 for a
    /// constant channel): the normalisation stored in the file, from the training examples only.
    public func channelStatistics() -> (mean: [Float], std: [Float]) {
        FrameExampleSet.channelStatistics(frames, channels: channels)
    }

    /// Per-channel mean and standard deviation of row-major frames of `channels` values, in double
    /// precision; a channel with zero spread gets std 1, so `(x − mean) / std` stays finite.
    public static func channelStatistics(_ frames: [Float], channels: Int) -> (mean: [Float], std: [Float]) {
        var sum = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        let steps = frames.count / max(channels, 1)
        for step in 0..<steps {
            for c in 0..<channels {
                let value = Double(frames[step * channels + c])
                sum[c] += value
                squares[c] += value * value
            }
        }
        let n = Double(max(steps, 1))
        var mean = [Float](repeating: 0, count: channels)
        var std = [Float](repeating: 1, count: channels)
        for c in 0..<channels {
            let m = sum[c] / n
            // var = E[x²] − E[x]², clamped at 0 against rounding
            let variance = max(squares[c] / n - m * m, 0)
            mean[c] = Float(m)
            std[c] = variance > 0 ? Float(variance.squareRoot()) : 1
        }
        return (mean, std)
    }

    /// The examples at `indices` as one trainer batch (all of one length), normalised:
    /// `(x − mean_c) / std_c`, one subtraction and one division per value as in the Runtime.
    public func batch(_ indices: [Int], mean: [Float], std: [Float], outputs: Int) -> Batch {
        let steps = indices.first.map { lengths[$0] } ?? 0
        var values: [Float] = []
        values.reserveCapacity(indices.count * steps * channels)
        for k in indices {
            precondition(lengths[k] == steps, "a batch holds examples of one length")
            for (i, x) in frames(of: k).enumerated() {
                let c = i % channels
                values.append((x - mean[c]) / std[c])
            }
        }
        let targets: Batch.Targets = outputs == 0
            ? .classes(indices.map { Int32(labels[$0]) })
            : .values(indices.flatMap { self.targets[($0 * outputs)..<(($0 + 1) * outputs)] }, outputs: outputs)
        return Batch(count: indices.count, steps: steps, inputs: .frames(values, features: channels), targets: targets)
    }

    /// The examples grouped by length (ascending), each group in example order: every group is
    /// a bucket of equal-length sequences for the trainer (`--segments` of different lengths).
    public var lengthBuckets: [[Int]] {
        var byLength: [Int: [Int]] = [:]
        for k in 0..<count { byLength[lengths[k], default: []].append(k) }
        return byLength.keys.sorted().map { byLength[$0]! }
    }
}

/// How a `FrameTable` becomes training, validation and test examples.
public struct FrameCutOptions: Sendable {
    /// Frames per window (ignored with `segments`).
    public var window = 0
    /// Frames between window starts inside a run.
    public var hop = 0
    /// Each labelled run (a sequence, or the part of it with one label) is one example.
    public var segments = false
    /// Groups (split units) that form the test part; empty: `testFraction` of them.
    public var testGroups: [String] = []
    /// Groups that form the validation part; empty: `validationFraction` of the rest.
    public var validationGroups: [String] = []
    public var testFraction = 0.2
    public var validationFraction = 0.1
    /// Chooses the groups for the fractions.
    public var seed: UInt64 = 1
    /// Named groups absent from the data are no error (a preset's fixed lists).
    public var missingGroupsAllowed = false
    /// Computed over each whole sequence before cutting (the Runtime's stream preprocessor).
    public var preprocessor: StreamPreprocessor?

    public init() {}
}

/// The three parts and what the summary says about them.
public struct FrameSplit: Sendable {
    public var train: FrameExampleSet
    public var validation: FrameExampleSet
    public var test: FrameExampleSet
    /// Channel names after the preprocessor.
    public var channelNames: [String]
    /// What went where, and what was dropped.
    public var summary: [String]
}

extension FrameSplit {
    /// The per-channel normalisation from the training examples (`channelStatistics`), checked on
    /// every part: the mean and spread are finite and every `(x − mean) / std` is a finite Float —
    /// a value far outside the training data's range (3e38 against a spread of 0.2) would
    /// otherwise reach the trainer as infinity.
    ///
    /// - Throws: `FrameDataError` naming the channel, the part and the value.
    public func normalisation() throws(FrameDataError) -> (mean: [Float], std: [Float]) {
        let (mean, std) = train.channelStatistics()
        for c in mean.indices where !(mean[c].isFinite && std[c].isFinite) {
            throw FrameDataError("channel \"\(channelNames[c])\": the training values are too large to normalise in 32-bit floats "
                + "(mean \(mean[c]), standard deviation \(std[c])); rescale the column")
        }
        for (part, set) in [("training", train), ("validation", validation), ("test", test)] {
            for (i, x) in set.frames.enumerated() {
                let c = i % set.channels
                if !((x - mean[c]) / std[c]).isFinite {
                    throw FrameDataError("channel \"\(channelNames[c])\": the \(part) value \(x) is too far from the training mean \(mean[c]) "
                        + "(standard deviation \(std[c])) to normalise in 32-bit floats; rescale the column or check the value")
                }
            }
        }
        return (mean, std)
    }
}

extension FrameTable {
    /// Splits the sequences by group, then cuts windows (or segments) inside each labelled run.
    ///
    /// A window starts at a run's first row and every `hop` rows after, and is kept when it ends
    /// inside the run: it never crosses a sequence end or a label change. Runs shorter than the
    /// window give no example and are counted in the summary.
    ///
    /// - Throws: `FrameDataError` for a window longer than every run, test or validation groups
    ///   that name no group, too few groups to split, or an empty part.
    public func split(_ options: FrameCutOptions) throws(FrameDataError) -> FrameSplit {
        if !options.segments && (options.window < 1 || options.hop < 1) {
            throw FrameDataError("--window and --hop must be at least 1 (or give --segments), got \(options.window) and \(options.hop)")
        }
        let parts = try assignParts(options)
        let channelNames = options.preprocessor?.kind.outputNames ?? self.channelNames
        let outChannels = channelNames.count
        var sets = [FramePart: FrameExampleSet]()
        for part in FramePart.allCases { sets[part] = FrameExampleSet(channels: outChannels) }
        var shortRuns = 0, shortRows = 0, longestRun = 0
        var unlabelledRows = 0
        let outputs = targetNames.count
        for (s, sequence) in sequences.enumerated() {
            let rows = sequence.rows(channels: channels)
            unlabelledRows += rows - sequence.runs.reduce(0) { $0 + $1.length }
            let features = try preprocess(sequence.values, rows: rows, options.preprocessor)
            let part = parts[s]
            for run in sequence.runs {
                longestRun = max(longestRun, run.length)
                let length = options.segments ? run.length : options.window
                if run.length < length || length < 1 {
                    shortRuns += 1
                    shortRows += run.length
                    continue
                }
                let hop = options.segments ? run.length : options.hop
                for start in stride(from: run.first, through: run.last - length + 1, by: hop) {
                    let end = start + length - 1
                    sets[part]!.append(features[(start * outChannels)..<((end + 1) * outChannels)], label: run.label,
                                       targets: sequence.targets.isEmpty ? [] : sequence.targets[(end * outputs)..<((end + 1) * outputs)],
                                       group: sequence.group)
                }
            }
        }
        if !options.segments && sets.values.allSatisfy({ $0.count == 0 }) {
            throw FrameDataError("--window \(options.window) is longer than every labelled run (the longest has \(longestRun) rows)")
        }
        var summary: [String] = []
        let unit = sequences.contains { $0.group != $0.name } ? "groups" : "sequences"
        for part in FramePart.allCases {
            let units = Set(sequences.indices.filter { parts[$0] == part }.map { sequences[$0].group })
            let names = units.sorted()
            let shown = names.count <= 12 ? names.joined(separator: " ") : names.prefix(6).joined(separator: " ") + " …"
            let kind = (options.segments ? "segment" : "window") + (sets[part]!.count == 1 ? "" : "s")
            summary.append("\(part.rawValue): \(sets[part]!.count) \(kind) "
                + "from \(names.count) \(names.count == 1 ? String(unit.dropLast()) : unit)" + (names.isEmpty ? "" : " (\(shown))"))
            if sets[part]!.count == 0 {
                throw FrameDataError("the \(part.rawValue) part has no \(options.segments ? "segments" : "windows") "
                    + "(its \(unit): \(names.isEmpty ? "none" : shown)); more data, other groups or a shorter --window")
            }
        }
        if shortRuns > 0 {
            summary.append("dropped: \(shortRuns) labelled runs shorter than the \(options.segments ? "segment" : "window") "
                + "(\(shortRows) rows)")
        }
        if unlabelledRows > 0 { summary.append("unlabelled rows (in no window): \(unlabelledRows)") }
        return FrameSplit(train: sets[.train]!, validation: sets[.validation]!, test: sets[.test]!,
                          channelNames: channelNames, summary: summary)
    }

    /// The part of every sequence: by fixed part, named groups, or fractions of the groups
    /// drawn with the seed.
    func assignParts(_ options: FrameCutOptions) throws(FrameDataError) -> [FramePart] {
        var groups: [String] = []
        var seen = Set<String>()
        for sequence in sequences where sequence.part == nil && seen.insert(sequence.group).inserted {
            groups.append(sequence.group)
        }
        let fixed = sequences.contains { $0.part != nil }
        func named(_ names: [String], _ option: String) throws(FrameDataError) -> Set<String> {
            for name in names where !seen.contains(name) && !options.missingGroupsAllowed {
                let list = groups.count <= 20 ? groups.joined(separator: ", ") : groups.prefix(20).joined(separator: ", ") + ", …"
                throw FrameDataError("\(option): no group \"\(name)\" in the data (groups: \(list))")
            }
            return Set(names)
        }
        var test = try named(options.testGroups, "--test-groups")
        var validation = try named(options.validationGroups, "--validation-groups")
        if let both = test.intersection(validation).first {
            throw FrameDataError("group \"\(both)\" is in both --test-groups and --validation-groups")
        }
        var random = SeededRandom(seed: options.seed ^ 0x5B11_7000)
        var rest = groups.filter { !test.contains($0) && !validation.contains($0) }
        // Fisher–Yates with the seed: the same seed picks the same groups.
        for i in stride(from: rest.count - 1, to: 0, by: -1) {
            rest.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
        func take(_ fraction: Double) -> Set<String> {
            guard fraction > 0, !rest.isEmpty else { return [] }
            let n = min(max(1, Int((Double(groups.count) * fraction).rounded())), rest.count - 1)
            let picked = Set(rest.prefix(max(n, 0)))
            rest.removeFirst(max(n, 0))
            return picked
        }
        if options.testGroups.isEmpty && !fixed {
            if groups.count < 3 {
                throw FrameDataError("\(groups.count) group(s) or sequence(s): at least 3 are needed to split train, "
                    + "validation and test by group (give --group-column, --sequence-column or more files)")
            }
            test = take(options.testFraction)
        }
        if options.validationGroups.isEmpty { validation = take(options.validationFraction) }
        return sequences.map { sequence in
            if let part = sequence.part { return part }
            if test.contains(sequence.group) { return .test }
            if validation.contains(sequence.group) { return .validation }
            return .train
        }
    }

    /// The preprocessor's output over a whole sequence, from a reset state (what the board computes).
    private func preprocess(_ values: [Float], rows: Int, _ preprocessor: StreamPreprocessor?) throws(FrameDataError) -> [Float] {
        guard var preprocessor else { return values }
        preprocessor.reset()
        guard preprocessor.inputSize == channels else {
            throw FrameDataError("--preprocess \(preprocessor.kind.name) reads \(preprocessor.inputSize) columns, --columns gives \(channels)")
        }
        let outputSize = preprocessor.outputSize
        var output = [Float](repeating: 0, count: rows * outputSize)
        values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for step in 0..<rows {
                    preprocessor.process(raw: input.baseAddress! + step * channels, into: out.baseAddress! + step * outputSize)
                }
            }
        }
        return output
    }
}
