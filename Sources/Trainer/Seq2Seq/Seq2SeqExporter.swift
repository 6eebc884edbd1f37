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
        func u32(_ key: String, _ value: Int) { builder.set(key, .uint32(UInt32(value))) }
        let (type, activation): (String, String?) = switch spec.cell {
        case .lstm: ("lstm", nil)
        case .gru: ("gru", nil)
        case .rnnTanh: ("rnn", "tanh")
        case .rnnRelu: ("rnn", "relu")
        }
        // recur.{stack}.{i}.*: the embedding, then `layers` recurrent layers of `hidden` units
        func stack(_ stack: String, vocabulary: Int, embedding: Int, firstInput: Int, layers: Int, hidden: Int,
                   bidirectional: Bool) {
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
        u32("recur.enc.count", spec.encoderLayers + 1)
        stack("enc", vocabulary: spec.sourceVocabulary, embedding: spec.sourceEmbedding, firstInput: spec.sourceEmbedding,
              layers: spec.encoderLayers, hidden: spec.hidden, bidirectional: spec.bidirectional)
        u32("recur.dec.count", spec.decoderLayers + 2)
        stack("dec", vocabulary: spec.targetVocabulary, embedding: spec.targetEmbedding, firstInput: spec.decoderInput,
              layers: spec.decoderLayers, hidden: spec.decoderHidden, bidirectional: false)
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
            if case .tokens(let source) = test.input { builder.addI32(name: "selftest.\(k).input", source) }
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
        let plain = gguf(model, name: name, taskKeys: taskKeys, quantized: quantized).bytes
        let draft = try Model(file: try ModelFile.decode(try RnnzWriter.compress(plain)))
        var cases: [SelfTestCase] = []
        for source in selfTestSources {
            let input = SelfTestInput.tokens(source)
            cases.append(SelfTestCase(input: input, expected: try draft.selfTestOutputs(for: input)))
        }
        let bytes = try RnnzWriter.compress(
            gguf(model, name: name, taskKeys: taskKeys, quantized: quantized, selfTests: cases).bytes)
        return (bytes, try Exporter.writeVerified(bytes, to: path))
    }
}
