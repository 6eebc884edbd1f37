import ArgumentParser
import Foundation
import Trainer

/// `recur train <task>`: one subcommand per task; the options every task takes are
/// `CommonTrainOptions`, each task adds its own.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a task and export it as an int8 .rnnz (fp32 and int8 held-out scores).",
        discussion: """
            Tasks that generate their data (no download needed):
              sine       next value of noisy sine waves (regressor; test MSE)
              adding     sum of two marked values in a long sequence (regressor; test MAE;
                         an LSTM or GRU learns it at length 100, a plain RNN does not)
              addition   "24+654" → "678", sequence to sequence with attention (exact match)
            Tasks that read data you provide:
              charlm     next character of a UTF-8 text file, --text FILE (lm; bits per character)
              frames     classifier or regressor from your own CSV recordings, --csv FILE: windows,
                         or whole variable-length segments (--segments)
              har        activity recognition from raw phone IMU recordings, --data DIR (the HAPT
                         data set; a preset of frames)
              mnist      handwritten digits read as 28 rows of 28 pixels, --data DIR (a preset of
                         frames --segments)
              babi       reading comprehension, --data DIR (bAbI v1.2): a memory network answers
                         questions about a story (test accuracy per task)
              translate  sentence pairs, --pairs FILE (tab-separated, e.g. Tatoeba), sequence to
                         sequence with attention (BLEU)
              textclass  a label per line of text, --data FILE (tab-separated text and label;
                         char or char-bigram tokens need no word segmentation)
              image2text images to token sequences, --data DIR (manifest.tsv + PGM/PPM images): a
                         convolutional encoder with an attention decoder (exact match, BLEU)

            `recur train <task> --help` lists a task's options. Every task takes -o, --f32/--no-f32,
            --cell, --hidden, --layers, --dropout, --epochs, --batch, --lr, --schedule, --seed,
            --threads, --patience, --checkpoint, --resume, --quiet and --report DIR (history.csv,
            metrics.json, report.html).
            A checkpoint is written atomically after every epoch when --checkpoint DIR is given;
            `--resume` continues from it and ends with the same model bytes as an uninterrupted run
            (on the same machine, at any --threads). The progress bar redraws in place on a terminal and prints plain
            lines every 10 s otherwise.

            Examples:
              recur train adding --cell lstm --length 100 -o adding.rnnz
              recur train adding --cell rnn --length 100 -o adding-rnn.rnnz
              recur train sine --epochs 10 --hidden 32 -o sine.rnnz --f32
              recur train charlm --text anna.txt --max-chars 300000 --hidden 128 -o anna.rnnz
              recur train frames --csv walk.csv --label-column activity --group-column subject --window 64 -o act.rnnz
              recur train har --data "HAPT Data Set" --hidden 64 -o har.rnnz
              recur train mnist --data mnist -o mnist-rows.rnnz
              recur train textclass --data dev.txt --data-test test.txt --label-names class.txt -o news-zh.rnnz
              recur train addition -o addition.rnnz
              recur train adding --checkpoint ckpt -o adding.rnnz      (interrupted with ^C, then:)
              recur train adding --checkpoint ckpt --resume -o adding.rnnz
            """,
        subcommands: [TrainSine.self, TrainAdding.self, TrainCharLM.self, TrainFrames.self, HARTrainCommand.self, TrainMNIST.self,
                      TrainTextClass.self, TrainAddition.self, TrainTranslate.self, TrainBabi.self,
                      TrainImageToText.self])
}

/// `recur train sine`.
struct TrainSine: TaskRunnerCommand {
    static let configuration = CommandConfiguration(
        commandName: "sine", abstract: "Next value of noisy sine waves (regressor; test MSE).",
        discussion: "Example:\n  recur train sine --epochs 10 --hidden 32 -o sine.rnnz --f32")
    @OptionGroup var common: CommonTrainOptions
    @Option(help: "Sequence length.") var steps: Int?
    @Option(help: "Training sequences (validation and test sizes are fixed).") var trainCount: Int?

    func taskSettings() throws -> TrainSettings {
        var s = TrainSettings.defaults(for: .sine, out: "model.rnnz")
        if let steps { s.steps = steps }
        if let trainCount { s.trainCount = trainCount }
        return s
    }
}

/// `recur train adding`.
struct TrainAdding: TaskRunnerCommand {
    static let configuration = CommandConfiguration(
        commandName: "adding", abstract: "The adding problem: sum of two marked values in a long sequence (test MAE).",
        discussion: "Example:\n  recur train adding --cell lstm --length 100 -o adding.rnnz")
    @OptionGroup var common: CommonTrainOptions
    @Option(help: "Sequence length.") var length: Int?
    @Option(help: "Training sequences (validation and test sizes are fixed).") var trainCount: Int?

    func taskSettings() throws -> TrainSettings {
        var s = TrainSettings.defaults(for: .adding, out: "model.rnnz")
        if let length { s.length = length }
        if let trainCount { s.trainCount = trainCount }
        return s
    }
}

/// `recur train charlm`.
struct TrainCharLM: TaskRunnerCommand {
    static let configuration = CommandConfiguration(
        commandName: "charlm", abstract: "Character language model of a UTF-8 text (held-out bits per character).",
        discussion: "Examples:\n  recur train charlm --text anna.txt --max-chars 300000 --hidden 128 -o anna.rnnz\n"
            + "  recur train charlm --text folk.abc --hidden 256 -o folk.rnnz   (scripts/folk-corpus makes folk.abc)")
    @OptionGroup var common: CommonTrainOptions
    @Option(help: "A UTF-8 text file, ABC tunes (an .abc file or a directory of them: split by tune), or chinese-poetry JSON (a .json file or a directory of them: one poem per line).")
    var text: String?
    @Option(help: "Use at most this many characters of the text (0: all).") var maxChars: Int?
    @Option(help: "Characters seen fewer times become the unknown token.") var minCount: Int?
    @Option(help: "Embedding width.") var embedding: Int?
    @Option(help: "Truncated-BPTT window.") var steps: Int?

    func taskSettings() throws -> TrainSettings {
        var s = TrainSettings.defaults(for: .charlm, out: "model.rnnz")
        s.text = text
        if let maxChars { s.maxCharacters = maxChars }
        if let minCount { s.minCount = minCount }
        if let embedding { s.embedding = embedding }
        if let steps { s.steps = steps }
        return s
    }
}
