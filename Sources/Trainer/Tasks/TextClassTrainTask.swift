import Foundation
import RecurRuntime

/// `recur train textclass`: a label per line of text (seed 8, Chinese headlines). Embedding →
/// (bi)LSTM/GRU/RNN stack → pooling over the line → dense softmax; the exported file is a
/// `text_classifier` (docs/FORMAT.md, "Text classifier models").
public enum TextClassTrainTask: TrainTask {
    /// The split examples with what the file needs to know.
    public struct Data: Sendable {
        public var train: TextExampleSet
        public var validation: TextExampleSet
        public var test: TextExampleSet
        public var classNames: [String]
        public var vocabulary: TextVocabulary
        /// What went where, for the summary.
        public var notes: [String]
    }

    /// Reads, splits, builds the vocabulary from the training part and encodes every part.
    public static func makeData(_ settings: TrainSettings) throws -> Data {
        guard let text = settings.textclass else { throw SettingsError("textclass needs its data options (--data …)") }
        try text.validate()
        var options = TextTSV.Options()
        options.textField = text.textField
        options.labelField = text.labelField
        options.labelNames = try text.labelNames.map { (path) throws(TextDataError) in try TextTSV.labelNames(path) }
        let lines = try TextTSV.read(text.data, options: options)
        let testLines = try text.dataTest.map { (path) throws(TextDataError) in try TextTSV.read(path, options: options) }
        let classNames = try options.labelNames ?? classes(of: lines, file: text.data)
        func ids(_ part: [TextTSV.Line]) throws(TextDataError) -> [Int] {
            var out: [Int] = []
            for line in part {
                guard let id = TextTSV.classID(line.label, names: classNames) else {
                    throw TextDataError("\(line.origin): label \"\(line.label.prefix(40))\" does not occur in \(text.data)")
                }
                out.append(id)
            }
            return out
        }
        let labels = try ids(lines)
        let parts = TextSplit.assign(labels: labels, classes: classNames.count,
                                     testFraction: testLines == nil ? text.testFraction : 0,
                                     validationFraction: text.validationFraction, seed: settings.seed)
        var trainLines: [String] = []
        for (k, line) in lines.enumerated() where parts[k] == 0 { trainLines.append(line.text) }
        let vocabulary = TextVocabulary(lines: trainLines, kind: text.tokens, lowercase: text.lowercase,
                                        minCount: settings.minCount)

        var sets = [TextExampleSet(), TextExampleSet(), TextExampleSet()]
        var truncated = [0, 0, 0], unknownOnly = [0, 0, 0]
        func add(_ line: TextTSV.Line, label: Int, part: Int) {
            var sequence = vocabulary.encode(line.text)
            if sequence.count > text.maxLength {
                sequence.removeLast(sequence.count - text.maxLength)
                truncated[part] += 1
            }
            if sequence.isEmpty || sequence.allSatisfy({ $0 == TextVocabulary.unknown }) {
                unknownOnly[part] += 1
                return
            }
            sets[part].ids.append(sequence)
            sets[part].labels.append(label)
            sets[part].origins.append(line.origin)
        }
        for (k, line) in lines.enumerated() { add(line, label: labels[k], part: parts[k]) }
        if let testLines {
            for (line, label) in zip(testLines, try ids(testLines)) { add(line, label: label, part: 2) }
        }
        for (part, name) in ["training", "validation", "test"].enumerated() where sets[part].count == 0 {
            throw TextDataError("the \(name) part is empty (\(lines.count) lines in \(text.data)); give more data or other fractions")
        }

        let counts = { (part: Int) in parts.indices.filter { parts[$0] == part }.count }
        var notes: [String] = []
        if let dataTest = text.dataTest {
            notes.append("data: \(text.data) \(lines.count) lines → train \(counts(0)), validation \(counts(1)) "
                + "(stratified by label, seed \(settings.seed)); test: \(dataTest) \(testLines?.count ?? 0) lines")
        } else {
            notes.append("data: \(text.data) \(lines.count) lines → train \(counts(0)), validation \(counts(1)), "
                + "test \(counts(2)) (stratified by label, seed \(settings.seed))")
        }
        notes.append("tokens: \(text.tokens.rawValue)\(text.lowercase ? " (lowercased)" : ""), vocabulary \(vocabulary.count) "
            + "(\(settings.minCount)+ occurrences in the training lines, id 0 <unk>), at most \(text.maxLength) per line")
        if truncated.reduce(0, +) > 0 {
            notes.append("lines over \(text.maxLength) tokens, cut to their first \(text.maxLength): "
                + "\(truncated[0]) training, \(truncated[1]) validation, \(truncated[2]) test")
        }
        if unknownOnly.reduce(0, +) > 0 {
            notes.append("lines left out, no known token (recur-run refuses them): "
                + "\(unknownOnly[0]) training, \(unknownOnly[1]) validation, \(unknownOnly[2]) test")
        }
        return Data(train: sets[0], validation: sets[1], test: sets[2], classNames: classNames,
                    vocabulary: vocabulary, notes: notes)
    }

    /// Classes from the label values: sorted (numerically when they all are integers).
    static func classes(of lines: [TextTSV.Line], file: String) throws(TextDataError) -> [String] {
        let values = Set(lines.map(\.label))
        let names = values.allSatisfy({ Int($0) != nil })
            ? values.sorted { Int($0)! < Int($1)! || (Int($0)! == Int($1)! && $0 < $1) }
            : values.sorted()
        if names.count < 2 {
            throw TextDataError("\(file): one label only (\"\(names.first ?? "")\"); a classifier needs at least two")
        }
        return names
    }

    public static func summary(of data: Data, settings: TrainSettings) -> [String] {
        let classes = data.classNames.count
        let (train, validation, test) = (data.train.classCounts(classes), data.validation.classCounts(classes),
                                         data.test.classCounts(classes))
        return data.notes + ["classes (train/validation/test examples): "
            + data.classNames.indices.map { "\(data.classNames[$0]) \(train[$0])/\(validation[$0])/\(test[$0])" }
            .joined(separator: ", ")]
    }

    public static func makeSpec(_ settings: TrainSettings, data: Data) throws -> ModelSpec {
        let text = settings.textclass ?? TextClassSettings()
        let layers = settings.recurrentLayers.map {
            ModelSpec.Layer(cell: $0.cell, hidden: $0.hidden, bidirectional: text.bidirectional)
        }
        return ModelSpec(input: .tokens(vocabulary: data.vocabulary.count, embedding: settings.embedding), layers: layers,
                         dropout: settings.dropout ?? 0, output: .classifier(classes: data.classNames.count), pool: text.pool,
                         embeddingDropout: text.embeddingDropout ?? 0)
    }

    /// One batch per token count (no padding: every line is seen whole, as the Runtime sees it).
    static func buckets(_ set: TextExampleSet) -> [Batch] {
        set.lengthBuckets.map { set.batch($0) }
    }

    public static func fit(_ model: SequenceModel, data: Data, loop: TrainingLoop, resume: TrainingState?,
                           checkpoint: ((TrainingState) -> Void)?, observer: (TrainingEvent) -> Void) throws -> TrainingResult {
        try loop.fitBuckets(model, train: buckets(data.train), validation: buckets(data.validation), resume: resume,
                            checkpoint: checkpoint, observer: observer)
    }

    /// Accuracy, per-class F1 and the confusion matrix of probabilities (one row of `classes` per example).
    static func score(_ probabilities: [Float], set: TextExampleSet, classNames: [String]) -> TaskScore {
        let width = classNames.count
        let predicted = (0..<set.count).map { k in
            var best = 0
            for c in 1..<width where probabilities[k * width + c] > probabilities[k * width + best] { best = c }
            return best
        }
        return TaskScore(classification: HARMetrics(predicted: predicted, actual: set.labels, classNames: classNames))
    }

    /// The trainer's probabilities for every example of `set`, in example order.
    public static func trainerProbabilities(_ model: SequenceModel, set: TextExampleSet) -> [Float] {
        model.predict(count: set.count, buckets: set.lengthBuckets) { set.batch($0) }
    }

    public static func trainerScore(_ model: SequenceModel, settings: TrainSettings, data: Data) throws -> TaskScore {
        score(trainerProbabilities(model, set: data.test), set: data.test, classNames: data.classNames)
    }

    public static func runtimeScore(_ model: Model, settings: TrainSettings, data: Data) throws -> TaskScore {
        score(try runtimeProbabilities(model, set: data.test), set: data.test, classNames: data.classNames)
    }

    /// The Runtime's label probabilities for every example of `set`, in example order.
    public static func runtimeProbabilities(_ model: Model, set: TextExampleSet) throws(RecurError) -> [Float] {
        let classifier = try model.makeTextClassifier()
        var out: [Float] = []
        out.reserveCapacity(set.count * classifier.configuration.labels.count)
        for ids in set.ids { out += try classifier.classify(ids: ids).probabilities }
        return out
    }

    public static func taskKeys(_ settings: TrainSettings, data: Data) -> [(String, GGUFValue)] {
        let text = settings.textclass ?? TextClassSettings()
        return [
            ("recur.vocab", .array(.string(data.vocabulary.tokens))),
            ("recur.tokenizer", .string(text.tokens.fileName)),
            ("recur.token.unk", .uint32(UInt32(TextVocabulary.unknown))),
            ("recur.text.lowercase", .bool(text.lowercase)),
            ("recur.text.max_length", .uint32(UInt32(text.maxLength))),
            ("recur.pool", .string(text.pool.rawValue)),
            ("recur.labels", .array(.string(data.classNames))),
        ]
    }

    /// The first test example of each of the first three classes that have one.
    public static func selfTestInputs(_ settings: TrainSettings, data: Data) -> [SelfTestInput] {
        var inputs: [SelfTestInput] = []
        var seen = Set<Int>()
        for (ids, label) in zip(data.test.ids, data.test.labels) where inputs.count < 3 && !seen.contains(label) {
            seen.insert(label)
            inputs.append(.tokens(ids))
        }
        return inputs
    }
}
