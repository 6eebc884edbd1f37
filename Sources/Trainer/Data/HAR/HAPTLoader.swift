import Foundation

/// Reads the raw signals of HAPT v2.1 ("Smartphone-Based Recognition of Human
/// Activities and Postural Transitions") in its original layout.
///
/// ```
/// HAPT Data Set/activity_labels.txt      "<id> <NAME>" per line (optional; ids 1–12)
/// HAPT Data Set/RawData/acc_expXX_userYY.txt   N rows × 3: acc x y z in g, 50 Hz
/// HAPT Data Set/RawData/gyro_expXX_userYY.txt  N rows × 3: gyro x y z in rad/s, same N
/// HAPT Data Set/RawData/labels.txt       experiment user activity first last
/// ```
///
/// `first` and `last` in labels.txt are 1-based and inclusive: the sample on
/// line k of the signal files is sample k. They become 0-based inclusive
/// `HARSegment`s here (docs/HAR.md explains how that was checked).
public enum HAPTLoader {
    /// Loads every experiment.
    ///
    /// - Parameter directory: the `HAPT Data Set` folder or its `RawData` folder.
    /// - Returns: recordings sorted by experiment number.
    /// - Throws: `HARDataError` naming the file and line of the first problem.
    public static func load(directory: String) throws(HARDataError) -> [HARRecording] {
        let (rawDirectory, topDirectory) = try locate(directory)
        let activityIDs = try activityTable(in: topDirectory)
        let files = try signalFiles(in: rawDirectory)

        var recordings: [Int: HARRecording] = [:]
        for (experiment, user) in files.sorted(by: { $0.key < $1.key }) {
            let name = String(format: "exp%02d_user%02d.txt", experiment, user)
            let accPath = rawDirectory + "/acc_" + name
            let gyroPath = rawDirectory + "/gyro_" + name
            let acc = try HARTextTable(path: accPath, what: "accelerometer signal").floats(columns: 3)
            let gyro = try HARTextTable(path: gyroPath, what: "gyroscope signal of \(accPath)").floats(columns: 3)
            guard acc.count == gyro.count else {
                throw .lengthMismatch(accPath: accPath, accRows: acc.count / 3, gyroPath: gyroPath, gyroRows: gyro.count / 3)
            }
            recordings[experiment] = HARRecording(
                experiment: experiment, subject: user, samples: interleave(acc, gyro), segments: [])
        }

        let labelsPath = rawDirectory + "/labels.txt"
        let rows = try HARTextTable(path: labelsPath, what: "segment labels").integerRows(columns: 5)
        for (line, row) in rows {
            let (experiment, user, activity, first, last) = (row[0], row[1], row[2], row[3], row[4])
            guard activityIDs.contains(activity) else {
                throw .unknownActivity(path: labelsPath, line: line, id: activity)
            }
            guard var recording = recordings[experiment], recording.subject == user else {
                throw .missingRecording(path: labelsPath, line: line, experiment: experiment, user: user)
            }
            guard first >= 1 else {
                throw .badSegment(path: labelsPath, line: line, reason: "first sample \(first) is before sample 1 (labels are 1-based)")
            }
            guard last >= first else {
                throw .badSegment(path: labelsPath, line: line, reason: "last sample \(last) is before first sample \(first)")
            }
            guard last <= recording.count else {
                throw .labelPastEnd(
                    path: labelsPath, line: line, last: last, samples: recording.count,
                    recording: String(format: "acc_exp%02d_user%02d.txt", experiment, user))
            }
            if let previous = recording.segments.last, previous.last >= first - 1 {
                throw .overlappingSegments(path: labelsPath, line: line, experiment: experiment)
            }
            recording.segments.append(HARSegment(activity: activity, first: first - 1, last: last - 1))
            recordings[experiment] = recording
        }
        return recordings.keys.sorted().map { recordings[$0]! }
    }

    // MARK: Layout

    /// Finds RawData (holding labels.txt) and the folder above it.
    private static func locate(_ directory: String) throws(HARDataError) -> (raw: String, top: String) {
        let trimmed = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        let manager = FileManager.default
        if manager.fileExists(atPath: trimmed + "/RawData/labels.txt") {
            return (trimmed + "/RawData", trimmed)
        }
        if manager.fileExists(atPath: trimmed + "/labels.txt") {
            return (trimmed, (trimmed as NSString).deletingLastPathComponent)
        }
        if manager.fileExists(atPath: trimmed + "/HAPT Data Set/RawData/labels.txt") {
            return (trimmed + "/HAPT Data Set/RawData", trimmed + "/HAPT Data Set")
        }
        throw .noData(directory: directory, reason: "no RawData/labels.txt here (expected HAPT's \"HAPT Data Set\" folder or its RawData folder)")
    }

    /// Activity ids defined by activity_labels.txt, or HAPT's 1–12 when the file is absent.
    private static func activityTable(in directory: String) throws(HARDataError) -> Set<Int> {
        let path = directory + "/activity_labels.txt"
        guard FileManager.default.fileExists(atPath: path) else { return Set(1...12) }
        var ids = Set<Int>()
        for (line, id, _) in try HARTextTable(path: path, what: "activity names").idNamePairs() {
            guard (1...12).contains(id) else { throw .unknownActivity(path: path, line: line, id: id) }
            ids.insert(id)
        }
        return ids
    }

    /// Experiment → user of every acc/gyro pair; a file without its partner is an error.
    private static func signalFiles(in directory: String) throws(HARDataError) -> [Int: Int] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .unreadable(path: directory, reason: "cannot list the folder")
        }
        var acc: [Int: Int] = [:]
        var gyro: [Int: Int] = [:]
        for name in names {
            guard let (kind, experiment, user) = parseSignalName(name) else { continue }
            if kind == "acc" { acc[experiment] = user } else { gyro[experiment] = user }
        }
        for (experiment, user) in acc.sorted(by: { $0.key < $1.key }) where gyro[experiment] != user {
            throw .missingFile(
                path: directory + "/" + String(format: "gyro_exp%02d_user%02d.txt", experiment, user),
                what: "gyroscope signal of acc_" + String(format: "exp%02d_user%02d.txt", experiment, user))
        }
        for (experiment, user) in gyro.sorted(by: { $0.key < $1.key }) where acc[experiment] != user {
            throw .missingFile(
                path: directory + "/" + String(format: "acc_exp%02d_user%02d.txt", experiment, user),
                what: "accelerometer signal of gyro_" + String(format: "exp%02d_user%02d.txt", experiment, user))
        }
        if acc.isEmpty {
            throw .noData(directory: directory, reason: "no acc_expXX_userYY.txt / gyro_expXX_userYY.txt files")
        }
        return acc
    }

    /// Splits `acc_exp01_user02.txt` into ("acc", 1, 2).
    static func parseSignalName(_ name: String) -> (String, Int, Int)? {
        guard name.hasSuffix(".txt") else { return nil }
        let parts = name.dropLast(4).split(separator: "_")
        guard parts.count == 3, parts[0] == "acc" || parts[0] == "gyro",
              parts[1].hasPrefix("exp"), parts[2].hasPrefix("user"),
              let experiment = Int(parts[1].dropFirst(3)), let user = Int(parts[2].dropFirst(4))
        else { return nil }
        return (String(parts[0]), experiment, user)
    }

    /// Interleaves two `[N × 3]` arrays into `[N × 6]`.
    static func interleave(_ acc: [Float], _ gyro: [Float]) -> [Float] {
        let count = acc.count / 3
        var samples = [Float](repeating: 0, count: count * 6)
        for index in 0..<count {
            for axis in 0..<3 {
                samples[index * 6 + axis] = acc[index * 3 + axis]
                samples[index * 6 + 3 + axis] = gyro[index * 3 + axis]
            }
        }
        return samples
    }
}
