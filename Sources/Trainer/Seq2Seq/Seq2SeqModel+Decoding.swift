/// What a seq2seq model decodes from: source token ids, or an image model's image.
public enum Seq2SeqSource: Sendable, Equatable {
    /// Source ids (length ≥ 1, each inside the source vocabulary).
    case tokens([Int32])
    /// One image's floats, H·W·C values in NHWC order (sample / maxval).
    case image([Float])
}

/// Trainer-side f32 decoding: greedy and beam search over the same step function that input
/// feeding trains with, so what the trainer decodes is what the training forward computes.
/// Each entry point takes token ids (token models) or a `Seq2SeqSource` (either kind).
extension Seq2SeqModel {
    /// One finished or unfinished hypothesis of `decode`.
    public struct Hypothesis: Sendable, Equatable {
        /// Output ids, EOS excluded.
        public var tokens: [Int32]
        /// True when the hypothesis ended with EOS.
        public var finished: Bool
        /// Σ ln p of the tokens (and of EOS when finished), accumulated in float32 in order.
        public var logProbability: Float
        /// logP / len^alpha, len = tokens (+ 1 for EOS).
        public var score: Float
    }

    /// Encodes `source` for `rows` identical decoder rows and sizes the decoder for `maxLength` steps.
    private func beginDecoding(_ source: Seq2SeqSource, rows: Int, maxLength: Int) {
        switch source {
        case .tokens(let ids):
            let n = ids.count
            precondition(spec.image == nil, "seq2seq decoding: token source for an image model")
            precondition(n > 0, "seq2seq decoding: empty source")
            for (j, id) in ids.enumerated() where id < 0 || Int(id) >= spec.sourceVocabulary {
                preconditionFailure("seq2seq decoding: source id \(id) at \(j) outside the vocabulary of \(spec.sourceVocabulary)")
            }
            var repeated: [Int32] = []
            repeated.reserveCapacity(rows * n)
            for _ in 0..<rows { repeated += ids }
            begin(source: repeated, images: [], lengths: [Int](repeating: n, count: rows), sourceSteps: n, batch: rows,
                  steps: maxLength, training: false)
        case .image(let floats):
            guard let imageEncoder, let image = spec.image else {
                preconditionFailure("seq2seq decoding: image source for a token model")
            }
            precondition(floats.count == image.input.count,
                         "seq2seq decoding: \(floats.count) floats for an image of \(image.input)")
            var repeated: [Float] = []
            repeated.reserveCapacity(rows * floats.count)
            for _ in 0..<rows { repeated += floats }
            let n = imageEncoder.memoryRows
            begin(source: [], images: repeated, lengths: [Int](repeating: n, count: rows), sourceSteps: n, batch: rows,
                  steps: maxLength, training: false)
        }
    }

    /// ln softmax(W_o h̃_t + b_o) of step t for every row: (rows, V).
    private func logProbabilities(step t: Int, previous: [Int32]) -> [Float] {
        let rows = previous.count, d = spec.targetEmbedding, v = spec.targetVocabulary
        for id in previous where id < 0 || Int(id) >= v {
            preconditionFailure("seq2seq decoding: target id \(id) outside the vocabulary of \(v)")
        }
        var embedded = [Float](repeating: 0, count: rows * d)
        let table = embedding.weight.storage.data
        embedded.withUnsafeMutableBufferPointer { e in
            for (r, id) in previous.enumerated() { (e.baseAddress! + r * d).update(from: table + Int(id) * d, count: d) }
        }
        embedded.withUnsafeBufferPointer { decoderStep(t, embedded: $0.baseAddress!) }
        output.forward(attention.output(t), rows: rows)
        var result = [Float](repeating: 0, count: rows * v)
        result.withUnsafeMutableBufferPointer { p in
            for r in 0..<rows {
                let z = output.output.data + r * v, out = p.baseAddress! + r * v
                SoftmaxCrossEntropy.softmax(z, into: out, v)
                for k in 0..<v { out[k] = Float(Math.log(Double(out[k]))) }
            }
        }
        return result
    }

    /// The next-token probability vectors (V each) that teacher-forcing `prefix` (BOS first)
    /// through the decoder produces at every step: what the runtime must reproduce step by step.
    public func stepProbabilities(_ source: [Int32], prefix: [Int32]) -> [[Float]] {
        stepProbabilities(.tokens(source), prefix: prefix)
    }

    /// `stepProbabilities` from either kind of source.
    public func stepProbabilities(_ source: Seq2SeqSource, prefix: [Int32]) -> [[Float]] {
        precondition(!prefix.isEmpty, "stepProbabilities needs a prefix (BOS first)")
        beginDecoding(source, rows: 1, maxLength: prefix.count)
        return prefix.indices.map { t in logProbabilities(step: t, previous: [prefix[t]]).map { Float(Math.exp(Double($0))) } }
    }

    /// Greedy decoding: the most probable token each step, until EOS or `maxLength` tokens (EOS excluded).
    public func greedy(_ source: [Int32], bos: Int32, eos: Int32, maxLength: Int) -> [Int32] {
        greedyHypothesis(.tokens(source), bos: bos, eos: eos, maxLength: maxLength).tokens
    }

    /// Greedy decoding from either kind of source.
    public func greedy(_ source: Seq2SeqSource, bos: Int32, eos: Int32, maxLength: Int) -> [Int32] {
        greedyHypothesis(source, bos: bos, eos: eos, maxLength: maxLength).tokens
    }

    /// Greedy decoding with its log-probability (Σ ln p in float32, EOS included when produced).
    public func greedyHypothesis(_ source: [Int32], bos: Int32, eos: Int32, maxLength: Int) -> Hypothesis {
        greedyHypothesis(.tokens(source), bos: bos, eos: eos, maxLength: maxLength)
    }

    /// `greedyHypothesis` from either kind of source.
    public func greedyHypothesis(_ source: Seq2SeqSource, bos: Int32, eos: Int32, maxLength: Int) -> Hypothesis {
        var tokens: [Int32] = []
        var logP: Float = 0
        var previous = bos
        guard maxLength > 0 else { return Hypothesis(tokens: [], finished: false, logProbability: 0, score: 0) }
        beginDecoding(source, rows: 1, maxLength: maxLength)
        for t in 0..<maxLength {
            let lp = logProbabilities(step: t, previous: [previous])
            var best = 0
            for k in 1..<lp.count where lp[k] > lp[best] { best = k }
            logP += lp[best]
            if Int32(best) == eos {
                return Hypothesis(tokens: tokens, finished: true, logProbability: logP, score: logP / Float(tokens.count + 1))
            }
            tokens.append(Int32(best))
            previous = Int32(best)
        }
        return Hypothesis(tokens: tokens, finished: false, logProbability: logP, score: logP / Float(tokens.count))
    }

    /// Beam search: the best hypothesis by logP / len^alpha (len counts EOS), EOS excluded.
    public func beam(_ source: [Int32], bos: Int32, eos: Int32, maxLength: Int, width: Int, alpha: Float) -> [Int32] {
        beam(.tokens(source), bos: bos, eos: eos, maxLength: maxLength, width: width, alpha: alpha)
    }

    /// Beam search from either kind of source.
    public func beam(_ source: Seq2SeqSource, bos: Int32, eos: Int32, maxLength: Int, width: Int, alpha: Float) -> [Int32] {
        beamHypotheses(source, bos: bos, eos: eos, maxLength: maxLength, width: width, alpha: alpha).first?.tokens ?? []
    }

    /// Beam search with `width` slots. Each step expands every live hypothesis by every token
    /// and keeps the best `width − finished` candidates by logP (ties: older row, lower id); a
    /// kept candidate ending in EOS is finished and keeps its slot, so the beam shrinks as
    /// hypotheses finish and the best-ranked continuation always survives (width 1 is greedy).
    /// Stops when `width` hypotheses have finished, or at `maxLength` tokens. Returns the finished
    /// ones best first by logP / len^alpha (len counts EOS), or, when none finished, the live ones.
    public func beamHypotheses(_ source: [Int32], bos: Int32, eos: Int32, maxLength: Int, width: Int,
                               alpha: Float) -> [Hypothesis] {
        beamHypotheses(.tokens(source), bos: bos, eos: eos, maxLength: maxLength, width: width, alpha: alpha)
    }

    /// `beamHypotheses` from either kind of source.
    public func beamHypotheses(_ source: Seq2SeqSource, bos: Int32, eos: Int32, maxLength: Int, width: Int,
                               alpha: Float) -> [Hypothesis] {
        precondition(width >= 1, "beam: width \(width) < 1")
        func score(_ logP: Float, _ length: Int) -> Float {
            // logP / len^alpha
            length == 0 ? logP : logP / Float(Math.exp(Double(alpha) * Math.log(Double(length))))
        }
        guard maxLength > 0 else { return [Hypothesis(tokens: [], finished: false, logProbability: 0, score: 0)] }
        beginDecoding(source, rows: width, maxLength: maxLength)
        var live = [Hypothesis(tokens: [], finished: false, logProbability: 0, score: 0)]
        var finished: [Hypothesis] = []
        let v = spec.targetVocabulary
        for t in 0..<maxLength {
            // rows beyond the live ones repeat row 0 (their results are ignored)
            var previous = live.map { $0.tokens.last ?? bos }
            while previous.count < width { previous.append(previous[0]) }
            let lp = logProbabilities(step: t, previous: previous)
            var candidates: [(row: Int, token: Int, logP: Float)] = []
            candidates.reserveCapacity(live.count * v)
            for (r, h) in live.enumerated() {
                for k in 0..<v { candidates.append((r, k, h.logProbability + lp[r * v + k])) }
            }
            candidates.sort { ($0.logP, -$0.row, -$0.token) > ($1.logP, -$1.row, -$1.token) }
            var next: [Hypothesis] = [], parents: [Int] = []
            for c in candidates {
                if next.count + finished.count == width { break }
                var h = live[c.row]
                h.logProbability = c.logP
                if Int32(c.token) == eos {
                    h.finished = true
                    h.score = score(c.logP, h.tokens.count + 1)
                    finished.append(h)
                } else {
                    h.tokens.append(Int32(c.token))
                    h.score = score(c.logP, h.tokens.count)
                    next.append(h)
                    parents.append(c.row)
                }
            }
            if finished.count >= width || next.isEmpty || t == maxLength - 1 {
                live = next
                break
            }
            // the decoder state after step t follows each survivor's parent row
            while parents.count < width { parents.append(parents[0]) }
            for layer in layers { layer.reorder(after: t, parents: parents) }
            attention.reorder(step: t, parents: parents)
            live = next
        }
        let pool = finished.isEmpty ? live : finished
        return pool.enumerated().sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }.map(\.element)
    }
}
