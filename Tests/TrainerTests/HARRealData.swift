import Foundation
@testable import Trainer

/// Finds the real HAPT v2.1 raw data for the tests that need it, extracting the shared
/// archive into a temporary folder once per test process when only the archive is there.
///
/// Looked for, in order: `$RECUR_HAPT_DIR` (a `HAPT Data Set` folder or one holding it),
/// then `../shared/data/hapt` and `../../shared/data/hapt` next to the package (the
/// project's layout: /work/main and /work/wt/<branch> beside /work/shared). Tests that use
/// it are disabled, and show as skipped by name, when none is found; `bash .ci/run` from a
/// fresh clone does not need the data.
enum HARRealData {
    /// The `HAPT Data Set` folder, or nil when the data is not on this machine.
    static let directory: String? = locate()

    /// The recordings, loaded once per test process (parsing 133 MB of text is the slow part).
    static let recordings: Result<[HARRecording], HARDataError> = {
        guard let directory else { return .failure(.noData(directory: "(none)", reason: "HAPT data not found")) }
        do throws(HARDataError) {
            return .success(try HAPTLoader.load(directory: directory))
        } catch {
            return .failure(error)
        }
    }()

    private static func locate() -> String? {
        let manager = FileManager.default
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["RECUR_HAPT_DIR"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        candidates.append(packageRoot.appendingPathComponent("../shared/data/hapt").standardized.path)
        candidates.append(packageRoot.appendingPathComponent("../../shared/data/hapt").standardized.path)
        for candidate in candidates {
            for folder in [candidate, candidate + "/HAPT Data Set"]
            where manager.fileExists(atPath: folder + "/RawData/acc_exp01_user01.txt") {
                return folder
            }
            let archive = candidate + "/hapt-rawdata.tar.zst"
            if manager.fileExists(atPath: archive), let extracted = extract(archive) {
                return extracted
            }
        }
        return nil
    }

    /// `tar -I zstd -xf archive` into a fresh temporary folder (removed at process exit).
    private static func extract(_ archive: String) -> String? {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("recur-hapt-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-I", "zstd", "-xf", archive, "-C", scratch]
        do {
            try tar.run()
            tar.waitUntilExit()
        } catch {
            return nil
        }
        let folder = scratch + "/HAPT Data Set"
        guard tar.terminationStatus == 0,
              FileManager.default.fileExists(atPath: folder + "/RawData/acc_exp01_user01.txt") else {
            try? FileManager.default.removeItem(atPath: scratch)
            return nil
        }
        atexit { HARRealData.removeExtracted() }
        return folder
    }

    private static func removeExtracted() {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("recur-hapt-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: scratch)
    }
}
