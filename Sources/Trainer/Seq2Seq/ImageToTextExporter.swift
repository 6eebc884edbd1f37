import RecurRuntime

/// Writes a trained image → text `Seq2SeqModel` (`spec.image` set) as an `image_to_text` `.rnnz`
/// (docs/FORMAT.md "Image-to-text models").
///
/// Keys: the header (`recur.task = image_to_text`), the caller's task keys (target vocabulary,
/// tokenizer, special ids, max length, render table, train settings), `recur.image.height`,
/// `.width`, `.channels`, `recur.enc.*` (conv2d with its window, relu, maxpool), and the decoder
/// and attention keys exactly as a seq2seq file (`Seq2SeqExporter.finish`). Tensors: each
/// convolution's `enc.{i}.weight` F × (KH·KW·C) (int8 + `.scale` per filter when `quantized`) and
/// `enc.{i}.bias`, then the decoder's. Self-tests: `selftest.{k}.input` F32 [H·W·C], the output
/// the Runtime's greedy ids (EOS included when produced) and the total log-probability.
public enum ImageToTextExporter {
    /// The GGUF bytes of `model` with the given self-test cases (inputs `.image`).
    public static func gguf(_ model: Seq2SeqModel, name: String, taskKeys: [(String, GGUFValue)], quantized: Bool,
                            selfTests: [SelfTestCase] = []) -> (bytes: [UInt8], report: [QuantizationReportLine]) {
        guard let image = model.spec.image else { preconditionFailure("ImageToTextExporter needs an image model") }
        var builder = Exporter.header(name: name, task: "image_to_text")
        for (key, value) in taskKeys { builder.set(key, value) }
        func u32(_ key: String, _ value: Int) { builder.set(key, .uint32(UInt32(value))) }
        u32("recur.image.height", image.input.height)
        u32("recur.image.width", image.input.width)
        u32("recur.image.channels", image.input.channels)
        u32("recur.enc.count", image.layers.count)
        var channels = image.input.channels
        for (i, layer) in image.layers.enumerated() {
            let key = "recur.enc.\(i)."
            switch layer {
            case .conv2d(let filters, let w):
                builder.set(key + "type", .string("conv2d"))
                u32(key + "input", channels)
                u32(key + "output", filters)
                for (field, value) in [("kernel_h", w.height), ("kernel_w", w.width), ("stride_h", w.strideHeight),
                                       ("stride_w", w.strideWidth), ("pad_h", w.paddingHeight), ("pad_w", w.paddingWidth)] {
                    u32(key + field, value)
                }
                channels = filters
            case .relu:
                builder.set(key + "type", .string("relu"))
            case .maxpool(let w):
                builder.set(key + "type", .string("maxpool"))
                for (field, value) in [("size_h", w.height), ("size_w", w.width), ("stride_h", w.strideHeight),
                                       ("stride_w", w.strideWidth)] {
                    u32(key + field, value)
                }
            }
        }
        return Seq2SeqExporter.finish(model, quantized: quantized, selfTests: selfTests, builder: &builder)
    }

    /// Encodes `model`, computes the self-tests of `selfTestImages` (each H·W·C floats) with the
    /// Runtime, compresses, writes `path` atomically (when given), reads it back and verifies.
    ///
    /// - Returns: the `.rnnz` bytes and the written model loaded through the Runtime.
    /// - Throws: `RecurError` when the Runtime refuses the model or an image, `RnnzWriter.WriteError`
    ///   when the file cannot be written, `ExportError.verificationFailed` when the file read back
    ///   does not reproduce its self-tests.
    public static func export(_ model: Seq2SeqModel, name: String, taskKeys: [(String, GGUFValue)], quantized: Bool,
                              selfTestImages: [[Float]], to path: String?) throws -> (bytes: [UInt8], model: Model?) {
        try Seq2SeqExporter.exportVerified(selfTestInputs: selfTestImages.map { .image($0) }, to: path) { cases in
            gguf(model, name: name, taskKeys: taskKeys, quantized: quantized, selfTests: cases).bytes
        }
    }
}
