extension Model {
    /// Makes a classifier for a text classifier model, with all its memory (sized by
    /// `recur.text.max_length`).
    ///
    /// - Parameter kernels: the kernel path the classifier computes with.
    /// - Throws: `wrongTask` for a model that is not a text classifier, `kernelUnavailable`
    ///   when this CPU lacks the path.
    public func makeTextClassifier(kernels: KernelPath = .best) throws(RecurError) -> TextClassifier {
        try TextClassifier(model: self, kernels: kernels)
    }

    /// The text classifier's self-test: the label probabilities of the ids, by a fresh classifier.
    func textClassifierSelfTestOutputs(for input: SelfTestInput, kernels: KernelPath) throws(RecurError) -> [Float] {
        guard case .tokens(let ids) = input else {
            throw .wrongTask(expected: "text_classifier (token ids)", found: "frames")
        }
        let classifier = try makeTextClassifier(kernels: kernels)
        return Array(try classifier.classify(ids: ids).probabilities)
    }
}
