import Foundation

/// Everything needed to continue a training run exactly where it stopped.
///
/// Written after every epoch to `<dir>/checkpoint.gguf` (temp file, fsync, rename), so a crash
/// leaves either the previous checkpoint or the new one, never half of one. The parameters,
/// best parameters and optimizer moments are F32 tensors, bit for bit; the rest is JSON inside
/// the file (`CheckpointFile`). A resumed run continues from bit-identical parameters and
/// optimizer moments, and ends with the same model bytes as a run that was never interrupted.
public struct Checkpoint: Codable, Sendable, Equatable, CheckpointContents {
    /// The checkpoint layout version this code writes (1, all JSON, is still read).
    public static let currentVersion = 2
    static let stem = "checkpoint"

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
        CheckpointFile.binaryPath(Checkpoint.self, in: directory)
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
        try CheckpointFile.save(self, in: directory)
    }

    /// Reads a checkpoint file, or the checkpoint inside a directory (`checkpoint.gguf`, or a
    /// version-1 `checkpoint.json`).
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong with it.
    public static func load(from path: String) throws -> Checkpoint {
        try CheckpointFile.load(Checkpoint.self, from: path)
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
