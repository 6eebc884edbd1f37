/// A plain double-precision seq2seq forward pass of a `Seq2SeqFixture`, written
/// from docs/FORMAT.md's equations independently of the Runtime's `Translator`
/// (arrays of Doubles, straightforward loops), to check the Runtime's f32 path.
struct Seq2SeqReference {
    let fixture: Seq2SeqFixture
    private let tensors: [String: FixtureTensor]

    /// The decoder's state between steps: h and c per recurrent layer, and h̃.
    struct State {
        var h: [[Double]]
        var c: [[Double]]
        var attentional: [Double]
    }

    init(_ fixture: Seq2SeqFixture) {
        self.fixture = fixture
        var all: [String: FixtureTensor] = [:]
        for tensor in fixture.tensors() { all[tensor.name] = tensor }
        tensors = all
    }

    private func t(_ name: String) -> FixtureTensor { tensors[name]! }

    private func row(_ table: FixtureTensor, _ index: Int) -> [Double] {
        (0..<table.cols).map { Double(table.values[index * table.cols + $0]) }
    }

    private func cellStep(_ prefix: String, suffix: String = "", x: [Double], h: [Double], c: [Double]) -> (h: [Double], c: [Double]) {
        referenceCellStep(
            fixture.cell, activation: fixture.cell == "rnn" ? "tanh" : nil, weightIH: t(prefix + "weight_ih" + suffix),
            weightHH: t(prefix + "weight_hh" + suffix), biasIH: t(prefix + "bias_ih" + suffix),
            biasHH: t(prefix + "bias_hh" + suffix), x: x, h: h, c: c)
    }

    /// The encoder memory s_j (n rows of E) and the decoder's start state (zero, or
    /// the encoder layers' final states for bridge copy).
    func encode(_ source: [Int]) -> (memory: [[Double]], start: State) {
        var xs = source.map { row(t("enc.0.weight"), $0) }
        var finalH: [[Double]] = []
        var finalC: [[Double]] = []
        let n = source.count
        let zero = [Double](repeating: 0, count: fixture.hidden)
        for i in 1...fixture.encoderLayers {
            var forward: [[Double]] = []
            var state = (h: zero, c: zero)
            for j in 0..<n {
                state = cellStep("enc.\(i).", x: xs[j], h: state.h, c: state.c)
                forward.append(state.h)
            }
            var lastH = state.h
            var lastC = state.c
            var outputs = forward
            if fixture.bidirectional {
                var backward = [[Double]](repeating: [], count: n)
                var reverse = (h: zero, c: zero)
                for j in stride(from: n - 1, through: 0, by: -1) {
                    reverse = cellStep("enc.\(i).", suffix: "_reverse", x: xs[j], h: reverse.h, c: reverse.c)
                    backward[j] = reverse.h
                }
                outputs = (0..<n).map { forward[$0] + backward[$0] }
                lastH += reverse.h
                lastC += reverse.c
            }
            finalH.append(lastH)
            finalC.append(lastC)
            xs = outputs
        }
        let width = fixture.decoderWidth
        var start = State(
            h: Array(repeating: Array(repeating: 0, count: width), count: fixture.decoderLayers),
            c: Array(repeating: Array(repeating: 0, count: width), count: fixture.decoderLayers),
            attentional: Array(repeating: 0, count: fixture.combine))
        if fixture.bridge == "copy" {
            start.h = finalH
            start.c = finalC
        }
        return (xs, start)
    }

    /// Feeds `token` (y_{t−1}): returns log p_t over the target vocabulary and the new state.
    func step(_ token: Int, _ state: State, memory: [[Double]]) -> (logP: [Double], state: State) {
        var next = state
        var x = row(t("dec.0.weight"), token)
        if fixture.inputFeeding { x += state.attentional }
        for k in 0..<fixture.decoderLayers {
            let out = cellStep("dec.\(k + 1).", x: x, h: state.h[k], c: state.c[k])
            next.h[k] = out.h
            next.c[k] = out.c
            x = out.h
        }
        let h = x
        var scores: [Double] = []
        for s in memory {
            switch fixture.attention {
            case "dot":
                scores.append(dotD(h, s))
            case "general":
                scores.append(dotD(h, affine(t("att.weight"), s, nil)))
            default:
                let key = affine(t("att.key.weight"), s, t("att.bias"))
                let query = affine(t("att.query.weight"), h, nil)
                let v = t("att.v").values.map(Double.init)
                scores.append(dotD(v, (0..<key.count).map { tanhD(key[$0] + query[$0]) }))
            }
        }
        let top = scores.max()!
        let weights = scores.map { expD($0 - top) }
        let total = weights.reduce(0, +)
        var context = [Double](repeating: 0, count: fixture.encoderWidth)
        for (j, s) in memory.enumerated() {
            for e in 0..<context.count { context[e] += weights[j] / total * s[e] }
        }
        next.attentional = affine(t("att.combine.weight"), context + h, t("att.combine.bias")).map { tanhD($0) }
        let last = fixture.decoderCount - 1
        let logits = affine(t("dec.\(last).weight"), next.attentional, t("dec.\(last).bias"))
        let m = logits.max()!
        let logSum = lnD(logits.reduce(0) { $0 + expD($1 - m) })
        return (logits.map { $0 - m - logSum }, next)
    }

    /// log p(· | source, BOS, prefix).
    func logProbabilities(source: [Int], prefix: [Int]) -> [Double] {
        let (memory, start) = encode(source)
        var state = start
        var logP: [Double] = []
        for token in [Seq2SeqFixture.bos] + prefix {
            (logP, state) = step(token, state, memory: memory)
        }
        return logP
    }
}

func dotD(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in 0..<a.count { sum += a[i] * b[i] }
    return sum
}

/// ln x for x > 0 by Newton's method on expD (no Foundation in the tests either).
func lnD(_ x: Double) -> Double {
    var y = Double(x.exponent) * 0.693_147_180_559_945_309_4
    for _ in 0..<60 {
        let e = expD(y)
        y -= (e - x) / e
    }
    return y
}
