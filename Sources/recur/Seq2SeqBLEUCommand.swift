import ArgumentParser
import Foundation
import Trainer

/// `recur bleu HYPOTHESES REFERENCES`: corpus BLEU-4 of tokenized lines, one reference per line.
///
/// Tokens are separated by spaces (the lines `recur train translate --outputs DIR` writes); the
/// number equals `sacrebleu --tokenize none` on the same files (scripts/check-bleu checks it).
struct Seq2SeqBLEUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bleu",
        abstract: "Corpus BLEU-4 of space-tokenized hypothesis lines against one reference line each.",
        discussion: """
            Prints BLEU (0–100, four decimals), the four n-gram precisions, the brevity penalty and \
            the hypothesis and reference lengths, as sacrebleu --tokenize none computes them \
            (no smoothing; scripts/check-bleu compares the two).

            Examples:
              recur bleu out/test.greedy.txt out/test.reference.txt
              recur bleu out/test.beam.txt out/test.reference.txt
            """)

    @Argument(help: "Hypotheses: one tokenized line per sentence.")
    var hypotheses: String
    @Argument(help: "References: one tokenized line per sentence, as many lines as the hypotheses.")
    var references: String

    /// The lines of `path` split at spaces and tabs (a final newline ends the last line).
    static func tokenLines(_ path: String) throws -> [[String]] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(path) is not UTF-8") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init) }
    }

    func run() throws {
        let hypothesisLines = try Self.tokenLines(hypotheses)
        let referenceLines = try Self.tokenLines(references)
        guard hypothesisLines.count == referenceLines.count else {
            throw CLIError("\(hypotheses) has \(hypothesisLines.count) lines but \(references) has \(referenceLines.count)")
        }
        let bleu = BLEU(hypotheses: hypothesisLines, references: referenceLines)
        let precisions = bleu.precisions.map { String(format: "%.4f", $0) }.joined(separator: "/")
        print(String(format: "BLEU %.4f", bleu.score) + " precisions \(precisions)"
            + String(format: " bp %.4f", bleu.brevityPenalty) + " hyp_len \(bleu.hypothesisLength) ref_len \(bleu.referenceLength)")
    }
}
