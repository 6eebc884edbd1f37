import Testing
@testable import Trainer

/// Window counts, boundaries, classes and subject splits on the HAPT fixture.
@Suite("HAR windowing")
struct HARWindowingTests {
    @Test("Windows lie entirely inside a segment, start at its first sample, hop 64")
    func windowStartsRule() {
        func starts(_ length: Int) -> [Int] {
            Array(HARWindowing.windowStarts(in: HARSegment(activity: 1, first: 10, last: 10 + length - 1), window: 128, hop: 64))
        }
        #expect(starts(127) == [])
        #expect(starts(128) == [10])
        #expect(starts(191) == [10])
        #expect(starts(192) == [10, 74])
        #expect(starts(255) == [10, 74])
        #expect(starts(256) == [10, 74, 138])
        // ⌊(L − 128) / 64⌋ + 1 windows for L ≥ 128, and every window ends inside the segment.
        for length in 128...700 {
            let found = starts(length)
            #expect(found.count == (length - 128) / 64 + 1)
            #expect(found.last! + 127 <= 10 + length - 1)
            #expect(found.last! + 64 + 127 > 10 + length - 1, "no further window fits")
        }
    }

    @Test("Fixture, six classes: counts, labels, starts and subjects per part")
    func basicSplit() throws {
        let split = try HARDataset.load(directory: HARFixtures.hapt)
        // exp01 user 1 (train): STANDING 0…127 → 1; SITTING 200…454 → 2; WALKING 455…699 → 2.
        #expect(split.train.starts == [0, 200, 264, 455, 519])
        #expect(split.train.labels == [4, 3, 3, 0, 0])
        #expect(split.train.subjects == [1, 1, 1, 1, 1])
        // exp03 user 11 (validation): UPSTAIRS of 127 samples → 0; DOWNSTAIRS 149…299 → 1.
        #expect(split.validation.starts == [149] && split.validation.labels == [2])
        // exp02 user 2 (test): LAYING 10…265 → 3; LIE_TO_STAND dropped (not a basic class).
        #expect(split.test.starts == [10, 74, 138] && split.test.labels == [5, 5, 5])
        #expect(split.test.classNames == ["WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING", "STANDING", "LAYING"])
        #expect(split.train.classCounts == [2, 0, 0, 2, 1, 0])
    }

    @Test("Fixture, twelve classes: transitions long enough for a window are kept")
    func twelveClasses() throws {
        let split = try HARDataset.load(directory: HARFixtures.hapt, options: HARWindowOptions(classes: .withTransitions))
        // LIE_TO_STAND 266…393 (128 samples) → one window, class 11; STAND_TO_SIT (72) → none.
        #expect(split.test.starts == [10, 74, 138, 266] && split.test.labels == [5, 5, 5, 11])
        #expect(split.train.count == 5 && split.validation.count == 1)
        #expect(split.test.classNames.count == 12)
    }

    @Test("A window's frames are the recording's samples start…start+127, row-major")
    func windowContents() throws {
        let recordings = try HAPTLoader.load(directory: HARFixtures.hapt)
        let set = try HARWindowing.windows(recordings)
        #expect(set.frames.count == set.count * 128 * 6)
        for index in 0..<set.count {
            let recording = recordings.first { $0.experiment == set.experiments[index] }!
            let start = set.starts[index]
            let window = Array(set.frames[(index * 768)..<((index + 1) * 768)])
            #expect(window == Array(recording.samples[(start * 6)..<((start + 128) * 6)]))
            // Fixture acc_x of sample n is n.
            #expect(window[0] == Float(start) && window[127 * 6] == Float(start + 127))
        }
    }

    @Test("Gravity-split windows are cut from the recording filtered whole, not filtered per window")
    func gravityWindowsUseContinuousFiltering() throws {
        let recordings = try HAPTLoader.load(directory: HARFixtures.hapt)
        let features = HARFeatures.gravitySplitButterworth
        let set = try HARWindowing.windows(recordings, options: HARWindowOptions(features: features))
        #expect(set.channels == 9 && set.channelNames[6] == "gravity_x")
        let whole = try features.compute(on: recordings[0])
        // Second train window (SITTING at sample 200) = rows 200…327 of the whole-recording features.
        #expect(set.starts[1] == 200)
        #expect(Array(set.frames[(1 * 128 * 9)..<(2 * 128 * 9)]) == Array(whole[(200 * 9)..<(328 * 9)]))
        // Filtering the window alone starts the filter at sample 200 and gives different gravity.
        let alone = HARRecording(
            experiment: 1, subject: 1, samples: Array(recordings[0].samples[(200 * 6)..<(328 * 6)]), segments: [])
        let aloneFeatures = try features.compute(on: alone)
        #expect(aloneFeatures != Array(whole[(200 * 9)..<(328 * 9)]))
    }

    @Test("Channel statistics: mean and std per channel, std 1 for a constant channel")
    func statistics() throws {
        let set = try HARWindowing.windows(try HAPTLoader.load(directory: HARFixtures.hapt))
        let (mean, std) = set.channelStatistics()
        // acc_z is 1 everywhere in the fixture, gyro_z 0.5: zero spread → std 1.
        #expect(mean[2] == 1 && std[2] == 1 && mean[5] == 0.5 && std[5] == 1)
        // acc_x is the sample index: the mean over all windows equals the mean of their starts + 63.5.
        let expected = set.starts.map { Double($0) + 63.5 }.reduce(0, +) / Double(set.count)
        #expect(abs(Double(mean[0]) - expected) < 1e-3)
        #expect(std[0] > 100)
    }
}
