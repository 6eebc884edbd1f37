import Foundation
@testable import Trainer

/// Builds safetensors bytes for tests: tensors in the order given, or a raw header for
/// the malformed cases.
struct SafetensorsBuilder {
    struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var data: [UInt8]
    }

    var entries: [Entry] = []

    mutating func f32(_ name: String, _ shape: [Int], _ values: [Float]) {
        var data: [UInt8] = []
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        entries.append(Entry(name: name, dtype: "F32", shape: shape, data: data))
    }

    /// `values` as F16 (exactly representable values only in tests).
    mutating func f16(_ name: String, _ shape: [Int], _ values: [Float]) {
        var data: [UInt8] = []
        for value in values { withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        entries.append(Entry(name: name, dtype: "F16", shape: shape, data: data))
    }

    /// `values` truncated to BF16 (exact for values with 8 significant bits).
    mutating func bf16(_ name: String, _ shape: [Int], _ values: [Float]) {
        var data: [UInt8] = []
        for value in values { withUnsafeBytes(of: UInt16(value.bitPattern >> 16).littleEndian) { data.append(contentsOf: $0) } }
        entries.append(Entry(name: name, dtype: "BF16", shape: shape, data: data))
    }

    /// A tensor of `shape` with seeded values in [-0.5, 0.5).
    mutating func random(_ name: String, _ shape: [Int], seed: UInt64) {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        f32(name, shape, values)
    }

    /// The file: header JSON with data_offsets in entry order, then the data.
    func bytes(headerOverride: ((inout [String: Any]) -> Void)? = nil) -> [UInt8] {
        var header: [String: Any] = [:]
        var data: [UInt8] = []
        for entry in entries {
            header[entry.name] = ["dtype": entry.dtype, "shape": entry.shape, "data_offsets": [data.count, data.count + entry.data.count]]
            data.append(contentsOf: entry.data)
        }
        headerOverride?(&header)
        let json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        return Self.file(header: [UInt8](json), data: data)
    }

    /// A file from raw header bytes and data.
    static func file(header: [UInt8], data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + header + data
    }

    /// An nn.LSTM(input, hidden) + nn.Linear(hidden, outputs) state dict, as PyTorch names it.
    static func lstmClassifier(input: Int = 3, hidden: Int = 4, outputs: Int = 2, module: String = "lstm") -> SafetensorsBuilder {
        var builder = SafetensorsBuilder()
        builder.random("\(module).weight_ih_l0", [4 * hidden, input], seed: 1)
        builder.random("\(module).weight_hh_l0", [4 * hidden, hidden], seed: 2)
        builder.random("\(module).bias_ih_l0", [4 * hidden], seed: 3)
        builder.random("\(module).bias_hh_l0", [4 * hidden], seed: 4)
        builder.random("fc.weight", [outputs, hidden], seed: 5)
        builder.random("fc.bias", [outputs], seed: 6)
        return builder
    }
}
