import Testing
@testable import Trainer

/// `recur har score`'s rule on a hand-made stream: a window ending at t (samples t−127…t) counts
/// only when it lies fully inside one segment of a basic activity.
@Suite("HAR stream score")
struct HARStreamScoreTests {
    /// WALKING 0…299, STAND_TO_SIT (a transition) 300…449, SITTING 450…699; 700… unlabelled.
    static let segments = [
        HARSegment(activity: 1, first: 0, last: 299),
        HARSegment(activity: 7, first: 300, last: 449),
        HARSegment(activity: 4, first: 450, last: 699),
    ]

    @Test("8 windows: 4 scored (3 right, 1 wrong), 4 skipped (crossing, transition, unlabelled, before sample 127) → 75.00%")
    func handMadeStream() throws {
        var score = HARStreamScore(segments: Self.segments, window: 128)
        let lines = [
            "127 WALKING 0.9000",     // 0…127 in WALKING: right
            "191 SITTING 0.8000",     // 64…191 in WALKING: wrong
            "299 WALKING 0.7000",     // 172…299, ends on the segment's last sample: right
            "363 WALKING 0.6000",     // 236…363 crosses into the transition: skipped
            "",                       // blank: ignored, not a window
            "447 SITTING 0.5000",     // 320…447 inside STAND_TO_SIT: skipped (no 6-class answer)
            "577 SITTING 0.9500",     // 450…577, starts on the segment's first sample: right
            "760 LAYING 0.5000",      // 633…760 runs past the last label: skipped
            "100 WALKING 0.9000",     // would start at −27: skipped
        ]
        for (index, line) in lines.enumerated() { try score.add(line, line: index + 1) }
        #expect(score.windows == 8)
        #expect(score.scored == 4)
        #expect(score.correct == 3)
        #expect(score.accuracy == 0.75)
        #expect(score.summary == "accuracy 75.00% (3 of 4 windows inside a labelled 6-class segment; 8 windows in all)")
    }

    @Test("Window 64: 172…235 is scored; 300…363 (inside the transition) and 257…320 (crossing) are not")
    func windowLength() throws {
        var score = HARStreamScore(segments: Self.segments, window: 64)
        try score.add("235 WALKING 0.9", line: 1)   // 172…235: inside WALKING
        try score.add("363 WALKING 0.9", line: 2)   // 300…363: inside the transition
        try score.add("320 WALKING 0.9", line: 3)   // 257…320: crosses
        #expect(score.windows == 3 && score.scored == 1 && score.correct == 1)
    }

    @Test("No scored window: accuracy 0, not a division by zero")
    func nothingScored() {
        let score = HARStreamScore(segments: Self.segments)
        #expect(score.scored == 0 && score.accuracy == 0)
    }

    @Test("Unreadable lines are refused with their line number: JSON, a bad index, an unknown label")
    func malformed() {
        var score = HARStreamScore(segments: Self.segments)
        #expect(throws: HARDataError.badResultLine(line: 3, text: "{\"t\":127}", reason: "expected \"t LABEL p\" (recur-run's plain output, not --json)")) {
            try score.add("{\"t\":127}", line: 3)
        }
        #expect(throws: HARDataError.badResultLine(line: 4, text: "-1 WALKING 0.5", reason: "expected \"t LABEL p\" (recur-run's plain output, not --json)")) {
            try score.add("-1 WALKING 0.5", line: 4)
        }
        #expect(throws: HARDataError.badResultLine(line: 5, text: "127 JOGGING 0.5", reason: "JOGGING is not a HAPT activity name")) {
            try score.add("127 JOGGING 0.5", line: 5)
        }
        #expect(score.windows == 0)
        #expect(HARDataError.badResultLine(line: 5, text: "127 JOGGING", reason: "JOGGING is not a HAPT activity name").description
            == "<stdin>:5: \"127 JOGGING\": JOGGING is not a HAPT activity name")
    }
}
