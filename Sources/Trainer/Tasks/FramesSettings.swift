import Foundation

/// `recur train frames` (and its presets `har` and `mnist`): where the frames come from and how
/// they become examples. Stored in checkpoints and, without output paths, in the model file.
public struct FramesSettings: Codable, Sendable, Equatable {
    /// Where the frames are read from.
    public enum Source: String, Codable, Sendable {
        /// `csv` files with a header line.
        case csv
        /// A HAPT folder (`recur train har`).
        case hapt
        /// MNIST's IDX files (`recur train mnist`).
        case mnist
    }

    public var source: Source = .csv
    /// The preset's name (`har`, `mnist-rows`), the file's `general.name` prefix; nil: `frames`.
    public var preset: String?
    public var csv: [String] = []
    /// The HAPT or MNIST folder.
    public var data: String?
    public var labelColumn: String?
    public var targetColumns: [String] = []
    public var columns: [String] = []
    public var sequenceColumn: String?
    public var groupColumn: String?
    public var window = 0
    /// Frames between windows, in training and in the stream (`recur.hop`); 0: half the window.
    public var hop = 0
    public var segments = false
    public var testGroups: [String] = []
    public var validationGroups: [String] = []
    public var testFraction = 0.2
    public var validationFraction = 0.1
    /// Samples per second (`recur.sample_rate_hz`; the gravity split's filter needs it).
    public var rate: Float?
    /// `gravity-split`: six columns (acc xyz in g, gyro xyz) become body acc, gyro and gravity in the stream.
    public var preprocess: String?
    /// hapt: all twelve activities instead of six.
    public var transitions = false
    /// Named test and validation groups may be absent from the data (a preset's fixed subject
    /// lists on a partial copy of the data set); for the user's own options a typo is an error.
    /// Optional so that settings stored before it existed still decode (nil: false).
    public var missingGroupsAllowed: Bool?
    /// Training only: each example's xyz triples turned by up to this many degrees (`FrameAugmentation`).
    /// Optional, as the two below, so that settings stored before they existed still decode.
    public var augmentRotation: Float?
    /// Training only: each example's xyz triples scaled by a gain in [1 − a, 1 + a].
    public var augmentScale: Float?
    /// Classifier training only: `balanced`, or `CLASS=W,…` (other classes 1): each training
    /// example's loss weight. Validation loss (early stopping) stays unweighted.
    public var classWeights: String?

    public init(source: Source = .csv) { self.source = source }

    /// The hop in effect.
    public var effectiveHop: Int { hop > 0 ? hop : max(1, window / 2) }

    /// Checks the options that need no data; the message names the option.
    public func validate() throws(SettingsError) {
        switch source {
        case .csv:
            if csv.isEmpty { throw SettingsError("frames needs --csv FILE (one or more)") }
            if labelColumn == nil && targetColumns.isEmpty {
                throw SettingsError("frames needs --label-column NAME (classifier) or --target-columns A,B,… (regressor)")
            }
            if labelColumn != nil && !targetColumns.isEmpty {
                throw SettingsError("--label-column and --target-columns exclude each other")
            }
        case .hapt, .mnist:
            if data == nil { throw SettingsError("--data DIR is needed") }
        }
        if !segments && window < 1 { throw SettingsError("--window must be at least 1 (or give --segments), got \(window)") }
        if hop < 0 || (!segments && hop > window) { throw SettingsError("--hop must be in 1…--window, got \(hop)") }
        if !(testFraction > 0 && testFraction < 1) { throw SettingsError("--test-fraction must be in (0, 1), got \(testFraction)") }
        if !(validationFraction > 0 && validationFraction < 1) {
            throw SettingsError("--validation-fraction must be in (0, 1), got \(validationFraction)")
        }
        if let preprocess, preprocess != "gravity-split" {
            throw SettingsError("--preprocess must be gravity-split, got \(preprocess)")
        }
        if preprocess != nil && rate == nil { throw SettingsError("--preprocess gravity-split needs --rate HZ (its filter's sample rate)") }
        if let rate, !(rate > 0 && rate.isFinite) { throw SettingsError("--rate must be a positive number, got \(rate)") }
        if let r = augmentRotation, !(r >= 0 && r <= 180) { throw SettingsError("--augment-rotation must be in 0…180 degrees, got \(r)") }
        if let a = augmentScale, !(a >= 0 && a < 1) { throw SettingsError("--augment-scale must be in [0, 1), got \(a)") }
        if classWeights != nil && labelColumn == nil && source == .csv {
            throw SettingsError("--class-weights needs a classifier (--label-column)")
        }
    }

    /// Whether training changes the examples (`--augment-rotation` or `--augment-scale` above 0).
    public var augments: Bool { (augmentRotation ?? 0) > 0 || (augmentScale ?? 0) > 0 }

    /// The loss weight of each class from `--class-weights`: `balanced` gives class c the weight
    /// n / (k · n_c) (n training examples, k classes, n_c of class c; 1 for an absent class);
    /// `CLASS=W,…` gives the named classes W and the others 1.
    ///
    /// - Throws: a message naming the entry that is not `CLASS=W` with a known class and W ≥ 0.
    public static func classWeights(_ text: String, classNames: [String], labels: [Int]) throws(SettingsError) -> [Float] {
        if text.trimmingCharacters(in: .whitespaces) == "balanced" {
            var counts = [Int](repeating: 0, count: classNames.count)
            for label in labels { counts[label] += 1 }
            let n = Float(labels.count), k = Float(classNames.count)
            return counts.map { $0 > 0 ? n / (k * Float($0)) : 1 }
        }
        var weights = [Float](repeating: 1, count: classNames.count)
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard parts.count == 2, let w = Float(parts[1].trimmingCharacters(in: .whitespaces)), w >= 0, w.isFinite else {
                throw SettingsError("--class-weights: \"\(entry)\" is not CLASS=WEIGHT with a weight ≥ 0 (or give `balanced`)")
            }
            guard let c = classNames.firstIndex(of: name) else {
                throw SettingsError("--class-weights: no class \"\(name)\"; the classes are " + classNames.joined(separator: ", "))
            }
            weights[c] = w
        }
        if weights.allSatisfy({ $0 == 0 }) { throw SettingsError("--class-weights: every class has weight 0") }
        return weights
    }

    /// `recur train har`'s settings: HAPT's six activities (or twelve), windows of 128 samples
    /// every 64, the gravity split at 50 Hz, UCI HAR's test subjects and validation subjects 11 22 30.
    public static func har(data: String, transitions: Bool = false, raw: Bool = false) -> FramesSettings {
        var s = FramesSettings(source: .hapt)
        s.preset = "har"
        s.data = data
        s.window = 128
        s.hop = 64
        s.rate = 50
        s.preprocess = raw ? nil : "gravity-split"
        s.transitions = transitions
        s.testGroups = HARSubjectSplit.standard.test.sorted().map(String.init)
        s.validationGroups = HARSubjectSplit.standard.validation.sorted().map(String.init)
        s.missingGroupsAllowed = true
        return s
    }

    /// `recur train mnist`'s settings: each image one segment of 28 rows of 28 pixels; the 10,000
    /// test images are the test part, validation images are carved from the 60,000 training images.
    public static func mnist(data: String) -> FramesSettings {
        var s = FramesSettings(source: .mnist)
        s.preset = "mnist-rows"
        s.data = data
        s.segments = true
        s.validationFraction = 5000.0 / 60000.0
        return s
    }
}
