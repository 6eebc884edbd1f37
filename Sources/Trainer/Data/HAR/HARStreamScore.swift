/// Scores recur-run's live output on a labelled recording (the README's demo).
///
/// recur-run prints one line per completed window, `t LABEL p`, where `t` is the 0-based index of
/// the window's last sample. The window covers samples `t − window + 1 … t`.
///
/// Rule: a window is **scored** when it lies fully inside one labelled segment of a basic
/// activity (HAPT ids 1–6); it is correct when `LABEL` is that activity's name. Windows that
/// overlap unlabelled samples, a postural transition (ids 7–12) or two segments are echoed but
/// not scored (the 6-class model has no right answer for them). This is the test-window rule of
/// `HARWindowing`, except that the stream's windows start every hop from sample 0 rather than
/// from each segment's first sample.
public struct HARStreamScore: Sendable {
    /// The recording's segments, 0-based inclusive, in order.
    public let segments: [HARSegment]
    /// Samples per window (the model's `recur.window`).
    public let window: Int
    /// Windows read so far.
    public private(set) var windows = 0
    /// Windows fully inside one basic-activity segment.
    public private(set) var scored = 0
    /// Scored windows whose label is the segment's activity.
    public private(set) var correct = 0

    public init(segments: [HARSegment], window: Int = 128) {
        self.segments = segments
        self.window = window
    }

    /// Reads one output line (1-based `line` for errors); blank lines are ignored.
    ///
    /// - Throws: `HARDataError.badResultLine` when the line is not `t LABEL [p]` with `t` a
    ///   non-negative integer and `LABEL` one of the twelve HAPT activity names.
    public mutating func add(_ text: String, line: Int) throws(HARDataError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if fields.isEmpty { return }
        guard fields.count >= 2, let end = Int(fields[0]), end >= 0 else {
            throw .badResultLine(line: line, text: text, reason: "expected \"t LABEL p\" (recur-run's plain output, not --json)")
        }
        let label = String(fields[1])
        guard HARClassSet.activityNames.contains(label) else {
            throw .badResultLine(line: line, text: text, reason: "\(label) is not a HAPT activity name")
        }
        windows += 1
        let start = end - window + 1
        guard start >= 0,
              let segment = segments.first(where: { $0.first <= start && end <= $0.last }),
              HARClassSet.basic.activityIDs.contains(segment.activity) else { return }
        scored += 1
        if HARClassSet.activityNames[segment.activity - 1] == label { correct += 1 }
    }

    /// Correct over scored windows, 0 when none were scored.
    public var accuracy: Double { scored == 0 ? 0 : Double(correct) / Double(scored) }

    /// The closing line: `accuracy 93.10% (270 of 290 windows inside a labelled 6-class segment; 332 windows in all)`.
    public var summary: String {
        let percent = Format.fixed(accuracy * 100, digits: 2)
        return "accuracy \(percent)% (\(correct) of \(scored) windows inside a labelled 6-class segment; \(windows) windows in all)"
    }
}
