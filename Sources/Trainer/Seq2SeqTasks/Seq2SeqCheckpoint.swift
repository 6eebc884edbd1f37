import Foundation

/// A seq2seq run's checkpoint: its settings, network and training state, written atomically as
/// JSON (`seq2seq-checkpoint.json` in the checkpoint directory) after every epoch.
public struct Seq2SeqCheckpoint: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    public var version: Int = Seq2SeqCheckpoint.currentVersion
    public var settings: Seq2SeqSettings
    public var spec: Seq2SeqSpec
    public var state: TrainingState

    public init(settings: Seq2SeqSettings, spec: Seq2SeqSpec, state: TrainingState) {
        self.settings = settings
        self.spec = spec
        self.state = state
    }

    /// The file inside a checkpoint directory.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("seq2seq-checkpoint.json")
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
    public static func load(from directory: String) throws -> Seq2SeqCheckpoint {
        let file = path(in: directory)
        let checkpoint = try Checkpoint.readJSON(Seq2SeqCheckpoint.self, from: file)
        if checkpoint.version != currentVersion {
            throw CheckpointError.corrupt(path: file, reason: "layout version \(checkpoint.version), this recur reads \(currentVersion)")
        }
        return checkpoint
    }
}
