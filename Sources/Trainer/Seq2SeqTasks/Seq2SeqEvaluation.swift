import Foundation
import RecurRuntime

/// `recur eval` of a file from `recur train addition|translate`: the test split rebuilt from the
/// settings stored in the file (`recur.train.settings`), decoded by the Runtime greedily (and
/// with a beam when asked) and scored as the training run scored it.
public enum Seq2SeqEvaluation {
    /// What an evaluation measured.
    public struct Result: Sendable {
        /// The stored settings with this evaluation's pairs file and beam.
        public var settings: Seq2SeqSettings
        public var testCount: Int
        public var scores: Seq2SeqRunner.RuntimeScores
    }

    /// The settings stored by a seq2seq run, or nil when `json` is another task's (or not JSON).
    public static func settings(json: String) -> Seq2SeqSettings? {
        try? JSONDecoder().decode(Seq2SeqSettings.self, from: Data(json.utf8))
    }

    /// Rebuilds the test split, checks that it is the model's (same vocabularies and lengths)
    /// and decodes it with the Runtime.
    ///
    /// - Parameters:
    ///   - file: the model's GGUF (for its vocabularies and lengths).
    ///   - model: the same file loaded by the Runtime.
    ///   - stored: the settings stored in the file.
    ///   - pairs: translate: the pairs file (the model stores only its name, not where it was).
    ///   - beam: also decode with a beam of this width (nil or 1: greedy only).
    /// - Throws: `Seq2SeqDataError` when the pairs file is missing or is not the one the model was
    ///   trained on; `RecurError` when decoding fails.
    public static func evaluate(file: GGUFFile, model: Model, stored: Seq2SeqSettings, pairs: String?,
                                beam: Int?) throws -> Result {
        if let beam, beam < 1 { throw Seq2SeqDataError("--beam must be at least 1, got \(beam)") }
        var settings = stored
        settings.beam = beam ?? 1
        if settings.task == .translate {
            guard let pairs else {
                throw Seq2SeqDataError("a translate model needs --pairs FILE: it was trained on "
                    + "\"\(stored.pairs ?? "?")\" and stores no path")
            }
            settings.pairs = pairs
        }
        let data = try Seq2SeqRunner.makeData(settings)
        let origin = settings.task == .translate ? "--pairs \(settings.pairs ?? "")" : "the stored addition settings"
        func expect<T: Equatable>(_ key: String, _ stored: T?, _ rebuilt: T, _ what: String) throws {
            guard stored == rebuilt else {
                throw Seq2SeqDataError("\(origin) gives a different \(what) from the model's \(key): "
                    + "not the data (or the options) the model was trained on")
            }
        }
        try expect("recur.vocab", try file.optionalStrings("recur.vocab"), data.sourceVocabulary.tokens, "source vocabulary")
        try expect("recur.target.vocab", try file.optionalStrings("recur.target.vocab"), data.targetVocabulary.tokens,
                   "target vocabulary")
        try expect("recur.target.max_length", try file.optionalUInt32("recur.target.max_length"),
                   UInt32(data.targetMaxLength), "longest target")
        let scores = try Seq2SeqRunner.runtimeScores(model, data: data, settings: settings)
        return Result(settings: settings, testCount: data.test.count, scores: scores)
    }
}
