/// Decoding an image-to-text model: the same algorithms as for a source line, started from
/// one image (`configuration.input.count` values: sample / maxval, H × W × C, channels
/// fastest — `NetpbmImage.floats()`).
extension Translator {
    /// The most probable token at every step (see `greedy(_:)`), from an image.
    ///
    /// - Throws: `wrongTask` for a model that is not image_to_text; `wrongInputSize` for
    ///   another number of values than the model's image.
    public func greedy(image: [Float]) throws(RecurError) -> Translation {
        var unused = RecurRandom(seed: 0)
        return try decodeOne(.image(image), temperature: 0, topK: 0, using: &unused)
    }

    /// Sampling (see `sample(_:temperature:topK:using:)`), from an image.
    public func sample(
        image: [Float], temperature: Float, topK: Int, using generator: inout RecurRandom
    ) throws(RecurError) -> Translation {
        try decodeOne(.image(image), temperature: temperature, topK: topK, using: &generator)
    }

    /// Beam search (see `beam(_:width:alpha:best:)`), from an image.
    public func beam(image: [Float], width: Int, alpha: Float = 1, best: Int = 1) throws(RecurError) -> [Translation] {
        try beam(.image(image), width: width, alpha: alpha, best: best)
    }

    /// Teacher forcing (see `logProbabilities(source:prefix:)`), from an image.
    public func logProbabilities(image: [Float], prefix: [Int32]) throws(RecurError) -> [Float] {
        try logProbabilities(.image(image), prefix: prefix)
    }

    /// The rendered text of a translation (`recur.target.render.*`: before, each token's text,
    /// after), or nil when the model has no render table.
    public func render(_ translation: Translation) -> String? {
        model.image?.render?.text(translation.tokens)
    }
}
