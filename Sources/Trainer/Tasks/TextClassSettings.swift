/// `recur train textclass`: where the labelled lines come from, how they become tokens and how the
/// network pools them. Stored in checkpoints and, without output paths, in the model file.
public struct TextClassSettings: Codable, Sendable, Equatable {
    /// The tab-separated training lines (`--data`).
    public var data: String = ""
    /// A separate test file (`--data-test`); nil: a stratified part of `data` is the test part.
    public var dataTest: String?
    /// 1-based field numbers.
    public var textField = 1
    public var labelField = 2
    /// Class names, one per line (`--label-names`; THUCNews' class.txt).
    public var labelNames: String?
    public var tokens: TextTokenKind = .char
    /// Lines are lowercased (seq2seq's rule) before tokenizing (`recur.text.lowercase`).
    public var lowercase = false
    /// Most tokens per line (`recur.text.max_length`); longer lines keep their first tokens.
    public var maxLength = 256
    public var bidirectional = false
    public var pool: ModelSpec.Pool = .max
    /// Dropout on the embedded tokens while training (`--embedding-dropout`); nil: 0.
    public var embeddingDropout: Float?
    /// Without --data-test: this fraction of each class is the test part.
    public var testFraction = 0.1
    /// This fraction of each class of --data is the validation part (early stopping, the best epoch).
    public var validationFraction = 0.1

    public init() {}

    /// Checks what needs no data; the message names the option.
    public func validate() throws(SettingsError) {
        if data.isEmpty { throw SettingsError("textclass needs --data FILE (tab-separated: text and label per line)") }
        if textField < 1 || labelField < 1 { throw SettingsError("--text-field and --label-field count from 1") }
        if textField == labelField { throw SettingsError("--text-field and --label-field are both \(textField)") }
        if let embeddingDropout, !(embeddingDropout >= 0 && embeddingDropout < 1) {
            throw SettingsError("--embedding-dropout must be in [0, 1), got \(embeddingDropout)")
        }
        if !(1...4096).contains(maxLength) { throw SettingsError("--max-length must be in 1…4096, got \(maxLength)") }
        if !(testFraction > 0 && testFraction < 1) { throw SettingsError("--test-fraction must be in (0, 1), got \(testFraction)") }
        if !(validationFraction > 0 && validationFraction < 1) {
            throw SettingsError("--validation-fraction must be in (0, 1), got \(validationFraction)")
        }
        if dataTest == nil && testFraction + validationFraction >= 0.9 {
            throw SettingsError("--test-fraction + --validation-fraction leave less than 10 % for training")
        }
    }
}
