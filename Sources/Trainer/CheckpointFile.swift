import Foundation
import RecurRuntime

/// A checkpoint kind: settings and network description, plus the training state whose float
/// arrays go into the file's tensors (`Checkpoint`, `EncoderDecoderCheckpoint`).
protocol CheckpointContents: Codable {
    /// The file name inside a checkpoint directory, without extension (`checkpoint`, …).
    static var stem: String { get }
    /// The layout version this code writes (2: binary).
    static var currentVersion: Int { get }
    var version: Int { get set }
    var state: TrainingState { get set }
}

/// How checkpoints are stored (docs/TRAINING.md, "Checkpoints and --resume").
///
/// Layout version 2, `<dir>/<stem>.gguf`: one GGUF v3 file (the reader and writer of the model
/// files). Its tensors hold the state's float arrays as F32, bit for bit: `param.<name>`,
/// `best.<name>` (when the run has a best epoch) and `opt.<set>.<name>` (Adam: set 0 the first
/// moments, set 1 the second). The key `recur.checkpoint.json` holds everything else as JSON —
/// settings, network, step counts, generator states, best loss, history — with those arrays
/// empty. Written through a temporary file, fsync and rename.
///
/// Layout version 1, `<dir>/<stem>.json`, was all JSON (floats in shortest round-trip form); it is
/// still read, and the first binary checkpoint written into the directory replaces it.
enum CheckpointFile {
    static let jsonKey = "recur.checkpoint.json"
    static let hasBestKey = "recur.checkpoint.has_best"
    static let optimizerSetsKey = "recur.checkpoint.optimizer_sets"
    /// The layout version of the all-JSON files.
    static let jsonVersion = 1

    static func binaryPath<C: CheckpointContents>(_ type: C.Type, in directory: String) -> String {
        (directory as NSString).appendingPathComponent(C.stem + ".gguf")
    }

    static func jsonPath<C: CheckpointContents>(_ type: C.Type, in directory: String) -> String {
        (directory as NSString).appendingPathComponent(C.stem + ".json")
    }

    // MARK: Writing

    /// The file's bytes.
    static func encode<C: CheckpointContents>(_ checkpoint: C) throws(CheckpointError) -> [UInt8] {
        let state = checkpoint.state
        let names = state.parameterNames
        precondition(state.parameters.count == names.count, "checkpoint: \(state.parameters.count) parameters for \(names.count) names")
        precondition(state.bestParameters.isEmpty || state.bestParameters.count == names.count,
                     "checkpoint: \(state.bestParameters.count) best parameters for \(names.count) names")
        var header = checkpoint
        header.version = C.currentVersion
        header.state.parameters = []
        header.state.bestParameters = []
        header.state.optimizer.buffers = []
        let json: Data
        do { json = try Checkpoint.encoder().encode(header) } catch {
            throw .writeFailed(path: C.stem, reason: "encoding: \(error)")
        }
        var builder = GGUFBuilder()
        builder.set("general.type", .string("recur.checkpoint"))
        builder.set(hasBestKey, .bool(!state.bestParameters.isEmpty))
        builder.set(optimizerSetsKey, .uint32(UInt32(state.optimizer.buffers.count)))
        builder.set(jsonKey, .string(String(decoding: json, as: UTF8.self)))
        for (name, values) in zip(names, state.parameters) { builder.addF32(name: "param.\(name)", values) }
        for (name, values) in zip(names, state.bestParameters) { builder.addF32(name: "best.\(name)", values) }
        for (set, buffers) in state.optimizer.buffers.enumerated() {
            precondition(buffers.count == names.count, "checkpoint: optimizer set \(set) has \(buffers.count) buffers for \(names.count) parameters")
            for (name, values) in zip(names, buffers) { builder.addF32(name: "opt.\(set).\(name)", values) }
        }
        return builder.encode()
    }

    /// Writes `checkpoint` into `directory` (created if needed) atomically, then removes a
    /// version-1 JSON checkpoint of the same kind there, which it supersedes.
    ///
    /// - Throws: `CheckpointError.writeFailed` naming the path and the system's reason.
    static func save<C: CheckpointContents>(_ checkpoint: C, in directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.writeFailed(path: directory, reason: "\(error.localizedDescription)")
        }
        try AtomicFile.write(try encode(checkpoint), to: binaryPath(C.self, in: directory))
        unlink(jsonPath(C.self, in: directory))
        CheckpointKillSwitch.checkpointWritten()
    }

    // MARK: Reading

    /// Reads a checkpoint file, or the checkpoint inside a directory (the binary one, else a
    /// version-1 JSON one).
    ///
    /// - Throws: `CheckpointError` naming the file and what is wrong with it.
    static func load<C: CheckpointContents>(_ type: C.Type, from path: String) throws(CheckpointError) -> C {
        var isDirectory: ObjCBool = false
        var file = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = binaryPath(C.self, in: path)
            let json = jsonPath(C.self, in: path)
            if !FileManager.default.fileExists(atPath: file) && FileManager.default.fileExists(atPath: json) { file = json }
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw .unreadable(path: file) }
        guard data.starts(with: Array("GGUF".utf8)) else { return try decodeJSON(C.self, data, path: file) }
        return try decode(C.self, storage: data.withUnsafeBytes { ByteStorage(copying: $0) }, path: file)
    }

    /// A layout-version-2 file.
    static func decode<C: CheckpointContents>(_ type: C.Type, storage: ByteStorage, path: String) throws(CheckpointError) -> C {
        let file: GGUFFile
        do { file = try GGUFFile(parsing: storage) } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
        var checkpoint: C
        let sets: Int, hasBest: Bool
        do {
            let json = try file.string(jsonKey)
            sets = Int(try file.uint32(optimizerSetsKey))
            hasBest = try file.optionalBool(hasBestKey) ?? false
            checkpoint = try readJSON(C.self, Data(json.utf8), path: path)
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
        if checkpoint.version != C.currentVersion {
            throw .corrupt(path: path, reason: "layout version \(checkpoint.version) in a binary checkpoint, this recur reads \(C.currentVersion)")
        }
        let names = checkpoint.state.parameterNames
        let expected = names.count * (1 + (hasBest ? 1 : 0) + sets)
        if file.tensors.count != expected {
            throw .corrupt(path: path, reason: "\(file.tensors.count) tensors, expected \(expected) for \(names.count) parameters")
        }
        func floats(_ name: String) throws(CheckpointError) -> [Float] {
            do {
                let info = try file.tensor(name)
                guard info.type == .f32 else { throw CheckpointError.corrupt(path: path, reason: "tensor '\(name)' is \(info.type.name), expected F32") }
                return try file.floats(of: info)
            } catch let error as CheckpointError {
                throw error
            } catch {
                throw .corrupt(path: path, reason: "\(error)")
            }
        }
        var state = checkpoint.state
        state.parameters = try names.map { (name) throws(CheckpointError) in try floats("param.\(name)") }
        state.bestParameters = hasBest ? try names.map { (name) throws(CheckpointError) in try floats("best.\(name)") } : []
        state.optimizer.buffers = try (0..<sets).map { (set) throws(CheckpointError) in
            try names.map { (name) throws(CheckpointError) in try floats("opt.\(set).\(name)") }
        }
        checkpoint.state = state
        return checkpoint
    }

    /// A layout-version-1 file (all JSON).
    static func decodeJSON<C: CheckpointContents>(_ type: C.Type, _ data: Data, path: String) throws(CheckpointError) -> C {
        let checkpoint = try readJSON(C.self, data, path: path)
        if checkpoint.version != jsonVersion {
            throw .corrupt(path: path, reason: "layout version \(checkpoint.version) in a JSON checkpoint, which only version \(jsonVersion) was")
        }
        return checkpoint
    }

    private static func readJSON<C: Decodable>(_ type: C.Type, _ data: Data, path: String) throws(CheckpointError) -> C {
        do { return try Checkpoint.decoder().decode(C.self, from: data) } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
    }
}
