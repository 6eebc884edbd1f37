import Foundation

/// Tunes in ABC notation, split by tune for `recur train charlm` (seed project 10).
///
/// A path is an `.abc` file or a directory whose `.abc` files are read in natural name order.
/// A tune starts at an `X:` line and ends at the next blank line or `X:` line, as tunes are
/// separated in an ABC file; text outside tunes (file headers, notes between tunes) is skipped.
/// Each tune keeps its lines (trailing spaces and CRs removed) and ends with one blank line, so
/// the model learns where a tune ends (`recur-run --max-tunes`). The tunes are taken as they are:
/// `scripts/folk-corpus` normalises headers and keeps the tunes abc2midi accepts.
///
/// Identical tunes are kept once, so a tune cannot sit in two splits. The split is by tune, in
/// corpus order: tune *i* (from 0) is a test tune when i mod 10 = 0, a validation tune when
/// i mod 20 = 5, a training tune otherwise (10 % / 5 % / 85 %, as `charlm` splits plain text).
public enum ABCCorpus {
    /// The three splits' texts (each tune followed by a blank line) and their tune counts.
    public struct Splits: Sendable, Equatable {
        public var train = ""
        public var validation = ""
        public var test = ""
        public var trainTunes = 0
        public var validationTunes = 0
        public var testTunes = 0

        public init() {}
    }

    /// Whether `path` is meant as ABC: a file ending in `.abc`, or a directory holding one.
    public static func isABC(path: String) -> Bool {
        if path.lowercased().hasSuffix(".abc") { return true }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        return names.contains { $0.lowercased().hasSuffix(".abc") }
    }

    /// The distinct tunes under `path`, each ending in "\n\n".
    ///
    /// - Throws: `TaskError.unreadable`, `.notUTF8` (naming the file), `.noTunes`.
    public static func tunes(path: String) throws -> [String] {
        let files = try PoetryCorpus.corpusFiles(path: path, suffix: ".abc")
        var tunes: [String] = []
        var seen = Set<String>()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw TaskError.unreadable(path: file) }
            guard let text = String(validating: data, as: UTF8.self) else { throw TaskError.notUTF8(path: file) }
            for tune in tuneTexts(in: text) where seen.insert(tune).inserted {
                tunes.append(tune)
            }
        }
        if tunes.isEmpty { throw TaskError.noTunes(path: path) }
        return tunes
    }

    /// The tunes under `path` split by tune.
    public static func splits(path: String) throws -> Splits {
        split(try tunes(path: path))
    }

    /// Splits `tunes` by index: i mod 10 = 0 test, i mod 20 = 5 validation, the rest train.
    public static func split(_ tunes: [String]) -> Splits {
        var splits = Splits()
        for (index, tune) in tunes.enumerated() {
            if index % 10 == 0 {
                splits.test += tune
                splits.testTunes += 1
            } else if index % 20 == 5 {
                splits.validation += tune
                splits.validationTunes += 1
            } else {
                splits.train += tune
                splits.trainTunes += 1
            }
        }
        return splits
    }

    /// The tunes of one file's text, in order, each ending in "\n\n".
    public static func tuneTexts(in text: String) -> [String] {
        var tunes: [String] = []
        var current: String? = nil
        func finish() {
            if let tune = current { tunes.append(tune + "\n") }
            current = nil
        }
        // "\r\n" is one Character in Swift: split at it too.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(rawLine)
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
            if line.hasPrefix("X:") {
                finish()
                current = line + "\n"
            } else if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                finish()
            } else if current != nil {
                current? += line + "\n"
            }
        }
        finish()
        return tunes
    }
}
