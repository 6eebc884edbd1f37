import Foundation

/// Everything needed to continue a training run exactly where it stopped.
///
/// Written after every epoch to `<dir>/checkpoint.json` (temp file, fsync, rename), so a crash
/// leaves either the previous checkpoint or the new one, never half of one. Floats are written
/// in their shortest round-trip form, so a resumed run continues from bit-identical parameters
/// and optimizer moments, and ends with the same model bytes as a run that was never interrupted.
public struct Checkpoint: Codable, Sendable, Equatable {
    /// The checkpoint layout version this code writes and reads.
    public static let currentVersion = 1

    public var version: Int = Checkpoint.currentVersion
    /// The run's settings (task, sizes, data options, total epochs…).
    public var settings: TrainSettings
    /// The network built from the settings and the data (vocabulary size…).
    public var spec: ModelSpec
    /// The training loop's state after the last completed epoch: parameters, optimizer moments,
    /// random streams, best-so-far parameters and loss, early-stopping counter, history.
    public var state: TrainingState

    public init(settings: TrainSettings, spec: ModelSpec, state: TrainingState) {
        self.settings = settings
        self.spec = spec
        self.state = state
    }

    /// The file a checkpoint directory holds.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("checkpoint.json")
    }

    /// JSON with every float written in Swift's shortest round-trip form (exact on reading back)
    /// and infinities spelled out (the best loss starts at +inf).
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Writes the checkpoint into `directory` (created if needed) atomically.
    ///
    /// - Throws: `CheckpointError.writeFailed` naming the path and the system's reason.
    public func save(in directory: String) throws {
        try Checkpoint.writeJSON(self, in: directory, to: Checkpoint.path(in: directory))
    }

    /// Writes `value` as checkpoint JSON to `path` atomically, creating `directory` if needed
    /// (shared with `Seq2SeqCheckpoint`).
    ///
    /// - Throws: `CheckpointError.writeFailed` naming the path and the system's reason.
    static func writeJSON<T: Encodable>(_ value: T, in directory: String, to path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.writeFailed(path: directory, reason: "\(error.localizedDescription)")
        }
        let data: Data
        do { data = try Checkpoint.encoder().encode(value) } catch {
            throw CheckpointError.writeFailed(path: directory, reason: "encoding: \(error)")
        }
        try AtomicFile.write(Array(data), to: path)
        CheckpointKillSwitch.checkpointWritten()
    }

    /// Reads checkpoint JSON of type `T` from `file` (shared with `Seq2SeqCheckpoint`).
    ///
    /// - Throws: `CheckpointError.unreadable` or `.corrupt` naming the file.
    static func readJSON<T: Decodable>(_ type: T.Type, from file: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: file) else { throw CheckpointError.unreadable(path: file) }
        do { return try Checkpoint.decoder().decode(T.self, from: data) } catch {
            throw CheckpointError.corrupt(path: file, reason: "\(error)")
        }
    }

    /// Reads a checkpoint file, or the `checkpoint.json` inside a directory.
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong with it.
    public static func load(from path: String) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? Checkpoint.path(in: path) : path
        let checkpoint = try readJSON(Checkpoint.self, from: file)
        if checkpoint.version != currentVersion {
            throw CheckpointError.corrupt(path: file, reason: "layout version \(checkpoint.version), this recur reads \(currentVersion)")
        }
        return checkpoint
    }
}

/// Problems reading or writing a checkpoint.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case corrupt(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    /// The checkpoint's parameters do not fit the model it describes.
    case mismatch(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read checkpoint \(path)"
        case .corrupt(let path, let reason): "checkpoint \(path) is not usable: \(reason)"
        case .writeFailed(let path, let reason): "cannot write \(path): \(reason)"
        case .mismatch(let path, let reason): "checkpoint \(path) does not match its model: \(reason)"
        }
    }
}
