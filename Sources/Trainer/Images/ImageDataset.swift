import Foundation

/// The generated image → text data sets and the directory `recur gen` writes:
///
///     DIR/manifest.tsv     one line per example: images/000001.pgm<TAB>target tokens
///     DIR/images/…         binary PGM (grey) or PPM (RGB), all the same size
///     DIR/info.json        generator, seed, count, image size
///
/// Example i (from 1) is drawn from the i-th `split()` of `SeededRandom(seed:)`, so a data set's
/// first N examples are the same whatever its count.
public enum ImageDataset {
    /// The two generators.
    public enum Generator: String, CaseIterable, Codable, Sendable {
        /// GUI sketches (96 × 96 grey) → DSL tokens (`GUIGenerator`, `GUISketch`).
        case gui
        /// Shape scenes (64 × 64 RGB) → English captions (`ShapeScene`).
        case scenes

        public var width: Int { self == .gui ? GUISketch.width : ShapeScene.width }
        public var height: Int { self == .gui ? GUISketch.height : ShapeScene.height }
        public var channels: Int { self == .gui ? 1 : 3 }
    }

    /// One example: the image and its target, tokens separated by single spaces.
    public struct Example: Equatable, Sendable {
        public var image: ImageCanvas
        public var target: String
    }

    /// What `info.json` holds (keys in snake case: `max_tokens`).
    public struct Info: Codable, Equatable, Sendable {
        public var generator: Generator
        public var seed: UInt64
        public var count: Int
        public var width: Int
        public var height: Int
        public var channels: Int
        /// GUI only: the longest target in tokens that the generator allows.
        public var maxTokens: Int?
        public var note: String
    }

    /// The first `count` examples of a generator for `seed`.
    public static func examples(_ generator: Generator, seed: UInt64, count: Int, maxTokens: Int = 40) -> [Example] {
        var master = SeededRandom(seed: seed)
        return (0..<count).map { _ in example(generator, maxTokens: maxTokens, master: &master) }
    }

    /// The next example: drawn from `master.split()`.
    static func example(_ generator: Generator, maxTokens: Int, master: inout SeededRandom) -> Example {
        var random = master.split()
        switch generator {
        case .gui:
            let document = GUIGenerator(maxTokens: maxTokens).document(random: &random)
            return Example(image: GUISketch.draw(document, random: &random), target: document.text)
        case .scenes:
            let scene = ShapeScene.random(&random)
            return Example(image: scene.render(), target: scene.text)
        }
    }

    /// Writes the data set into the directory `path`: first into `path.tmp`, then renamed, so an
    /// interrupted run leaves no half-written `path`.
    ///
    /// - Parameter force: replace an existing non-empty directory (an empty one is always replaced).
    /// - Throws: `ImageDatasetError` naming the path.
    public static func write(_ generator: Generator, seed: UInt64, count: Int, maxTokens: Int = 40,
                             to path: String, force: Bool) throws(ImageDatasetError) {
        precondition(count >= 0, "count \(count)")
        // "out/" names the directory "out": the staging directory goes beside it, not into it.
        var directory = path
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = files.fileExists(atPath: directory, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw .notADirectory(path: directory) }
            let contents = (try? files.contentsOfDirectory(atPath: directory)) ?? []
            if !contents.isEmpty && !force { throw .notEmpty(path: directory) }
        }
        let staging = directory + ".tmp"
        try attempt(staging) { if files.fileExists(atPath: staging) { try files.removeItem(atPath: staging) } }
        try attempt(staging) { try files.createDirectory(atPath: staging + "/images", withIntermediateDirectories: true) }

        // One example at a time: 100,000 GUI images would be 0.9 GB in memory.
        var master = SeededRandom(seed: seed)
        let digits = max(6, String(count).count)
        var manifest = ""
        for index in 0..<count {
            let example = example(generator, maxTokens: maxTokens, master: &master)
            let number = String(index + 1)
            let name = "images/" + String(repeating: "0", count: digits - number.count) + number + "." + example.image.netpbmExtension
            try attempt(staging + "/" + name) { try Data(example.image.netpbm()).write(to: URL(fileURLWithPath: staging + "/" + name)) }
            manifest += name + "\t" + example.target + "\n"
        }
        try attempt(staging + "/manifest.tsv") { try Data(manifest.utf8).write(to: URL(fileURLWithPath: staging + "/manifest.tsv")) }
        let info = Info(generator: generator, seed: seed, count: count, width: generator.width, height: generator.height,
                        channels: generator.channels, maxTokens: generator == .gui ? maxTokens : nil,
                        note: generator == .gui
                            ? "generated GUI sketches and their DSL (no real screenshots)"
                            : "generated shape scenes and their captions (no photographs, no human captions)")
        try attempt(staging + "/info.json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try (try encoder.encode(info) + Data("\n".utf8)).write(to: URL(fileURLWithPath: staging + "/info.json"))
        }
        if exists { try attempt(directory) { try files.removeItem(atPath: directory) } }
        try attempt(directory) { try files.moveItem(atPath: staging, toPath: directory) }
    }

    /// Runs a file operation, turning its error into `ImageDatasetError.writeFailed` for `path`.
    private static func attempt(_ path: String, _ body: () throws -> Void) throws(ImageDatasetError) {
        do { try body() } catch { throw .writeFailed(path: path, reason: "\(error.localizedDescription)") }
    }
}

/// Why `ImageDataset.write` could not write a data set.
public enum ImageDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    case notEmpty(path: String)
    case notADirectory(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notEmpty(let path): "\(path) exists and is not empty (--force replaces it)"
        case .notADirectory(let path): "\(path) exists and is not a directory"
        case .writeFailed(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
