/// One padded minibatch of source/target pairs, batch-major. Pad positions hold 0 and are
/// masked by the lengths (attention never looks at source pads; the loss ignores target pads).
///
/// An image → text batch has `images` instead of source ids: `source` is empty, `sourceSteps` is
/// the encoder's memory rows and every source length equals it.
public struct Seq2SeqBatch: Sendable {
    public var count: Int
    public var sourceSteps: Int
    public var targetSteps: Int
    /// (count, sourceSteps) source ids.
    public var source: [Int32]
    /// n per pair, each in 1...sourceSteps.
    public var sourceLengths: [Int]
    /// (count, targetSteps): BOS y1 … y_{m−1}, pad after.
    public var targetInput: [Int32]
    /// (count, targetSteps): y1 … y_m with y_m = EOS, pad after.
    public var targetOutput: [Int32]
    /// m per pair (EOS counted), each in 1...targetSteps.
    public var targetLengths: [Int]
    /// Image models: (count, H, W, C) the images' floats (NHWC); empty for token models.
    public var images: [Float]

    public init(count: Int, sourceSteps: Int, targetSteps: Int, source: [Int32], sourceLengths: [Int],
                targetInput: [Int32], targetOutput: [Int32], targetLengths: [Int], images: [Float] = []) {
        self.count = count
        self.sourceSteps = sourceSteps
        self.targetSteps = targetSteps
        self.source = source
        self.sourceLengths = sourceLengths
        self.targetInput = targetInput
        self.targetOutput = targetOutput
        self.targetLengths = targetLengths
        self.images = images
    }

    /// Checks shapes, lengths and ids against `spec`; the message names the pair and field.
    public func validate(for spec: Seq2SeqSpec) throws(TrainerError) {
        if count < 1 || sourceSteps < 1 || targetSteps < 1 {
            throw .invalidBatch("empty seq2seq batch: \(count) pairs, \(sourceSteps) source and \(targetSteps) target steps")
        }
        if let image = spec.image {
            let rows = try image.memoryRows()
            if images.count != count * image.input.count || sourceSteps != rows || sourceLengths != [Int](repeating: rows, count: count) {
                throw .invalidBatch("image batch holds \(images.count) floats, \(sourceSteps) source steps and lengths "
                    + "\(sourceLengths.prefix(4)) for \(count) images of \(image.input) and \(rows) memory rows each")
            }
        } else if source.count != count * sourceSteps || sourceLengths.count != count {
            throw .invalidBatch("source holds \(source.count) ids and \(sourceLengths.count) lengths for \(count)×\(sourceSteps)")
        }
        if targetInput.count != count * targetSteps || targetOutput.count != count * targetSteps
            || targetLengths.count != count {
            throw .invalidBatch("target holds \(targetInput.count)/\(targetOutput.count) ids and \(targetLengths.count) lengths for \(count)×\(targetSteps)")
        }
        for b in 0..<count {
            let n = sourceLengths[b], m = targetLengths[b]
            if n < 1 || n > sourceSteps { throw .invalidBatch("pair \(b): source length \(n) outside 1...\(sourceSteps)") }
            if m < 1 || m > targetSteps { throw .invalidBatch("pair \(b): target length \(m) outside 1...\(targetSteps)") }
            for j in 0..<(spec.image == nil ? sourceSteps : 0) {
                let id = source[b * sourceSteps + j]
                if id < 0 || Int(id) >= spec.sourceVocabulary {
                    throw .invalidBatch("pair \(b), source position \(j): id \(id) outside the vocabulary of \(spec.sourceVocabulary)")
                }
            }
            for t in 0..<targetSteps {
                for (name, id) in [("target input", targetInput[b * targetSteps + t]), ("target output", targetOutput[b * targetSteps + t])]
                where id < 0 || Int(id) >= spec.targetVocabulary {
                    throw .invalidBatch("pair \(b), \(name) position \(t): id \(id) outside the vocabulary of \(spec.targetVocabulary)")
                }
            }
        }
    }
}
