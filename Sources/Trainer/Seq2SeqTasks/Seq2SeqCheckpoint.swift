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
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.writeFailed(path: directory, reason: "\(error.localizedDescription)")
        }
        let data: Data
        do { data = try Checkpoint.encoder().encode(self) } catch {
            throw CheckpointError.writeFailed(path: directory, reason: "encoding: \(error)")
        }
        try AtomicFile.write(Array(data), to: Self.path(in: directory))
    }

    /// Reads the checkpoint in `directory`.
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong with it.
    public static func load(from directory: String) throws -> Seq2SeqCheckpoint {
        let file = path(in: directory)
        guard let data = FileManager.default.contents(atPath: file) else { throw CheckpointError.unreadable(path: file) }
        let checkpoint: Seq2SeqCheckpoint
        do { checkpoint = try Checkpoint.decoder().decode(Seq2SeqCheckpoint.self, from: data) } catch {
            throw CheckpointError.corrupt(path: file, reason: "\(error)")
        }
        if checkpoint.version != currentVersion {
            throw CheckpointError.corrupt(path: file, reason: "layout version \(checkpoint.version), this recur reads \(currentVersion)")
        }
        return checkpoint
    }
}
