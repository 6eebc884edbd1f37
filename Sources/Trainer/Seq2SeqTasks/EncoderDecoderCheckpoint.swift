import Foundation

/// The settings of a run that checkpoints an encoder–decoder: they name the checkpoint's file.
public protocol Seq2SeqCheckpointSettings: Codable, Sendable, Equatable {
    /// The checkpoint's file name inside the checkpoint directory, without extension.
    static var checkpointStem: String { get }
}

extension Seq2SeqSettings: Seq2SeqCheckpointSettings {
    public static let checkpointStem = "seq2seq-checkpoint"
}

extension ImageToTextSettings: Seq2SeqCheckpointSettings {
    public static let checkpointStem = "image2text-checkpoint"
}

/// A seq2seq run's checkpoint (`recur train addition|translate`).
public typealias Seq2SeqCheckpoint = EncoderDecoderCheckpoint<Seq2SeqSettings>

/// An encoder–decoder run's checkpoint: its settings, network and training state, written
/// atomically after every epoch to `<Settings.checkpointStem>.gguf` in the checkpoint directory
/// (the layout of `CheckpointFile`).
public struct EncoderDecoderCheckpoint<Settings: Seq2SeqCheckpointSettings>: Codable, Sendable, Equatable, CheckpointContents {
    public static var currentVersion: Int { 2 }
    static var stem: String { Settings.checkpointStem }
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
        CheckpointFile.binaryPath(Self.self, in: directory)
    }

    /// Writes the checkpoint into `directory` (created if needed): temp file, fsync, rename.
    ///
    /// - Throws: `CheckpointError.writeFailed` naming the path and the reason.
    public func save(in directory: String) throws {
        try CheckpointFile.save(self, in: directory)
    }

    /// Reads the checkpoint in `directory` (the binary one, or a version-1 JSON one), or a
    /// checkpoint file.
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong with it.
    public static func load(from path: String) throws -> Self {
        try CheckpointFile.load(Self.self, from: path)
    }
}
