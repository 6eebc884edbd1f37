import Foundation
import Testing

/// Paths to the committed HAR fixtures and scratch copies of them for malformed-file tests.
enum HARFixtures {
    /// Tests/TrainerTests/Fixtures/har
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.appendingPathComponent("Fixtures/har").path
    }()

    /// The HAPT-layout fixture ("HAPT Data Set" folder).
    static var hapt: String { root + "/hapt/HAPT Data Set" }

    /// The UCI-HAR-layout fixture ("UCI HAR Dataset" folder).
    static var uciHAR: String { root + "/uci-har/UCI HAR Dataset" }

    /// Copies a fixture folder into a fresh temporary folder, lets `edit` damage it,
    /// and returns the copy's path. The caller removes it with `remove`.
    static func scratchCopy(of folder: String, edit: (String) throws -> Void) throws -> String {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("recur-har-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let copy = scratch + "/" + (folder as NSString).lastPathComponent
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        try edit(copy)
        return copy
    }

    /// Removes a scratch copy made by `scratchCopy`.
    static func remove(_ copy: String) {
        try? FileManager.default.removeItem(atPath: (copy as NSString).deletingLastPathComponent)
    }

    /// Replaces line `number` (1-based) of a text file.
    static func replaceLine(_ number: Int, in path: String, with text: String) throws {
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines[number - 1] = text
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Appends a line to a text file.
    static func appendLine(_ text: String, to path: String) throws {
        let old = try String(contentsOfFile: path, encoding: .utf8)
        try (old + text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
