import Foundation

/// The one call the trainer and the CLI make to get HAR windows from a folder.
public enum HARDataset {
    /// The layouts `load` recognises.
    public enum Layout: String, Sendable {
        /// HAPT v2.1 raw signals (`RawData/acc_expXX_userYY.txt`, …).
        case hapt
        /// UCI HAR's windowed inertial signals (`train/Inertial Signals/…`).
        case uciHAR
    }

    /// Which layout a folder holds, or nil.
    public static func detectLayout(_ directory: String) -> Layout? {
        let manager = FileManager.default
        for candidate in ["/RawData/labels.txt", "/labels.txt", "/HAPT Data Set/RawData/labels.txt"]
        where manager.fileExists(atPath: directory + candidate) {
            return .hapt
        }
        if manager.fileExists(atPath: directory + "/train/y_train.txt") { return .uciHAR }
        return nil
    }

    /// Loads a HAPT or UCI HAR folder and returns train/validation/test windows.
    ///
    /// - Throws: `HARDataError` naming the first bad file and line, or
    ///   `.noData` when the folder is neither layout.
    public static func load(directory: String, options: HARWindowOptions = HARWindowOptions()) throws(HARDataError) -> HARSplit {
        switch detectLayout(directory) {
        case .hapt:
            return try HARWindowing.split(HAPTLoader.load(directory: directory), options: options)
        case .uciHAR:
            return try UCIHARLoader.load(directory: directory, options: options)
        case nil:
            throw .noData(
                directory: directory,
                reason: "neither HAPT (RawData/labels.txt) nor UCI HAR (train/y_train.txt) layout")
        }
    }
}
