extension HARDataset {
    /// A HAPT (or UCI HAR raw) folder as a `FrameTable` for `recur train har`: one sequence per
    /// recording (its subject the group), one run per labelled segment of the class set's
    /// activities, the six raw channels.
    public static func frameTable(directory: String, classes: HARClassSet) throws(FrameDataError) -> FrameTable {
        guard detectLayout(directory) == .hapt else {
            throw FrameDataError(HARDataError.noData(directory: directory, reason: "not the HAPT layout (RawData/labels.txt)").description)
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
