import Foundation

/// Everything needed to continue a training run exactly where it stopped.
///
/// Written after every epoch to `<dir>/checkpoint.json` (temp file, fsync, rename), so a crash
/// leaves either the previous checkpoint or the new one, never half of one. Float arrays are
/// stored as their little-endian bytes (base64 in the JSON), so a resumed run continues from
/// bit-identical parameters and optimizer moments, and ends with the same model bytes as a run
/// that was never interrupted.
public struct Checkpoint: Codable, Sendable, Equatable {
    /// A named float array stored bit for bit.
    public struct Values: Codable, Sendable, Equatable {
        public var name: String
        /// The floats' little-endian IEEE bytes.
        public var bytes: Data

        public init(name: String, values: [Float]) {
            self.name = name
            var data = Data(capacity: values.count * 4)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            bytes = data
        }

        /// The floats back, exactly as stored.
        public var values: [Float] {
            var out = [Float](repeating: 0, count: bytes.count / 4)
            bytes.withUnsafeBytes { raw in
                for i in 0..<out.count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                }
            }
            return out
        }
    }

    /// The checkpoint layout version this code writes and reads.
    public static let currentVersion = 1

    public var version: Int = Checkpoint.currentVersion
    /// The run's settings (task, sizes, data options, total epochs…).
    public var settings: TrainSettings
    /// The network description, as the trainer's JSON for `ModelSpec`.
    public var spec: Data
    /// Epochs completed.
    public var epoch: Int
    /// Parameters after `epoch` epochs, in model order.
    public var parameters: [Values]
    /// Optimizer state (moments per parameter, in model order) and its step count.
    public var optimizer: [Values]
    public var optimizerStep: Int
    /// The training random stream's state (shuffling, dropout).
    public var randomState: UInt64
    /// Best validation metric so far (lower is better), the epoch it was reached and its parameters.
    public var bestMetric: Double
    public var bestEpoch: Int
    public var bestParameters: [Values]
    /// Epochs since the best one (early stopping counter).
    public var epochsWithoutImprovement: Int
    /// Training loss per completed epoch.
    public var lossHistory: [Double]

    public init(settings: TrainSettings, spec: Data, epoch: Int, parameters: [Values], optimizer: [Values],
                optimizerStep: Int, randomState: UInt64, bestMetric: Double, bestEpoch: Int,
                bestParameters: [Values], epochsWithoutImprovement: Int, lossHistory: [Double]) {
        self.settings = settings
        self.spec = spec
        self.epoch = epoch
        self.parameters = parameters
        self.optimizer = optimizer
        self.optimizerStep = optimizerStep
        self.randomState = randomState
        self.bestMetric = bestMetric
        self.bestEpoch = bestEpoch
        self.bestParameters = bestParameters
        self.epochsWithoutImprovement = epochsWithoutImprovement
        self.lossHistory = lossHistory
    }

    /// The file a checkpoint directory holds.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("checkpoint.json")
    }

    /// Writes the checkpoint into `directory` (created if needed) atomically.
    ///
    /// - Throws: `CheckpointError.writeFailed` naming the path and the system's reason.
    public func save(in directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.writeFailed(path: directory, reason: "\(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw CheckpointError.writeFailed(path: directory, reason: "encoding: \(error)")
        }
        try AtomicFile.write(Array(data), to: Checkpoint.path(in: directory))
    }

    /// Reads a checkpoint file, or the `checkpoint.json` inside a directory.
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong with it.
    public static func load(from path: String) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? Checkpoint.path(in: path) : path
        guard let data = FileManager.default.contents(atPath: file) else { throw CheckpointError.unreadable(path: file) }
        let checkpoint: Checkpoint
        do { checkpoint = try JSONDecoder().decode(Checkpoint.self, from: data) } catch {
            throw CheckpointError.corrupt(path: file, reason: "\(error)")
        }
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
