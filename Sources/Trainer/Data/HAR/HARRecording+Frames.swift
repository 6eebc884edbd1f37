extension HARDataset {
    /// A HAPT folder as a `FrameTable` for `recur train har`: one sequence per recording (its
    /// subject the group), one run per labelled segment of the class set's activities, the six raw
    /// channels. A UCI HAR folder holds cut windows: each is a sequence of its own (test windows
    /// fixed to the test part), usable with the six raw channels and the six basic classes only.
    public static func frameTable(directory: String, classes: HARClassSet, gravitySplit: Bool) throws(FrameDataError) -> FrameTable {
        switch detectLayout(directory) {
        case .hapt:
            break
        case .uciHAR:
            if gravitySplit || classes != .basic {
                throw FrameDataError("\(directory): UCI HAR holds cut windows of the six basic activities: "
                    + "give --raw and no --transitions (the gravity split and the transitions need HAPT's RawData)")
            }
            var sequences: [FrameSequence] = []
            for part in ["train", "test"] {
                let windows: HARWindowSet
                do { windows = try UCIHARLoader.loadPart(part, root: directory) } catch { throw FrameDataError(error.description) }
                for k in 0..<windows.count {
                    sequences.append(FrameSequence(
                        name: "\(part):\(k)", group: String(windows.subjects[k]),
                        values: Array(windows.frames[(k * windows.windowSize)..<((k + 1) * windows.windowSize)]),
                        runs: [FrameRun(label: windows.labels[k], first: 0, last: windows.window - 1)],
                        part: part == "test" ? .test : nil))
                }
            }
            return FrameTable(channelNames: HARRecording.channelNames, classNames: classes.classNames, sequences: sequences)
        case nil:
            throw FrameDataError(HARDataError.noData(
                directory: directory, reason: "neither HAPT (RawData/labels.txt) nor UCI HAR (train/y_train.txt) layout").description)
        }
        let recordings: [HARRecording]
        do { recordings = try HAPTLoader.load(directory: directory) } catch { throw FrameDataError(error.description) }
        let sequences = recordings.map { recording in
            FrameSequence(
                name: String(format2(recording.experiment, recording.subject)), group: String(recording.subject),
                values: recording.samples,
                runs: recording.segments.compactMap { segment in
                    classes.classIndex(ofActivity: segment.activity).map { FrameRun(label: $0, first: segment.first, last: segment.last) }
                })
        }
        return FrameTable(channelNames: HARRecording.channelNames, classNames: classes.classNames, sequences: sequences)
    }

    /// `exp01_user01`.
    private static func format2(_ experiment: Int, _ subject: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "exp\(two(experiment))_user\(two(subject))"
    }
}
