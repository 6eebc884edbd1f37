/// A plain double-precision forward pass of a `TextClassifierFixture`, written from
/// docs/FORMAT.md ("Text classifier models") independently of the Runtime's `TextClassifier`
/// (arrays of Doubles, whole-sequence loops over the fixture's f32 values), to check the
/// Runtime's f32 path.
struct TextClassifierReference {
    let fixture: TextClassifierFixture
    private let tensors: [String: FixtureTensor]

    init(_ fixture: TextClassifierFixture) {
        self.fixture = fixture
        var all: [String: FixtureTensor] = [:]
        for tensor in fixture.tensors() { all[tensor.name] = tensor }
        tensors = all
    }

    private func t(_ name: String) -> FixtureTensor { tensors[name]! }

    /// The top recurrent layer's output per position: [h_fwd(j) ; h_bwd(j)] for a bidirectional layer.
    func encode(_ ids: [Int]) -> [[Double]] {
        let table = t("enc.0.weight")
        var xs = ids.map { id in (0..<table.cols).map { Double(table.values[id * table.cols + $0]) } }
        let n = ids.count
        let zero = [Double](repeating: 0, count: fixture.hidden)
        for (k, bidirectional) in fixture.directions.enumerated() {
            let prefix = "enc.\(k + 1)."
            func step(_ suffix: String, _ x: [Double], _ state: (h: [Double], c: [Double])) -> (h: [Double], c: [Double]) {
                referenceCellStep(
                    fixture.cell, activation: fixture.cell == "rnn" ? "tanh" : nil,
                    weightIH: t(prefix + "weight_ih" + suffix), weightHH: t(prefix + "weight_hh" + suffix),
                    biasIH: t(prefix + "bias_ih" + suffix), biasHH: t(prefix + "bias_hh" + suffix),
                    x: x, h: state.h, c: state.c)
            }
            var outputs: [[Double]] = []
            var state = (h: zero, c: zero)
            for j in 0..<n {
                state = step("", xs[j], state)
                outputs.append(state.h)
            }
            if bidirectional {
                var reverse = (h: zero, c: zero)
                for j in stride(from: n - 1, through: 0, by: -1) {
                    reverse = step("_reverse", xs[j], reverse)
                    outputs[j] += reverse.h
                }
            }
            xs = outputs
        }
        return xs
    }

    /// The label probabilities of the line `ids`.
    func probabilities(_ ids: [Int]) -> [Double] {
        let ys = encode(ids)
        let n = ys.count
        let width = fixture.encoderWidth
        var pooled = [Double](repeating: 0, count: width)
        switch fixture.pool {
        case "last":
            // The forward half after the last position, the backward half after position 0.
            let forwardWidth = fixture.directions.last! ? fixture.hidden : width
            for i in 0..<width { pooled[i] = i < forwardWidth ? ys[n - 1][i] : ys[0][i] }
        case "mean":
            for y in ys { for i in 0..<width { pooled[i] += y[i] } }
            for i in 0..<width { pooled[i] /= Double(n) }
        default:
            for i in 0..<width { pooled[i] = ys.map { $0[i] }.max()! }
        }
        var x = pooled
        let activations = fixture.hiddenDense.map(\.activation) + ["softmax"]
        for (d, activation) in activations.enumerated() {
            let index = fixture.firstDense + d
            x = affine(t("enc.\(index).weight"), x, t("enc.\(index).bias"))
            switch activation {
            case "relu": x = x.map { max($0, 0) }
            case "tanh": x = x.map { tanhD($0) }
            case "softmax":
                let m = x.max()!
                let e = x.map { expD($0 - m) }
                let total = e.reduce(0, +)
                x = e.map { $0 / total }
            default: break
            }
        }
        return x
    }
}
