extension Model {
    /// Makes a session with all its state and scratch memory.
    ///
    /// - Parameters:
    ///   - window: frames per window, overriding the file's `recur.window` (frame tasks;
    ///     0 = one continuous stream with a result every `hop` frames).
    ///   - hop: frames between window starts, overriding `recur.hop`.
    ///   - kernels: the kernel path the session computes with.
    /// - Throws: `badWindow` for a window/hop the session cannot run,
    ///   `kernelUnavailable` when this CPU lacks the path, `wrongTask` for a seq2seq
    ///   model (it runs in a `Translator`) or a text classifier (a `TextClassifier`).
    public func makeSession(
        window: Int? = nil, hop: Int? = nil, kernels: KernelPath = .best
    ) throws(RecurError) -> Session {
        if task == .seq2seq { throw .wrongTask(expected: "classifier, regressor or lm", found: "seq2seq (makeTranslator)") }
        if task == .textClassifier {
            throw .wrongTask(expected: "classifier, regressor or lm", found: "text_classifier (makeTextClassifier)")
        }
        var sessionWindow = self.window
        var sessionHop = self.hop
        if task != .lm {
            sessionWindow = window ?? self.window
            sessionHop = hop ?? self.hop
            if let reason = Windowing.problem(window: sessionWindow, hop: sessionHop) {
                throw .badWindow(window: sessionWindow, hop: sessionHop, reason: reason)
            }
        }
        return try Session(model: self, window: sessionWindow, hop: sessionHop, kernels: kernels)
    }
}

extension Model {
    /// Makes a translator for a seq2seq model, with all its memory: the encoder memory
    /// for `recur.source.max_length` tokens and `beamWidth` hypotheses.
    ///
    /// - Parameters:
    ///   - beamWidth: the widest beam `Translator.beam` will be asked for (1 for greedy and sampling).
    ///   - kernels: the kernel path the translator computes with.
    /// - Throws: `wrongTask` for a model that is not seq2seq, `badBeamWidth` outside
    ///   1...`Translator.maximumBeamWidth`, `kernelUnavailable` when this CPU lacks the path.
    public func makeTranslator(beamWidth: Int = 1, kernels: KernelPath = .best) throws(RecurError) -> Translator {
        try Translator(model: self, beamWidth: beamWidth, kernels: kernels)
    }
}
