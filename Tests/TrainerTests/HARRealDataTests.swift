import Testing
@testable import Trainer

/// Checks on the real HAPT v2.1 recordings (skipped by name when ../shared/data/hapt is absent).
@Suite("HAR real data", .enabled(if: HARRealData.directory != nil, "HAPT data not found (../shared/data/hapt or $RECUR_HAPT_DIR)"))
struct HARRealDataTests {
    @Test("HAPT: 61 experiments, 30 subjects, 1,122,772 samples, 1214 segments")
    func recordings() throws {
        let recordings = try HARRealData.recordings.get()
        #expect(recordings.count == 61)
        #expect(Set(recordings.map(\.subject)).count == 30)
        #expect(recordings.reduce(0) { $0 + $1.count } == 1_122_772)
        #expect(recordings.reduce(0) { $0 + $1.segments.count } == 1214)
        #expect(recordings[0].count == 20_598)
    }

    @Test("12 classes: 7767 training and 3162 test windows (HAPT's published counts); 6 classes: 1226/1073/987 for classes 1–3")
    func windowCounts() throws {
        let recordings = try HARRealData.recordings.get()
        let twelve = try HARWindowing.split(recordings, options: HARWindowOptions(classes: .withTransitions))
        // Validation subjects are training subjects: train + validation is HAPT's training set.
        #expect(twelve.train.count + twelve.validation.count == 7767)
        #expect(twelve.train.count == 6686 && twelve.validation.count == 1081)
        #expect(twelve.test.count == 3162)
        #expect(Set(twelve.test.subjects) == HARSubjectSplit.uciTestSubjects)
        #expect(Set(twelve.validation.subjects) == HARSubjectSplit.standard.validation)

        let six = try HARWindowing.split(recordings)
        #expect(six.train.count == 6378 && six.validation.count == 1037 && six.test.count == 2996)
        let trainCounts = zip(six.train.classCounts, six.validation.classCounts).map { $0 + $1 }
        #expect(Array(trainCounts.prefix(3)) == [1226, 1073, 987])
        // The six basic classes are the twelve-class windows minus the six transitions' windows.
        func total(_ split: HARSplit, classes: Range<Int>) -> Int {
            HARSplitPart.allCases.reduce(0) { sum, part in sum + split[part].classCounts[classes].reduce(0, +) }
        }
        #expect(total(six, classes: 0..<6) == total(twelve, classes: 0..<6))
        #expect(total(twelve, classes: 6..<12) > 0)
    }
}
