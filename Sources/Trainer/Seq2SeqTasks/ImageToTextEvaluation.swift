import Foundation
import RecurRuntime

/// Decodes a dataset directory's images with an `image_to_text` model through the Runtime (the code
/// `recur-run` uses) and scores the outputs against the manifest's targets: what `recur train
/// image2text` reports for the int8 file and `recur eval MODEL --data DIR` prints.
public enum ImageToTextEvaluation {
    /// What one decoding of a test set measured.
    public struct Result: Sendable {
        public var testCount: Int
        /// Exact match and BLEU-4 of greedy decoding.
        public var greedy: Seq2SeqScores
        /// Test images per second of greedy decoding (one thread).
        public var greedyPerSecond: Double
        /// With a beam of width > 1: the best hypothesis' scores.
        public var beam: Seq2SeqScores?
    }

    /// Reads `directory` (its images must have the model's size) and scores the Runtime's greedy
    /// (and, with `beam` > 1, beam) decoding of every image.
    ///
    /// - Throws: `Seq2SeqDataError` when the model is not an image → text model or the data is
    ///   bad (naming the file); `RecurError` when decoding fails.
    public static func evaluate(_ model: Model, directory: String, beam: Int? = nil) throws -> Result {
        guard let image = model.image, let seq2seq = model.seq2seq else {
            throw Seq2SeqDataError("not an image_to_text model (recur.task is \(model.task.rawValue))")
        }
        if let beam, beam < 1 { throw Seq2SeqDataError("--beam must be at least 1, got \(beam)") }
        let shape = ImageShape(height: image.input.height, width: image.input.width, channels: image.input.channels)
        let data = try ImageTextDataset.read(directory, shape: shape)
        return try score(model, vocabulary: seq2seq.targetVocabulary, examples: data.examples, beam: beam)
    }

    /// Decodes `examples` with the Runtime and scores them against their tokens.
    static func score(_ model: Model, vocabulary: [String], examples: [ImageTextDataset.Example], beam: Int?) throws
        -> Result {
        func words(_ ids: [Int32]) -> [String] {
            ids.map { $0 >= 0 && Int($0) < vocabulary.count ? vocabulary[Int($0)] : Seq2SeqVocabulary.unknownText }
        }
        let references = examples.map(\.tokens)
        let width = max(1, beam ?? 1)
        let translator = try model.makeTranslator(beamWidth: width)
        let started = Date()
        var greedy: [[String]] = []
        for example in examples { greedy.append(words(try translator.greedy(image: example.image).tokens)) }
        let seconds = Date().timeIntervalSince(started)
        var result = Result(testCount: examples.count, greedy: Seq2SeqScores(hypotheses: greedy, references: references),
                            greedyPerSecond: Double(examples.count) / max(seconds, 1e-9), beam: nil)
        if width > 1 {
            var best: [[String]] = []
            for example in examples {
                best.append(words(try translator.beam(image: example.image, width: width).first?.tokens ?? []))
            }
            result.beam = Seq2SeqScores(hypotheses: best, references: references)
        }
        return result
    }
}
