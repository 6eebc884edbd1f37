import Foundation

/// The settings of a run that checkpoints an encoder–decoder: they name the checkpoint's file.
public protocol Seq2SeqCheckpointSettings: Codable, Sendable, Equatable {
    /// The checkpoint's file name inside the checkpoint directory.
    static var checkpointFile: String { get }
}

extension Seq2SeqSettings: Seq2SeqCheckpointSettings {
    public static let checkpointFile = "seq2seq-checkpoint.json"
}

extension ImageToTextSettings: Seq2SeqCheckpointSettings {
    public static let checkpointFile = "image2text-checkpoint.json"
}

/// A seq2seq run's checkpoint (`recur train addition|translate`).
public typealias Seq2SeqCheckpoint = EncoderDecoderCheckpoint<Seq2SeqSettings>

/// An encoder–decoder run's checkpoint: its settings, network and training state, written
/// atomically as JSON (`Settings.checkpointFile` in the checkpoint directory) after every epoch.
public struct EncoderDecoderCheckpoint<Settings: Seq2SeqCheckpointSettings>: Codable, Sendable, Equatable {
    public static var currentVersion: Int { 1 }
    public var version: Int = Self.currentVersion
    public var settings: Settings
    public var spec: Seq2SeqSpec
    public var state: TrainingState

    public init(settings: Settings, spec: Seq2SeqSpec, state: TrainingState) {
        self.settings = settings
        self.spec = spec
        self.state = state
    }

    /// The file inside a checkpoint directory.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent(Settings.checkpointFile)
    }

    /// Writes the checkpoint into `directory` (created if needed): temp file, fsync, rename.
    ///
    /// - Throws: `CheckpointError.writeFailed` naming the path and the reason.
    public func save(in directory: String) throws {
        try Checkpoint.writeJSON(self, in: directory, to: Self.path(in: directory))
    }

    /// Reads the checkpoint in `directory`.
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong with it.
    public static func load(from directory: String) throws -> Self {
        let file = path(in: directory)
        let checkpoint = try Checkpoint.readJSON(Self.self, from: file)
        if checkpoint.version != currentVersion {
            throw CheckpointError.corrupt(path: file, reason: "layout version \(checkpoint.version), this recur reads \(currentVersion)")
        }
        return checkpoint
    }
}
