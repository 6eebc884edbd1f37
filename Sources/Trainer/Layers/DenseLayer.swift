/// A fully connected layer y = act(W x + b) over N rows at once.
final class DenseLayer {
    /// The activation after the affine map (FORMAT.md `recur.enc.{i}.activation` values).
    enum Activation: String, Sendable, CaseIterable {
        case none, relu, tanh
    }

    let inputSize: Int
    let outputSize: Int
    let activation: Activation
    /// (O, I)
    let weight: Parameter
    /// (O)
    let bias: Parameter
    /// (N, O) outputs of the last forward.
    let output = Tensor()
    /// (N, O) gradient of the pre-activations.
    private let dA = Tensor()
    private var input: UnsafePointer<Float>?
    private var rows = 0

    init(index: Int, inputSize: Int, outputSize: Int, activation: Activation, random: inout SeededRandom,
         prefix: String? = nil) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.activation = activation
        // PyTorch nn.Linear: weight and bias uniform in ±1/sqrt(I).
        let bound = 1 / Float(inputSize).squareRoot()
        weight = Parameter(name: "\(prefix ?? "enc.\(index).")weight", rows: outputSize, cols: inputSize,
                           value: (0..<(outputSize * inputSize)).map { _ in random.uniform(-bound, bound) })
        bias = Parameter(name: "\(prefix ?? "enc.\(index).")bias", rows: outputSize, cols: 1,
                         value: (0..<outputSize).map { _ in random.uniform(-bound, bound) })
    }

    var parameters: [Parameter] { [weight, bias] }

    /// y (N, O) = act(x (N, I) · Wᵀ + b). Keeps a pointer to x until backward.
    func forward(_ x: UnsafePointer<Float>, rows: Int) {
        input = x
        self.rows = rows
        output.resize(rows * outputSize)
        let y = output.data
        BLAS.gemm(false, true, rows, outputSize, inputSize, 1, x, inputSize, weight.storage.data, inputSize, 0, y, outputSize)
        VectorMath.addRow(bias.storage.data, to: y, rows: rows, outputSize)
        switch activation {
        case .none: break
        case .relu: VectorMath.relu(y, rows * outputSize)
        case .tanh: VectorMath.tanh(y, rows * outputSize)
        }
    }

    /// Accumulates dW, db and (when given) dX from dY (N, O).
    func backward(_ dY: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        let n = rows * outputSize
        dA.resize(n)
        let y = output.data, d = dA.data
        // da = dy ⊙ act'(a)
        switch activation {
        case .none: d.update(from: dY, count: n)
        case .relu: for j in 0..<n { d[j] = y[j] > 0 ? dY[j] : 0 }
        case .tanh: for j in 0..<n { d[j] = dY[j] * (1 - y[j] * y[j]) }
        }
        // dW += daᵀ · x     (O, N) × (N, I)
        BLAS.gemm(true, false, outputSize, inputSize, rows, 1, d, outputSize, input!, inputSize, 1, weight.gradient.data, inputSize)
        // db += Σ_rows da
        VectorMath.addColumnSums(d, rows: rows, outputSize, into: bias.gradient.data)
        if let dInput {
            // dX += da · W      (N, O) × (O, I)
            BLAS.gemm(false, false, rows, inputSize, outputSize, 1, d, outputSize, weight.storage.data, inputSize, 1, dInput, inputSize)
        }
    }
}
