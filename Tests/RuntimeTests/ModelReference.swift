/// A plain double-precision forward pass of a fixture's f32 model, written
/// independently of the Runtime (whole sequence, one loop), to check that stepping
/// the Runtime one timestep at a time computes the same thing.
///
/// Gate order and bias placement follow PyTorch (recur_core.h): LSTM i|f|g|o,
/// GRU r|z|n with b_hn inside r ⊙ (W_hn h + b_hn).
struct ModelReference {
    let fixture: ModelFixture

    /// Outputs of the whole stack after every input (frames: rows of `inputSize`
    /// raw values; lm: token ids). The head runs after every step.
    func run(frames: [[Float]] = [], tokens: [Int] = []) -> [[Double]] {
        let steps = fixture.task == "lm" ? tokens.count : frames.count
        var states: [[Double]] = fixture.layers.map { Array(repeating: 0, count: $0.output) }
        var cells: [[Double]] = fixture.layers.map { Array(repeating: 0, count: $0.output) }
        var results: [[Double]] = []
        for t in 0..<steps {
            var x: [Double]
            if fixture.task == "lm" {
                x = []
            } else {
                x = frames[t].enumerated().map { i, v in
                    fixture.mean.isEmpty ? Double(v) : (Double(v) - Double(fixture.mean[i])) / Double(fixture.std[i])
                }
            }
            for (l, layer) in fixture.layers.enumerated() {
                switch layer.type {
                case "embedding":
                    let w = layer.tensor("weight")
                    x = (0..<w.cols).map { Double(w.values[tokens[t] * w.cols + $0]) }
                case "dense":
                    var y = affine(layer.tensor("weight"), x, layer.tensor("bias"))
                    switch layer.activation {
                    case "relu": y = y.map { max($0, 0) }
                    case "tanh": y = y.map { tanhD($0) }
                    case "softmax":
                        let m = y.max()!
                        let e = y.map { expD($0 - m) }
                        let s = e.reduce(0, +)
                        y = e.map { $0 / s }
                    default: break
                    }
                    x = y
                default:
                    let next = referenceCellStep(
                        layer.type, activation: layer.activation, weightIH: layer.tensor("weight_ih"),
                        weightHH: layer.tensor("weight_hh"), biasIH: layer.tensor("bias_ih"),
                        biasHH: layer.tensor("bias_hh"), x: x, h: states[l], c: cells[l])
                    states[l] = next.h
                    cells[l] = next.c
                    x = next.h
                }
            }
            results.append(x)
        }
        return results
    }

}

/// W x + b in Double (`b` nil: no bias).
func affine(_ w: FixtureTensor, _ x: [Double], _ b: FixtureTensor?) -> [Double] {
    (0..<w.rows).map { r in
        var sum = b.map { Double($0.values[r]) } ?? 0
        for c in 0..<w.cols { sum += Double(w.values[r * w.cols + c]) * x[c] }
        return sum
    }
}

/// One step of an lstm, gru or rnn cell in Double, PyTorch gate order: returns the
/// new h and c (c unchanged but for an LSTM).
func referenceCellStep(
    _ type: String, activation: String?, weightIH: FixtureTensor, weightHH: FixtureTensor,
    biasIH: FixtureTensor, biasHH: FixtureTensor, x: [Double], h: [Double], c: [Double]
) -> (h: [Double], c: [Double]) {
    let hidden = h.count
    let u = affine(weightIH, x, biasIH)
    let v = affine(weightHH, h, biasHH)
    var next = [Double](repeating: 0, count: hidden)
    var cell = c
    switch type {
    case "lstm":
        for j in 0..<hidden {
            let i = sigmoidD(u[j] + v[j])
            let f = sigmoidD(u[hidden + j] + v[hidden + j])
            let g = tanhD(u[2 * hidden + j] + v[2 * hidden + j])
            let o = sigmoidD(u[3 * hidden + j] + v[3 * hidden + j])
            cell[j] = f * c[j] + i * g
            next[j] = o * tanhD(cell[j])
        }
    case "gru":
        for j in 0..<hidden {
            let r = sigmoidD(u[j] + v[j])
            let z = sigmoidD(u[hidden + j] + v[hidden + j])
            let n = tanhD(u[2 * hidden + j] + r * v[2 * hidden + j])
            next[j] = (1 - z) * n + z * h[j]
        }
    default:
        for j in 0..<hidden {
            let a = u[j] + v[j]
            next[j] = activation == "relu" ? max(a, 0) : tanhD(a)
        }
    }
    return (next, cell)
}

// Double-precision exp/tanh/sigmoid without Foundation in the test either:
// exp by range reduction (x = k·ln2 + r) and a Taylor series for r.
func expD(_ x: Double) -> Double {
    if x < -700 { return 0 }
    let ln2 = 0.693_147_180_559_945_309_417_232
    let k = (x / ln2).rounded()
    let r = x - k * ln2
    var term = 1.0
    var sum = 1.0
    for n in 1...25 {
        term *= r / Double(n)
        sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
}

func tanhD(_ x: Double) -> Double {
    if x > 20 { return 1 }
    if x < -20 { return -1 }
    let e = expD(2 * x)
    return (e - 1) / (e + 1)
}

func sigmoidD(_ x: Double) -> Double {
    1 / (1 + expD(-x))
}

/// |a - b| ≤ tolerance · max(1, |b|): relative for large values, absolute near zero.
func close(_ a: Float, _ b: Double, tolerance: Double = 1e-5) -> Bool {
    abs(Double(a) - b) <= tolerance * max(1, abs(b))
}
