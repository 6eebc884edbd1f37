import Foundation

/// Reads UCI HAR's already-windowed inertial signals ("UCI HAR Dataset", 2013).
///
/// ```
/// UCI HAR Dataset/{train,test}/Inertial Signals/{body_acc,body_gyro,total_acc}_{x,y,z}_{part}.txt
///                                     one window per row, 128 values (2.56 s at 50 Hz)
/// UCI HAR Dataset/{train,test}/y_{part}.txt        activity id 1–6 per window
/// UCI HAR Dataset/{train,test}/subject_{part}.txt  subject id per window
/// ```
///
/// The raw-input contract maps to `total_acc` (g, gravity included) and
/// `body_gyro` (rad/s): frames come out as `[total_acc xyz, body_gyro xyz]`, the
/// same six channels as HAPT's raw files. `body_acc` is not read. UCI HAR's
/// signals were median- and 20 Hz-low-pass filtered before windowing, and the
/// windows are cut, not continuous recordings, so the stream preprocessor cannot
/// be applied as on the board: only `.raw` features and the six basic classes
/// are available from this layout.
public enum UCIHARLoader {
    /// Window length in the files.
    public static let window = 128

    /// Loads both parts, keeping the files' own train/test split and taking the
    /// validation subjects of `split` out of the training part.
    ///
    /// - Parameter directory: the `UCI HAR Dataset` folder.
    public static func load(directory: String, options: HARWindowOptions = HARWindowOptions()) throws(HARDataError) -> HARSplit {
        guard options.features == .raw else {
            throw .unsupported("UCI HAR holds cut windows, not continuous recordings: derived channels need HAPT's RawData (use raw features)")
        }
        guard options.classes == .basic else {
            throw .unsupported("UCI HAR has only the six basic activities; the 12-class protocol needs HAPT")
        }
        guard options.window == window else {
            throw .unsupported("UCI HAR windows are \(window) samples; window \(options.window) needs HAPT's RawData")
        }
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        let train = try loadPart("train", root: root)
        let test = try loadPart("test", root: root)
        var result = HARSplit(
            train: HARWindowing.emptySet(options), validation: HARWindowing.emptySet(options),
            test: test)
        for index in 0..<train.count {
            let part: HARSplitPart = options.split.validation.contains(train.subjects[index]) ? .validation : .train
            let lower = index * train.windowSize
            result[part].append(
                train.frames[lower..<(lower + train.windowSize)], label: train.labels[index],
                subject: train.subjects[index], experiment: 0, start: train.starts[index])
        }
        return result
    }

    /// Loads one part (`"train"` or `"test"`) as six raw channels.
    public static func loadPart(_ part: String, root: String) throws(HARDataError) -> HARWindowSet {
        let folder = root + "/" + part
        guard FileManager.default.fileExists(atPath: folder) else {
            throw .noData(directory: root, reason: "no \(part)/ folder (expected the \"UCI HAR Dataset\" folder)")
        }
        let labelsPath = folder + "/y_\(part).txt"
        let subjectsPath = folder + "/subject_\(part).txt"
        let labels = try HARTextTable(path: labelsPath, what: "activity id per window").integerRows(columns: 1)
        let subjects = try HARTextTable(path: subjectsPath, what: "subject id per window").integerRows(columns: 1)
        guard labels.count == subjects.count else {
            throw .rowCountMismatch(path: labelsPath, rows: labels.count, otherPath: subjectsPath, otherRows: subjects.count)
        }
        let count = labels.count

        // Six signals in output channel order: total_acc xyz, body_gyro xyz.
        let signals = ["total_acc_x", "total_acc_y", "total_acc_z", "body_gyro_x", "body_gyro_y", "body_gyro_z"]
        var set = HARWindowSet(
            window: window, channels: 6, channelNames: HARRecording.channelNames,
            classNames: HARClassSet.basic.classNames)
        var frames = [Float](repeating: 0, count: count * window * 6)
        for (channel, signal) in signals.enumerated() {
            let path = folder + "/Inertial Signals/\(signal)_\(part).txt"
            let values = try HARTextTable(path: path, what: "\(signal) signal, \(window) values per window").floats(columns: window)
            guard values.count / window == count else {
                throw .rowCountMismatch(path: path, rows: values.count / window, otherPath: labelsPath, otherRows: count)
            }
            // values [count × window] → frames [count × window × 6] at this channel.
            for index in 0..<(count * window) {
                frames[index * 6 + channel] = values[index]
            }
        }
        for (index, (line, row)) in labels.enumerated() {
            guard let label = HARClassSet.basic.classIndex(ofActivity: row[0]) else {
                throw .unknownActivity(path: labelsPath, line: line, id: row[0])
            }
            let (subjectLine, subjectRow) = subjects[index]
            guard (1...30).contains(subjectRow[0]) else {
                throw .notANumber(path: subjectsPath, line: subjectLine, token: "\(subjectRow[0])")
            }
            let lower = index * window * 6
            set.append(frames[lower..<(lower + window * 6)], label: label, subject: subjectRow[0], experiment: 0, start: index)
        }
        return set
    }
}
