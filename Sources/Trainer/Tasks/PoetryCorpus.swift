import Foundation

/// Turns the chinese-poetry JSON layout into one text with one poem per line (seed project 14).
///
/// The layout: each `.json` file is an array of poems, each an object whose `paragraphs` is an
/// array of strings (the poem's couplets, punctuation included). A poem becomes its paragraphs
/// joined without separators, with line breaks inside them removed, then a newline. A path is
/// either one such file or a directory whose `.json` files are read in natural name order
/// (`poet.tang.0.json`, `poet.tang.1000.json`, …, `poet.tang.57000.json`). Objects without
/// `paragraphs` (the `authors.*.json` files hold poets, not poems) are skipped.
public enum PoetryCorpus {
    /// Whether `path` is meant as chinese-poetry JSON: a directory, or a file ending in `.json`.
    public static func isPoetry(path: String) -> Bool {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return (exists && isDirectory.boolValue) || path.lowercased().hasSuffix(".json")
    }

    /// The poems under `path`, one per line.
    ///
    /// - Throws: `TaskError.unreadable` (missing file or directory), `.badPoetry` (a file that
    ///   is not UTF-8 JSON of the layout, naming the file and the poem index), `.noPoems`.
    public static func text(path: String) throws -> String {
        let files = try corpusFiles(path: path, suffix: ".json")
        var text = ""
        var poems = 0
        for file in files {
            poems += try appendPoems(of: file, to: &text)
        }
        if poems == 0 { throw TaskError.noPoems(path: path) }
        return text
    }

    /// Appends the poems of one file; returns how many.
    static func appendPoems(of file: String, to text: inout String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: file) else { throw TaskError.unreadable(path: file) }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TaskError.badPoetry(path: file, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let entries = root as? [Any] else {
            throw TaskError.badPoetry(path: file, reason: "the top level is not an array of poems")
        }
        var count = 0
        for (index, entry) in entries.enumerated() {
            guard let poem = entry as? [String: Any] else {
                throw TaskError.badPoetry(path: file, reason: "entry \(index) is not an object")
            }
            guard let paragraphs = poem["paragraphs"] else { continue }
            guard let lines = paragraphs as? [String] else {
                throw TaskError.badPoetry(path: file, reason: "entry \(index): \"paragraphs\" is not an array of strings")
            }
            var line = ""
            for part in lines {
                line += part.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }
                    .reduce(into: "") { $0.unicodeScalars.append($1) }
            }
            if line.isEmpty { continue }
            text += line
            text += "\n"
            count += 1
        }
        return count
    }

    /// `path` itself, or for a directory its files ending in `suffix` (any case) in natural name
    /// order (`a.2`, `a.10`), as paths (shared with `ABCCorpus`).
    ///
    /// - Throws: `TaskError.unreadable` when `path` does not exist or cannot be listed.
    static func corpusFiles(path: String, suffix: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TaskError.unreadable(path: path)
        }
        guard isDirectory.boolValue else { return [path] }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw TaskError.unreadable(path: path)
        }
        return names.filter { $0.lowercased().hasSuffix(suffix) }
            .sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
            .map { (path as NSString).appendingPathComponent($0) }
    }
}
