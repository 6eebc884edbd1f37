extension Model {
    /// Makes a session for a classifier or regressor, with all its state and scratch memory.
    ///
    /// - Parameters:
    ///   - window: frames per window, overriding the file's `recur.window` (0 = one
    ///     continuous stream with a result every `hop` frames).
    ///   - hop: frames between window starts, overriding `recur.hop`.
    ///   - kernels: the kernel path the session computes with.
    /// - Throws: `wrongTask` for a model that does not take frames, `badWindow` for a
    ///   window/hop the session cannot run, `kernelUnavailable` when this CPU lacks the path.
    public func makeFrameSession(
        window: Int? = nil, hop: Int? = nil, kernels: KernelPath = .best
    ) throws(RecurError) -> FrameSession {
        guard let configuration = frames else {
            throw .wrongTask(expected: "classifier or regressor (frames)", found: task.rawValue)
        }
        let sessionWindow = window ?? configuration.window
        let sessionHop = hop ?? configuration.hop
        if let reason = Windowing.problem(window: sessionWindow, hop: sessionHop) {
            throw .badWindow(window: sessionWindow, hop: sessionHop, reason: reason)
        }
        return try FrameSession(model: self, configuration: configuration, window: sessionWindow, hop: sessionHop, kernels: kernels)
    }

    /// Makes a session for a language model, with all its state and scratch memory.
    ///
    /// - Parameter kernels: the kernel path the session computes with.
    /// - Throws: `wrongTask` for a model that is not an lm, `kernelUnavailable` when this
    ///   CPU lacks the path.
    public func makeLanguageSession(kernels: KernelPath = .best) throws(RecurError) -> LanguageSession {
        guard let configuration = language, case .embedding(let embedding) = computes[0] else {
            throw .wrongTask(expected: "lm", found: task.rawValue)
        }
        return try LanguageSession(model: self, configuration: configuration, embedding: embedding, kernels: kernels)
    }

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
