/// Everything that can be wrong with HAR data on disk, each case naming the file and line.
///
/// Line numbers count from 1, as an editor shows them.
public enum HARDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A path that must exist does not (`what` says which file the layout needs there).
    case missingFile(path: String, what: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file holds no data rows.
    case empty(path: String)
    /// A row has fewer values than the layout needs.
    case shortRow(path: String, line: Int, expected: Int, found: Int)
    /// A row has more values than the layout allows.
    case longRow(path: String, line: Int, expected: Int, found: Int)
    /// A token is not a finite number (or, where an integer is needed, not an integer).
    case notANumber(path: String, line: Int, token: String)
    /// A blank line inside the data (it would shift every following sample).
    case blankLine(path: String, line: Int)
    /// The accelerometer and gyroscope files of one experiment differ in length.
    case lengthMismatch(accPath: String, accRows: Int, gyroPath: String, gyroRows: Int)
    /// Files that must have one row per window (or per sample) disagree.
    case rowCountMismatch(path: String, rows: Int, otherPath: String, otherRows: Int)
    /// A label segment is empty or starts before the first sample.
    case badSegment(path: String, line: Int, reason: String)
    /// A label segment ends past the last sample of its recording.
    case labelPastEnd(path: String, line: Int, last: Int, samples: Int, recording: String)
    /// An activity id that the activity table does not define.
    case unknownActivity(path: String, line: Int, id: Int)
    /// labels.txt refers to an experiment with no signal files.
    case missingRecording(path: String, line: Int, experiment: Int, user: Int)
    /// Two label segments of one experiment overlap.
    case overlappingSegments(path: String, line: Int, experiment: Int)
    /// A folder holds none of the files a layout needs.
    case noData(directory: String, reason: String)
    /// A request the data cannot satisfy (reason says why).
    case unsupported(String)
    /// A line of recur-run's output (`t LABEL p`) that `recur har score` cannot read.
    case badResultLine(line: Int, text: String, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(path, what):
            "\(path): missing (\(what))"
        case let .unreadable(path, reason):
            "\(path): cannot read: \(reason)"
        case let .empty(path):
            "\(path): no data rows"
        case let .shortRow(path, line, expected, found):
            "\(path):\(line): expected \(expected) values, found \(found)"
        case let .longRow(path, line, expected, found):
            "\(path):\(line): expected \(expected) values, found \(found) (too many)"
        case let .notANumber(path, line, token):
            "\(path):\(line): \"\(token)\" is not a valid number here"
        case let .blankLine(path, line):
            "\(path):\(line): blank line inside the data"
        case let .lengthMismatch(accPath, accRows, gyroPath, gyroRows):
            "\(accPath) has \(accRows) samples but \(gyroPath) has \(gyroRows)"
        case let .rowCountMismatch(path, rows, otherPath, otherRows):
            "\(path) has \(rows) rows but \(otherPath) has \(otherRows)"
        case let .badSegment(path, line, reason):
            "\(path):\(line): \(reason)"
        case let .labelPastEnd(path, line, last, samples, recording):
            "\(path):\(line): segment ends at sample \(last) but \(recording) has only \(samples) samples"
        case let .unknownActivity(path, line, id):
            "\(path):\(line): unknown activity id \(id)"
        case let .missingRecording(path, line, experiment, user):
            "\(path):\(line): no signal files for experiment \(experiment), user \(user)"
        case let .overlappingSegments(path, line, experiment):
            "\(path):\(line): segment overlaps the previous one of experiment \(experiment)"
        case let .noData(directory, reason):
            "\(directory): \(reason)"
        case let .unsupported(reason):
            reason
        case let .badResultLine(line, text, reason):
            "<stdin>:\(line): \"\(text)\": \(reason)"
        }
    }
}
