/// Reads a single raw recording in the model's input contract with its segment labels
/// (the shipped `models/samples/` pair).
///
/// ```
/// recording: one sample per line, acc_x acc_y acc_z (g) gyro_x gyro_y gyro_z (rad/s), 50 Hz
/// labels:    first last activity_id   (1-based inclusive line numbers; HAPT activity ids)
/// ```
public enum HARSampleRecording {
    /// Loads the pair as a recording (experiment and subject 0) whose segments are 0-based.
    ///
    /// - Throws: `HARDataError` naming the file and line (short rows, unknown activities,
    ///   segments past the end of the recording, overlaps).
    public static func load(recording path: String, labels labelsPath: String) throws(HARDataError) -> HARRecording {
        let samples = try HARTextTable(path: path, what: "raw recording, 6 values per line").floats(columns: HARRecording.channels)
        var recording = HARRecording(experiment: 0, subject: 0, samples: samples, segments: [])
        let rows = try HARTextTable(path: labelsPath, what: "segment labels").integerRows(columns: 3)
        for (line, row) in rows {
            let (first, last, activity) = (row[0], row[1], row[2])
            guard (1...HARClassSet.activityNames.count).contains(activity) else {
                throw .unknownActivity(path: labelsPath, line: line, id: activity)
            }
            guard first >= 1, last >= first else {
                throw .badSegment(path: labelsPath, line: line, reason: "lines \(first)…\(last) are not a range inside the recording (1-based)")
            }
            guard last <= recording.count else {
                throw .labelPastEnd(path: labelsPath, line: line, last: last, samples: recording.count, recording: path)
            }
            if let previous = recording.segments.last, previous.last >= first - 1 {
                throw .badSegment(path: labelsPath, line: line, reason: "lines \(first)…\(last) overlap or precede the previous segment (ends at line \(previous.last + 1))")
            }
            recording.segments.append(HARSegment(activity: activity, first: first - 1, last: last - 1))
        }
        return recording
    }
}
