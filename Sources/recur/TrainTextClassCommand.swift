import ArgumentParser
import Trainer

/// `recur train textclass`: a label per line of text, from a tab-separated file.
struct TrainTextClass: TaskRunnerCommand {
    static let configuration = CommandConfiguration(
        commandName: "textclass",
        abstract: "Text classifier: a label per line (tab-separated text and label; Chinese needs no segmentation).",
        discussion: """
            Each line of --data is one example: tab-separated fields, the text in --text-field and the
            label in --label-field (counted from 1; defaults 1 and 2, THUCNews' `text<TAB>label-id`).
            A field may be quoted to hold a tab ("a<TAB>b", doubled quotes inside); blank lines are
            skipped; every malformed line is named with file:line. Labels are the names of
            --label-names FILE (one per line; a label field may hold a name or its 0-based id), or
            else the distinct label values, sorted (numerically when all are integers).

            Split: without --data-test, --test-fraction of each class (drawn with the seed) is the
            test part; --validation-fraction of each class is the validation part (early
            stopping, best epoch); the summary says how many lines went where.

            Tokens: char (one Unicode scalar each), char-bigram (the overlapping pairs of scalars)
            or word (seq2seq's rule: runs of letters and digits, punctuation alone; Chinese has no
            spaces, so a word is a whole clause there). The vocabulary is the training part's tokens
            seen --min-count times or more; id 0 is <unk>. Lines over --max-length tokens keep their
            first ones (recur-run refuses them unless given --truncate); lines with no known token
            are left out and counted. Network: embedding (--embedding) → --layers recurrent layers
            (--cell, --hidden; --bidirectional: both directions, output 2H) → --pool over the line
            (last, mean or max) → dense softmax.

            Example (THUCNews headlines):
              recur train textclass --data dev.txt --data-test test.txt --label-names class.txt \\
                  --tokens char --bidirectional --pool max -o news-zh.rnnz
            """)

    @OptionGroup var common: CommonTrainOptions
    @Option(help: "The tab-separated training lines (text and label per line).")
    var data: String
    @Option(help: "A separate test file (same format); otherwise --test-fraction of --data is the test part.")
    var dataTest: String?
    @Option(help: "The text's field, counted from 1 (default 1).")
    var textField: Int?
    @Option(help: "The label's field, counted from 1 (default 2).")
    var labelField: Int?
    @Option(help: "Class names, one per line, in id order.")
    var labelNames: String?
    @Option(help: "char, char-bigram or word (default char).")
    var tokens: String?
    @Flag(help: "Lowercase lines before tokenizing (A–Z, Latin-1 and Latin Extended-A letters).")
    var lowercase = false
    @Option(help: "Tokens seen fewer times in the training lines become <unk> (default 2).")
    var minCount: Int?
    @Option(help: "Most tokens per line, 1…4096 (default 256).")
    var maxLength: Int?
    @Option(help: "Embedding width (default 64).")
    var embedding: Int?
    @Flag(help: "Recurrent layers run in both directions (output 2H).")
    var bidirectional = false
    @Option(help: "Dropout on the embedded tokens while training, in [0, 1) (default 0).")
    var embeddingDropout: Float?
    @Option(help: "last, mean or max over the line's positions (default max).")
    var pool: String?
    @Option(help: "Without --data-test: the test fraction of each class (default 0.1).")
    var testFraction: Double?
    @Option(help: "The validation fraction of each class (default 0.1).")
    var validationFraction: Double?

    func taskSettings() throws -> TrainSettings {
        var s = TrainSettings.defaults(for: .textclass, out: "model.rnnz")
        var t = TextClassSettings()
        t.data = data
        t.dataTest = dataTest
        if let textField { t.textField = textField }
        if let labelField { t.labelField = labelField }
        t.labelNames = labelNames
        if let tokens {
            guard let kind = TextTokenKind(rawValue: tokens) else {
                throw ValidationError("--tokens must be char, char-bigram or word, got \(tokens)")
            }
            t.tokens = kind
        }
        t.lowercase = lowercase
        if let maxLength { t.maxLength = maxLength }
        t.bidirectional = bidirectional
        t.embeddingDropout = embeddingDropout
        if let pool {
            guard let kind = ModelSpec.Pool(rawValue: pool) else { throw ValidationError("--pool must be last, mean or max, got \(pool)") }
            t.pool = kind
        }
        if let testFraction { t.testFraction = testFraction }
        if let validationFraction { t.validationFraction = validationFraction }
        s.textclass = t
        if let minCount { s.minCount = minCount }
        if let embedding { s.embedding = embedding }
        return s
    }
}
