import RecurRuntime
import TestSupport
import Trainer

/// A fixture model described by its keys and generated tensors (`Seq2SeqFixture`,
/// `TextClassifierFixture`), written through the Trainer's GGUFBuilder and RnnzWriter and
/// loaded like any exported file. The overrides, omissions and replacements make one change
/// to a model that loads: what a refusal test needs.
protocol FixtureFile {
    /// Every key, in file order, before `overrides`.
    func keys() -> [(String, GGUFValue)]
    /// Every tensor, in file order.
    func tensors() -> [FixtureTensor]
    /// Keys set after the generated ones (replacing them).
    var overrides: [(String, GGUFValue)] { get }
    var omittedKeys: Set<String> { get }
    var omittedTensors: Set<String> { get }
    /// Tensors written as given instead of the generated ones (name → type, dims, bytes).
    var replacedTensors: [String: (GGUFTensorType, [Int], [UInt8])] { get }
    /// Tensors appended (self-tests).
    var extraTensors: [(String, GGUFTensorType, [Int], [UInt8])] { get }
}

extension FixtureFile {
    func gguf(_ storage: WeightStorage) -> [UInt8] {
        var builder = GGUFBuilder()
        for (key, value) in keys() + overrides where !omittedKeys.contains(key) {
            builder.set(key, value)
        }
        for tensor in tensors() where !omittedTensors.contains(tensor.name) {
            if let (type, dims, bytes) = replacedTensors[tensor.name] {
                builder.addTensor(name: tensor.name, type: type, dims: dims, bytes: bytes)
                continue
            }
            ModelFixture.add(tensor, storage, to: &builder, omitting: omittedTensors)
        }
        for (name, type, dims, bytes) in extraTensors {
            builder.addTensor(name: name, type: type, dims: dims, bytes: bytes)
        }
        return builder.encode()
    }

    func rnnz(_ storage: WeightStorage = .f32) throws -> [UInt8] {
        try RnnzWriter.compress(gguf(storage))
    }

    func model(_ storage: WeightStorage = .f32) throws -> Model {
        try Model(file: try ModelFixture.decode(try rnnz(storage)))
    }

    /// The error `Model(file:)` throws for this fixture, or nil when it loads.
    func loadError(_ storage: WeightStorage = .f32) throws -> RecurError? {
        ModelFixture.loadError(of: try rnnz(storage))
    }
}

/// Seeded fixture tensors: weights are multiples of 1/256 (exact in F16, as in `ModelFixture`),
/// drawn in the order the calls are made.
struct FixtureTensorGenerator {
    var rng: SeededGenerator
    /// Multiplies every value (larger weights give peakier distributions).
    let weightScale: Float
    /// Gate blocks of the recurrent cell: 4 (lstm), 3 (gru), 1 (rnn).
    let gates: Int

    init(seed: UInt64, weightScale: Float, cell: String) {
        rng = SeededGenerator(seed: seed)
        self.weightScale = weightScale
        gates = cell == "lstm" ? 4 : cell == "gru" ? 3 : 1
    }

    mutating func matrix(_ name: String, _ rows: Int, _ cols: Int, scale: Float = 0.5) -> FixtureTensor {
        FixtureTensor(name: name, rows: rows, cols: cols,
                      values: ModelFixture.weights(rows * cols, &rng, scale: scale * weightScale), isWeight: true)
    }

    mutating func vector(_ name: String, _ count: Int, scale: Float = 0.25) -> FixtureTensor {
        FixtureTensor(name: name, rows: 1, cols: count,
                      values: ModelFixture.weights(count, &rng, scale: scale * weightScale), isWeight: false)
    }

    /// `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` of one direction (`suffix` `_reverse` for the backward one).
    mutating func recurrent(_ prefix: String, input: Int, hidden: Int, suffix: String = "") -> [FixtureTensor] {
        [matrix(prefix + "weight_ih" + suffix, gates * hidden, input),
         matrix(prefix + "weight_hh" + suffix, gates * hidden, hidden),
         vector(prefix + "bias_ih" + suffix, gates * hidden),
         vector(prefix + "bias_hh" + suffix, gates * hidden)]
    }
}
