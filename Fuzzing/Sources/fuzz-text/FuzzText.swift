import FuzzSupport
import Glibc
import RecurRuntime

/// The text paths of recur-run: stdin lines (`LineReader`), UTF-8 validation (checked against
/// the standard library's validating decoder), lm prompts through the models' tokenizers and a
/// few generated steps, seq2seq lines through `Translator.tokenize` (word splitting, lowercasing,
/// truncation) and greedy decoding, and `WordSplitting` on its own.
///
/// The models are the `.rnnz` files in `$RECUR_FUZZ_MODELS` (scripts/fuzz points it at the
/// committed seeds), loaded once. Input: byte 0 picks a model (or none), byte 1 holds flags
/// (bit 0 truncate, bit 1 lowercase, bit 2 run the model on the first line, bits 3-7 the read chunk size); the rest is the stream.
nonisolated(unsafe) private var models: [Model] = []
nonisolated(unsafe) private var translators: [ObjectIdentifier: Translator] = [:]

/// LeakSanitizer's switch (sanitizer/lsan_interface.h). The models live as long as the process;
/// LSan cannot follow the pointers Swift keeps in multi-payload enums (`SelfTestInput`), so it would
/// call their arrays leaked at the first leak check. Nothing allocated per input is exempted.
@_silgen_name("__lsan_disable") private func lsanDisable()
@_silgen_name("__lsan_enable") private func lsanEnable()

@_cdecl("LLVMFuzzerInitialize")
public func initializeText(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    guard let directory = getenv("RECUR_FUZZ_MODELS").map({ String(cString: $0) }), let stream = opendir(directory) else {
        fatalError("fuzz-text: set RECUR_FUZZ_MODELS to a directory of .rnnz files (scripts/fuzz does)")
    }
    lsanDisable()
    defer { lsanEnable() }
    var names: [String] = []
    while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name.hasSuffix(".rnnz") { names.append(name) }
    }
    closedir(stream)
    for name in names.sorted() {
        do throws(RecurError) {
            let model = try Model(contentsOf: directory + "/" + name)
            if model.task == .lm { models.append(model) }
            if model.task == .seq2seq {
                models.append(model)
                translators[ObjectIdentifier(model)] = try model.makeTranslator()
            }
        } catch {
            fatalError("fuzz-text: \(name): \(error)")
        }
    }
    if models.isEmpty { fatalError("fuzz-text: no lm or seq2seq model in \(directory)") }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let choice = Int(data[0]) % (models.count + 1)
    let model: Model? = choice < models.count ? models[choice] : nil
    let truncate = data[1] & 1 != 0
    let lowercase = data[1] & 2 != 0
    let reader = LineReader(bytes: [UInt8](UnsafeBufferPointer(start: data + 2, count: size - 2)),
                            maxLineLength: 1024, chunkSize: 1 + Int(data[1] >> 3))
    // Decoding is model compute (fuzz-seq2seq's ground); here it shows that tokenized lines decode.
    let runModel = data[1] & 4 != 0
    var firstLineWords: [String]? = nil
    var first = true
    while true {
        let event = nextEvent(reader)
        guard case .line(_, let bytes) = event else {
            if case .end = event { return 0 }
            continue
        }
        guard let text = validatedText(bytes) else { continue }
        let words = checkedWords(text, lowercase: lowercase)
        if firstLineWords == nil { firstLineWords = words }
        // A word tokenizer over the first line's words (an lm with recur.tokenizer = word).
        let vocabulary = firstLineWords ?? []
        var ids: [Int32] = []
        let missing = Tokenizer(kind: .word, vocabulary: vocabulary, unknown: nil).encode(text, into: &ids)
        check(ids.allSatisfy { $0 >= 0 && Int($0) < vocabulary.count }, "a word id outside the vocabulary")
        check(missing >= 0, "a negative count of missing words")
        guard let model else { continue }
        do throws(RecurError) {
            if let translator = translators[ObjectIdentifier(model)] {
                try translate(text, truncate: truncate, with: translator, decode: first && runModel)
            } else {
                try prompt(text, model: model, step: first && runModel)
            }
        } catch {
            Exercise.consume(error.description)
        }
        first = false
    }
}

/// The line as a String when it is valid UTF-8, with `UTF8Validation` and the standard library agreeing.
private func validatedText(_ bytes: UnsafeRawBufferPointer) -> String? {
    let offset = UTF8Validation.firstInvalidOffset(bytes)
    let standard = String(validating: bytes, as: UTF8.self)
    guard let offset else {
        check(standard != nil, "UTF8Validation accepted what the standard library refuses")
        return String(decoding: bytes, as: UTF8.self)
    }
    check(standard == nil, "UTF8Validation refused at \(offset) what the standard library accepts")
    check(offset < bytes.count, "an invalid offset past the end")
    check(UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(rebasing: bytes[0..<offset])) == nil,
          "the bytes before the invalid offset are invalid")
    return nil
}

/// `WordSplitting.words`, checked: no empty token, no whitespace in a token, and splitting the
/// joined tokens again gives the same tokens.
private func checkedWords(_ text: String, lowercase: Bool) -> [String] {
    let words = WordSplitting.words(text, lowercase: lowercase)
    for word in words {
        check(!word.isEmpty, "an empty token")
        check(word.unicodeScalars.count == 1 || !word.unicodeScalars.contains { $0 == " " || $0 == "\t" || $0 == "\n" },
              "a token with a space inside")
    }
    let again = WordSplitting.words(WordSplitting.join(words), lowercase: false)
    check(again == words, "words(join(words)) differs: \(words) → \(again)")
    check(WordSplitting.lowercased(text).unicodeScalars.count == text.unicodeScalars.count,
          "lowercasing changed the number of scalars")
    return words
}

/// An lm prompt: the model's tokenizer, then (for the first lines) the tokens fed and one greedy step.
private func prompt(_ text: String, model: Model, step: Bool) throws(RecurError) {
    guard let language = model.language else { fatalError("an lm without its configuration") }
    let tokenizer = language.tokenizer
    var tokens: [Int32] = []
    tokenizer.encode(text, into: &tokens)
    check(tokens.allSatisfy { $0 >= 0 && Int($0) < language.vocabulary.count }, "a prompt token outside the vocabulary")
    guard step, !tokens.isEmpty else { return }
    let session = try model.makeLanguageSession()
    for token in tokens.prefix(16) { try session.feed(Int(token)) }
    let next = session.greedy()
    check(next >= 0 && next < language.vocabulary.count, "a generated token outside the vocabulary")
}

/// A seq2seq line: tokenize (truncating or not), then (for the first lines) greedy decoding.
private func translate(_ text: String, truncate: Bool, with translator: Translator, decode: Bool) throws(RecurError) {
    let configuration = translator.configuration
    let source = translator.tokenize(text, truncate: truncate)
    check(source.ids.allSatisfy { $0 >= 0 && Int($0) < configuration.sourceVocabulary.count },
          "a source token outside the vocabulary")
    check(source.unknownCount <= source.ids.count || source.truncatedFrom != nil, "more unknown tokens than tokens")
    if truncate { check(source.ids.count <= configuration.sourceMaxLength, "truncation kept too many tokens") }
    guard decode else { return }
    let result = try translator.greedy(source.ids)
    check(result.tokens.count <= configuration.targetMaxLength, "a translation over the target limit")
    Exercise.consume(translator.targetTokenizer.decode(result.tokens))
}
