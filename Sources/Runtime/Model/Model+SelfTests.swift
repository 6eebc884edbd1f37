extension Model {
    /// Computes the self-test outputs for `input`: what an exporter embeds as
    /// `selftest.{k}.output` and what `verifySelfTests` recomputes (one code path).
    ///
    /// Frames run through a fresh session with the file's window and hop; each
    /// result's outputs are concatenated. Tokens run through a fresh lm session;
    /// after each token the next-token probabilities at temperature 1 are appended.
    /// Source tokens of a seq2seq model are decoded greedily by a fresh translator: the
    /// output ids as Floats (EOS included when produced), then the total log-probability.
    /// The token ids of a text classifier's line give its label probabilities (a fresh
    /// `TextClassifier`); a memory network's ids (−1 ends a sentence, the question last) its
    /// answer distribution (a fresh `MemorySession`).
    ///
    /// - Throws: `wrongTask` when the input kind does not fit the model,
    ///   `wrongInputSize` when frames are not a whole number of rows,
    ///   `tokenOutOfRange`, and `badWindow` when frames complete no window.
    public func selfTestOutputs(for input: SelfTestInput, kernels: KernelPath = .best) throws(RecurError) -> [Float] {
        if task == .seq2seq || task == .imageToText { return try seq2seqSelfTestOutputs(for: input, kernels: kernels) }
        if task == .textClassifier { return try textClassifierSelfTestOutputs(for: input, kernels: kernels) }
        if task == .memoryQA { return try memorySelfTestOutputs(for: input) }
        var outputs: [Float] = []
        switch input {
        case .frames(let values):
            let session = try makeFrameSession(kernels: kernels)
            let inputSize = session.configuration.inputSize
            if values.isEmpty || values.count % inputSize != 0 {
                throw .wrongInputSize(expected: inputSize, found: values.count % inputSize)
            }
            try values.withUnsafeBufferPointer { (all) throws(RecurError) in
                var start = 0
                while start < all.count {
                    let row = UnsafeBufferPointer(rebasing: all[start..<(start + inputSize)])
                    if let result = try session.step(row) {
                        outputs.append(contentsOf: result.outputs)
                    }
                    start += inputSize
                }
            }
            // A segment model's case is one segment: its result at the end.
            if session.configuration.segments, let result = try session.endSegment() {
                outputs.append(contentsOf: result.outputs)
            }
            if outputs.isEmpty {
                throw .badWindow(
                    window: session.window, hop: session.hop,
                    reason: "\(values.count / inputSize) self-test frames complete no window")
            }
        case .tokens(let tokens):
            let session = try makeLanguageSession(kernels: kernels)
            for token in tokens {
                try session.feed(Int(token))
                outputs.append(contentsOf: session.probabilities(temperature: 1))
            }
        case .image:
            throw .wrongTask(expected: "image_to_text", found: task.rawValue)
        }
        return outputs
    }

    /// The seq2seq and image-to-text self-test: greedy decoding of the source ids or the image.
    private func seq2seqSelfTestOutputs(for input: SelfTestInput, kernels: KernelPath) throws(RecurError) -> [Float] {
        let translator = try makeTranslator(beamWidth: 1, kernels: kernels)
        let translation: Translation
        switch input {
        case .tokens(let source): translation = try translator.greedy(source)
        case .image(let image): translation = try translator.greedy(image: image)
        case .frames: throw .wrongTask(expected: "\(task.rawValue) (source tokens or an image)", found: "frames")
        }
        var outputs: [Float] = []
        for token in translation.tokens { outputs.append(Float(token)) }
        if translation.finished { outputs.append(Float(translator.configuration.targetEnd)) }
        outputs.append(translation.logProbability)
        return outputs
    }

    /// Recomputes every embedded self-test case and compares it bit for bit
    /// (Float bit patterns) with the outputs stored in the file.
    ///
    /// - Returns: the report when every value matches.
    /// - Throws: `selfTestMismatch` naming the first case and value that differ,
    ///   with the largest absolute difference over all cases (infinity when a NaN
    ///   or a different number of results is involved); any error of
    ///   `selfTestOutputs`.
    public func verifySelfTests(kernels: KernelPath = .best) throws(RecurError) -> SelfTestReport {
        var firstMismatch: (testCase: Int, index: Int, expected: Float, found: Float)? = nil
        var largest: Float = 0
        var values = 0
        for (k, test) in selfTests.enumerated() {
            let found = try selfTestOutputs(for: test.input, kernels: kernels)
            let common = min(found.count, test.expected.count)
            values += common
            if found.count != test.expected.count {
                largest = .infinity
                if firstMismatch == nil {
                    firstMismatch = (k, common, common < test.expected.count ? test.expected[common] : .nan,
                                     common < found.count ? found[common] : .nan)
                }
            }
            for i in 0..<common where found[i].bitPattern != test.expected[i].bitPattern {
                let difference = abs(found[i] - test.expected[i])
                largest = max(largest, difference.isNaN ? .infinity : difference)
                if firstMismatch == nil { firstMismatch = (k, i, test.expected[i], found[i]) }
            }
        }
        if let mismatch = firstMismatch {
            throw .selfTestMismatch(
                testCase: mismatch.testCase, index: mismatch.index, expected: mismatch.expected,
                found: mismatch.found, maxDifference: largest)
        }
        // A memory network computes in scalar Swift whatever the kernel path.
        let kernelName = task == .memoryQA ? "none, scalar Swift" : kernels.activeName
        return SelfTestReport(cases: selfTests.count, values: values, kernelName: kernelName)
    }
}
