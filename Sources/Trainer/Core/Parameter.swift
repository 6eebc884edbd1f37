/// A named trainable tensor with its gradient.
///
/// `name` is the FORMAT.md tensor name (`enc.{i}.weight_ih`, `enc.{i}.bias`, …), so export can
/// write parameters as they are. A vector (bias) has `cols == 1`. Storage is row-major f32;
/// `grad` has the same shape and is where every backward pass *accumulates*.
public final class Parameter: @unchecked Sendable {
    /// FORMAT.md tensor name.
    public let name: String
    /// Rows (the output dimension of a weight, the length of a bias, the vocabulary of an embedding).
    public let rows: Int
    /// Columns (the input dimension of a weight; 1 for a bias).
    public let cols: Int
    /// (rows, cols) row-major values.
    public let storage: Tensor
    /// (rows, cols) row-major gradient, same layout as `storage`.
    public let gradient: Tensor

    public init(name: String, rows: Int, cols: Int, value: [Float]? = nil) {
        precondition(rows > 0 && cols > 0, "parameter \(name): empty shape \(rows)×\(cols)")
        self.name = name
        self.rows = rows
        self.cols = cols
        storage = Tensor(count: rows * cols)
        gradient = Tensor(count: rows * cols)
        if let value { storage.assign(value) }
    }

    /// rows · cols.
    public var count: Int { rows * cols }

    /// True for a bias vector (one column).
    public var isVector: Bool { cols == 1 }

    /// (rows, cols) row-major values, as an array copy; setting copies in (same count).
    public var value: [Float] {
        get { storage.array }
        set { storage.assign(newValue) }
    }

    /// (rows, cols) row-major gradient, as an array copy; setting copies in (same count).
    public var grad: [Float] {
        get { gradient.array }
        set { gradient.assign(newValue) }
    }

    /// Sets every gradient element to zero.
    public func zeroGrad() {
        gradient.zero()
    }
}
