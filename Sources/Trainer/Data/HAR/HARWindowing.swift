/// How recordings are cut into windows.
public struct HARWindowOptions: Sendable, Equatable {
    /// Timesteps per window.
    public var window: Int = 128
    /// Timesteps between window starts.
    public var hop: Int = 64
    /// Which activities become classes; windows of other activities are dropped.
    public var classes: HARClassSet = .basic
    /// The channels per timestep.
    public var features: HARFeatures = .raw
    /// Test and validation subjects.
    public var split: HARSubjectSplit = .standard

    public init(
        window: Int = 128, hop: Int = 64, classes: HARClassSet = .basic,
        features: HARFeatures = .raw, split: HARSubjectSplit = .standard
    ) {
        self.window = window
        self.hop = hop
        self.classes = classes
        self.features = features
        self.split = split
    }
}

/// Cuts labelled recordings into fixed-length windows.
///
/// The rule (it reproduces HAPT's published 7767 train / 3162 test windows for
/// the 12-class protocol; docs/HAR.md): inside each labelled segment
/// `[first, last]` (inclusive), windows start at `first, first + hop, …` and a
/// window is kept only when it lies entirely inside the segment
/// (`start + window − 1 ≤ last`). A segment of L samples gives
/// `⌊(L − window) / hop⌋ + 1` windows when `L ≥ window`, else none. Nothing
/// crosses a segment boundary, and unlabelled samples between segments are
/// never windowed.
///
/// Features are computed over the whole recording first (the runtime's stream
/// preprocessor run from the first sample), then cut: a window's derived channels
/// depend on the samples before it, exactly as on the board.
public enum HARWindowing {
    /// The start samples of the windows in one segment.
    public static func windowStarts(in segment: HARSegment, window: Int, hop: Int) -> StrideThrough<Int> {
        precondition(window > 0 && hop > 0, "window and hop must be positive")
        // The last start s satisfies s + window − 1 ≤ last.
        return stride(from: segment.first, through: segment.last - window + 1, by: hop)
    }

    /// Windows of the requested classes from every recording, split by subject.
    public static func split(_ recordings: [HARRecording], options: HARWindowOptions = HARWindowOptions()) throws(HARDataError) -> HARSplit {
        var split = HARSplit(
            train: emptySet(options), validation: emptySet(options), test: emptySet(options))
        for recording in recordings {
            let part = options.split.part(ofSubject: recording.subject)
            try append(recording, options: options, to: &split[part])
        }
        return split
    }

    /// Windows of the requested classes from every recording, in recording order.
    public static func windows(_ recordings: [HARRecording], options: HARWindowOptions = HARWindowOptions()) throws(HARDataError) -> HARWindowSet {
        var set = emptySet(options)
        for recording in recordings {
            try append(recording, options: options, to: &set)
        }
        return set
    }

    static func emptySet(_ options: HARWindowOptions) -> HARWindowSet {
        HARWindowSet(
            window: options.window, channels: options.features.channels,
            channelNames: options.features.channelNames, classNames: options.classes.classNames)
    }

    private static func append(_ recording: HARRecording, options: HARWindowOptions, to set: inout HARWindowSet) throws(HARDataError) {
        guard options.window > 0, options.hop > 0 else {
            throw .unsupported("window (\(options.window)) and hop (\(options.hop)) must be positive")
        }
        let wanted = recording.segments.filter { options.classes.classIndex(ofActivity: $0.activity) != nil }
        guard !wanted.isEmpty else { return }
        let features = try options.features.compute(on: recording)
        let channels = options.features.channels
        for segment in wanted {
            let label = options.classes.classIndex(ofActivity: segment.activity)!
            for start in windowStarts(in: segment, window: options.window, hop: options.hop) {
                let lower = start * channels
                set.append(
                    features[lower..<(lower + options.window * channels)], label: label,
                    subject: recording.subject, experiment: recording.experiment, start: start)
            }
        }
    }
}
