import RecurRuntime

/// Writes a trained `Seq2SeqModel` as a seq2seq `.rnnz` (FORMAT.md "Seq2seq models").
///
/// Keys: the header, the caller's task keys (vocabularies, tokenizers, special ids, lowercase,
/// max lengths, train settings), `recur.enc.*` (embedding, recurrent layers with
/// `.bidirectional`), `recur.dec.*` (embedding, recurrent layers, dense softmax output) and
/// `recur.attention.*`. Tensors: every parameter under its name, weights int8 + `.scale` rows
/// when `quantized` (biases and `att.v` stay F32). Self-tests: the file is first encoded without
/// them and loaded by the Runtime, whose greedy decoding of each source gives
/// `selftest.{k}.output` = [ids (EOS included when produced) …, ln P]; the final file adds them,
/// is written atomically, read back and verified.
public enum Seq2SeqExporter {
    /// The GGUF bytes of `model` with the given self-test cases.
    public static func gguf(_ model: Seq2SeqModel, name: String, taskKeys: [(String, GGUFValue)], quantized: Bool,
                            selfTests: [SelfTestCase] = []) -> (bytes: [UInt8], report: [QuantizationReportLine]) {
        let spec = model.spec
        var builder = Exporter.header(name: name, task: "seq2seq")
        for (key, value) in taskKeys { builder.set(key, value) }
        builder.set("recur.enc.count", .uint32(UInt32(spec.encoderLayers + 1)))
        setStack("enc", spec: spec, vocabulary: spec.sourceVocabulary, embedding: spec.sourceEmbedding,
                 firstInput: spec.sourceEmbedding, layers: spec.encoderLayers, hidden: spec.hidden,
                 bidirectional: spec.bidirectional, in: &builder)
        return finish(model, quantized: quantized, selfTests: selfTests, builder: &builder)
    }

    /// `recur.{stack}.{i}.*`: the embedding, then `layers` recurrent layers of `hidden` units.
    static func setStack(_ stack: String, spec: Seq2SeqSpec, vocabulary: Int, embedding: Int, firstInput: Int,
                         layers: Int, hidden: Int, bidirectional: Bool, in builder: inout GGUFBuilder) {
        func u32(_ key: String, _ value: Int) { builder.set(key, .uint32(UInt32(value))) }
        let (type, activation): (String, String?) = switch spec.cell {
        case .lstm: ("lstm", nil)
        case .gru: ("gru", nil)
        case .rnnTanh: ("rnn", "tanh")
        case .rnnRelu: ("rnn", "relu")
        }
        builder.set("recur.\(stack).0.type", .string("embedding"))
        u32("recur.\(stack).0.input", vocabulary)
        u32("recur.\(stack).0.output", embedding)
        var input = firstInput
        for i in 1...layers {
            builder.set("recur.\(stack).\(i).type", .string(type))
            if let activation { builder.set("recur.\(stack).\(i).activation", .string(activation)) }
            u32("recur.\(stack).\(i).input", input)
            u32("recur.\(stack).\(i).hidden", hidden)
            u32("recur.\(stack).\(i).output", hidden * (bidirectional ? 2 : 1))
            if bidirectional { builder.set("recur.\(stack).\(i).bidirectional", .bool(true)) }
            input = hidden * (bidirectional ? 2 : 1)
        }
    }

    /// The decoder and attention keys (`recur.dec.*`, `recur.attention.*`), every parameter as a
    /// tensor and the self-tests — what seq2seq and image → text files share — then the bytes.
    static func finish(_ model: Seq2SeqModel, quantized: Bool, selfTests: [SelfTestCase],
                       builder: inout GGUFBuilder) -> (bytes: [UInt8], report: [QuantizationReportLine]) {
        let spec = model.spec
        func u32(_ key: String, _ value: Int) { builder.set(key, .uint32(UInt32(value))) }
        u32("recur.dec.count", spec.decoderLayers + 2)
        setStack("dec", spec: spec, vocabulary: spec.targetVocabulary, embedding: spec.targetEmbedding,
                 firstInput: spec.decoderInput, layers: spec.decoderLayers, hidden: spec.decoderHidden,
                 bidirectional: false, in: &builder)
        let last = spec.outputIndex
        builder.set("recur.dec.\(last).type", .string("dense"))
        builder.set("recur.dec.\(last).activation", .string("softmax"))
        u32("recur.dec.\(last).input", spec.combine)
        u32("recur.dec.\(last).output", spec.targetVocabulary)
        builder.set("recur.attention.type", .string(spec.attention.rawValue))
        if spec.attention == .additive { u32("recur.attention.size", spec.attentionSize) }
        builder.set("recur.attention.input_feeding", .bool(spec.inputFeeding))
        builder.set("recur.attention.bridge", .string(spec.bridge.rawValue))
        if !selfTests.isEmpty { u32("recur.selftest.count", selfTests.count) }
        var report: [QuantizationReportLine] = []
        for p in model.parameters {
            let tensor = ExportModel.Tensor(name: p.name, rows: p.rows, cols: p.cols, values: p.value, isVector: p.isVector)
            if let line = Exporter.add(tensor, quantized: quantized, to: &builder) { report.append(line) }
        }
        for (k, test) in selfTests.enumerated() {
            switch test.input {
            case .tokens(let source): builder.addI32(name: "selftest.\(k).input", source)
            case .image(let floats): builder.addF32(name: "selftest.\(k).input", floats)
            case .frames: preconditionFailure("a seq2seq or image → text self-test has no frame input")
            }
            builder.addF32(name: "selftest.\(k).output", test.expected)
        }
        return (builder.encode(), report)
    }

    /// Encodes `model`, computes the self-tests of `selfTestSources` with the Runtime, compresses,
    /// writes `path` atomically (when given), reads it back and verifies the self-tests.
    ///
    /// - Returns: the `.rnnz` bytes and the written model loaded through the Runtime.
    /// - Throws: `RecurError` when the Runtime refuses the model or a source (empty, too long,
    ///   unknown ids), `RnnzWriter.WriteError` when the file cannot be written,
    ///   `ExportError.verificationFailed` when the file read back does not reproduce its self-tests.
    public static func export(_ model: Seq2SeqModel, name: String, taskKeys: [(String, GGUFValue)], quantized: Bool,
                              selfTestSources: [[Int32]], to path: String?) throws -> (bytes: [UInt8], model: Model?) {
        try exportVerified(selfTestInputs: selfTestSources.map { .tokens($0) }, to: path) { cases in
            gguf(model, name: name, taskKeys: taskKeys, quantized: quantized, selfTests: cases).bytes
        }
    }

    /// The export steps both file kinds share: `encode([])` loaded by the Runtime gives each
    /// input's expected outputs, `encode(cases)` is compressed, written, read back and verified.
    static func exportVerified(selfTestInputs: [SelfTestInput], to path: String?,
                               encode: ([SelfTestCase]) -> [UInt8]) throws -> (bytes: [UInt8], model: Model?) {
        let draft = try Model(file: try ModelFile.decode(try RnnzWriter.compress(encode([]))))
        var cases: [SelfTestCase] = []
        for input in selfTestInputs {
            cases.append(SelfTestCase(input: input, expected: try draft.selfTestOutputs(for: input)))
        }
        let bytes = try RnnzWriter.compress(encode(cases))
        return (bytes, try Exporter.writeVerified(bytes, to: path))
    }
}
