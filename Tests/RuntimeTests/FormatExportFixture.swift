import RecurRuntime
import Trainer

/// A `.rnnz` file described once, so the same description both drives the writer and becomes
/// the JSON manifest that scripts/check-gguf compares against Python's `gguf` reader.
///
/// The manifest records what the writer was GIVEN (keys in order, tensor names, GGUF dims,
/// source values), never what our reader reads back, so the check is independent of our reader.
/// Floats travel as IEEE bit patterns so JSON cannot round them.
struct FormatExportFixture {
    /// One tensor and the builder call that adds it.
    enum Tensor {
        /// `addF32(name:rows:cols:)`: rows × cols, row-major.
        case f32Matrix(String, rows: Int, cols: Int, [Float])
        /// `addF32(name:_:)`: a vector.
        case f32Vector(String, [Float])
        /// `addTensor` with raw little-endian F32 bytes and explicit GGUF dims (3-D and 4-D).
        case f32Raw(String, dims: [Int], [Float])
        /// `addF16(name:rows:cols:)`: the builder rounds each Float to the nearest half.
        case f16Matrix(String, rows: Int, cols: Int, [Float])
        /// `addI8(name:rows:cols:)`.
        case i8Matrix(String, rows: Int, cols: Int, [Int8])
        /// `addI32(name:_:)`.
        case i32Vector(String, [Int32])

        var name: String {
            switch self {
            case let .f32Matrix(name, _, _, _), let .f32Vector(name, _), let .f32Raw(name, _, _),
                 let .f16Matrix(name, _, _, _), let .i8Matrix(name, _, _, _), let .i32Vector(name, _):
                return name
            }
        }

        /// GGUF dims, `dims[0]` the number of columns.
        var dims: [Int] {
            switch self {
            case let .f32Matrix(_, rows, cols, _), let .f16Matrix(_, rows, cols, _), let .i8Matrix(_, rows, cols, _):
                return [cols, rows]
            case let .f32Vector(_, values): return [values.count]
            case let .f32Raw(_, dims, _): return dims
            case let .i32Vector(_, values): return [values.count]
            }
        }

        func add(to builder: inout GGUFBuilder) {
            switch self {
            case let .f32Matrix(name, rows, cols, values): builder.addF32(name: name, rows: rows, cols: cols, values)
            case let .f32Vector(name, values): builder.addF32(name: name, values)
            case let .f32Raw(name, dims, values):
                var bytes: [UInt8] = []
                for value in values {
                    bytes += (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) }
                }
                builder.addTensor(name: name, type: .f32, dims: dims, bytes: bytes)
            case let .f16Matrix(name, rows, cols, values): builder.addF16(name: name, rows: rows, cols: cols, values)
            case let .i8Matrix(name, rows, cols, values): builder.addI8(name: name, rows: rows, cols: cols, values)
            case let .i32Vector(name, values): builder.addI32(name: name, values)
            }
        }

        /// `{"name", "type", "dims", ...values}`: F32 as `f32_bits`; F16 as the Floats given
        /// (`source_f32_bits`, the checker rounds them to half itself); I8 and I32 as integers.
        var json: String {
            let head = "{\"name\": \(JSONText.string(name)), \"dims\": \(JSONText.integers(dims.map(Int64.init))), "
            switch self {
            case let .f32Matrix(_, _, _, values), let .f32Vector(_, values), let .f32Raw(_, _, values):
                return head + "\"type\": \"F32\", \"f32_bits\": \(JSONText.floatBits(values))}"
            case let .f16Matrix(_, _, _, values):
                return head + "\"type\": \"F16\", \"source_f32_bits\": \(JSONText.floatBits(values))}"
            case let .i8Matrix(_, _, _, values):
                return head + "\"type\": \"I8\", \"values\": \(JSONText.integers(values.map(Int64.init)))}"
            case let .i32Vector(_, values):
                return head + "\"type\": \"I32\", \"values\": \(JSONText.integers(values.map(Int64.init)))}"
            }
        }
    }

    /// File name inside the export directory.
    let file: String
    /// Keys in the order they are set.
    let keys: [(String, GGUFValue)]
    let tensors: [Tensor]
    /// Whether the writer appends `general.alignment` after the keys (GGUFBuilder does unless
    /// the key was set; the Exporter sets it itself, third).
    var alignmentAppended = true

    /// The GGUF bytes the writer is given (the builder appends `general.alignment` = 64).
    func encode() -> [UInt8] {
        var builder = GGUFBuilder(alignment: 64)
        for (key, value) in keys { builder.set(key, value) }
        for tensor in tensors { tensor.add(to: &builder) }
        return builder.encode()
    }

    /// Keys the file must hold, in file order: ours, then the builder's automatic alignment key.
    var expectedKeys: [(String, GGUFValue)] {
        alignmentAppended ? keys + [("general.alignment", .uint32(64))] : keys
    }

    /// This fixture's manifest entry.
    var json: String {
        let keyEntries = expectedKeys.map { key, value in
            "{\"key\": \(JSONText.string(key)), " + JSONText.value(value) + "}"
        }
        return "{\"file\": \(JSONText.string(file)), \"alignment\": 64,\n  \"keys\": [\n    "
            + keyEntries.joined(separator: ",\n    ") + "],\n  \"tensors\": [\n    "
            + tensors.map(\.json).joined(separator: ",\n    ") + "]}"
    }
}

/// The small JSON writer the manifest needs (exact integers, bit patterns for floats).
enum JSONText {
    /// A JSON string literal: quote, backslash and control characters escaped; other UTF-8 kept.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func integers(_ values: [Int64]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }

    static func unsigned(_ values: [UInt64]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }

    static func floatBits(_ values: [Float]) -> String {
        unsigned(values.map { UInt64($0.bitPattern) })
    }

    /// `"type": "UINT32", "value": …` with gguf's GGUFValueType names; arrays add `element_type`.
    /// FLOAT32/FLOAT64 values are bit patterns.
    static func value(_ value: GGUFValue) -> String {
        switch value {
        case let .uint8(v): return "\"type\": \"UINT8\", \"value\": \(v)"
        case let .int8(v): return "\"type\": \"INT8\", \"value\": \(v)"
        case let .uint16(v): return "\"type\": \"UINT16\", \"value\": \(v)"
        case let .int16(v): return "\"type\": \"INT16\", \"value\": \(v)"
        case let .uint32(v): return "\"type\": \"UINT32\", \"value\": \(v)"
        case let .int32(v): return "\"type\": \"INT32\", \"value\": \(v)"
        case let .float32(v): return "\"type\": \"FLOAT32\", \"value\": \(v.bitPattern)"
        case let .bool(v): return "\"type\": \"BOOL\", \"value\": \(v)"
        case let .string(v): return "\"type\": \"STRING\", \"value\": \(string(v))"
        case let .uint64(v): return "\"type\": \"UINT64\", \"value\": \(v)"
        case let .int64(v): return "\"type\": \"INT64\", \"value\": \(v)"
        case let .float64(v): return "\"type\": \"FLOAT64\", \"value\": \(v.bitPattern)"
        case let .array(elements): return "\"type\": \"ARRAY\", " + array(elements)
        }
    }

    /// `"element_type": …, "value": [...]` for a flat array (the fixtures use no nested arrays:
    /// Recur's keys have none, and gguf's reader flattens them).
    static func array(_ elements: GGUFArray) -> String {
        let (type, values): (String, String)
        switch elements {
        case let .uint8(v): (type, values) = ("UINT8", integers(v.map(Int64.init)))
        case let .int8(v): (type, values) = ("INT8", integers(v.map(Int64.init)))
        case let .uint16(v): (type, values) = ("UINT16", integers(v.map(Int64.init)))
        case let .int16(v): (type, values) = ("INT16", integers(v.map(Int64.init)))
        case let .uint32(v): (type, values) = ("UINT32", integers(v.map(Int64.init)))
        case let .int32(v): (type, values) = ("INT32", integers(v.map(Int64.init)))
        case let .float32(v): (type, values) = ("FLOAT32", floatBits(v))
        case let .bool(v): (type, values) = ("BOOL", "[" + v.map(String.init).joined(separator: ", ") + "]")
        case let .string(v): (type, values) = ("STRING", "[" + v.map(string).joined(separator: ", ") + "]")
        case let .uint64(v): (type, values) = ("UINT64", unsigned(v))
        case let .int64(v): (type, values) = ("INT64", integers(v))
        case let .float64(v): (type, values) = ("FLOAT64", unsigned(v.map(\.bitPattern)))
        case .array: preconditionFailure("nested arrays are not exported to the manifest")
        }
        return "\"element_type\": \"\(type)\", \"value\": \(values)"
    }
}
