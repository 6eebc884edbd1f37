import Foundation
import RecurRuntime

/// `recur inspect`: a human-readable account of a `.rnnz` file.
public enum ModelInspector {
    /// Reads and validates `path` and describes keys, layers, tensors, parameters and compression.
    ///
    /// - Throws: `ExportError.unreadable` or the reader's `RecurError` naming what is wrong.
    public static func report(path: String) throws -> String {
        let bytes = try ModelFile.read(path)
        let file = try ModelFile.decode(bytes)
        var lines: [String] = []
        lines.append("file        \(path)")
        lines.append("size        \(Format.bytes(bytes.count)) compressed, \(Format.bytes(file.storage.count)) GGUF "
            + "(ratio \(Format.fixed(Double(file.storage.count) / Double(max(bytes.count, 1)), digits: 2))×)")
        lines.append("")
        lines.append("keys (\(file.keys.count))")
        for key in file.keys {
            guard let value = file.metadata[key] else { continue }
            lines.append("  " + key.padding(toLength: 28) + "\(value.typeName.padding(toLength: 10))\(describe(value))")
        }
        lines.append("")
        let layerCount = (try? file.uint32("recur.enc.count")).map(Int.init) ?? 0
        lines.append("layers (\(layerCount))")
        for i in 0..<layerCount {
            let type = (try? file.string("recur.enc.\(i).type")) ?? "?"
            let input = (try? file.uint32("recur.enc.\(i).input")).map { "\($0)" } ?? "?"
            let output = (try? file.uint32("recur.enc.\(i).output")).map { "\($0)" }
                ?? (try? file.uint32("recur.enc.\(i).hidden")).map { "\($0)" } ?? "?"
            let activation = (try? file.string("recur.enc.\(i).activation")).map { " \($0)" } ?? ""
            lines.append("  \(i)  \(type)\(activation)  \(input) → \(output)")
        }
        lines.append("")
        lines.append("tensors (\(file.tensors.count))")
        var parameters = 0
        var weightBytes = 0
        for info in file.tensors {
            let shape = info.dims.count == 1 ? "\(info.dims[0])" : "\(info.rows)×\(info.cols)"
            lines.append("  " + info.name.padding(toLength: 28) + info.type.name.padding(toLength: 5)
                + shape.padding(toLength: 12) + Format.bytes(info.byteCount))
            if !info.name.hasPrefix("selftest.") && !info.name.hasSuffix(".scale") {
                parameters += info.elementCount
            }
            if !info.name.hasPrefix("selftest.") { weightBytes += info.byteCount }
        }
        lines.append("")
        lines.append("parameters  \(parameters) (\(Format.bytes(weightBytes)) of weights, biases and scales)")
        return lines.joined(separator: "\n")
    }

    /// A value as text; long arrays show their first elements and their length.
    static func describe(_ value: GGUFValue) -> String {
        switch value {
        case .uint8(let v): "\(v)"
        case .int8(let v): "\(v)"
        case .uint16(let v): "\(v)"
        case .int16(let v): "\(v)"
        case .uint32(let v): "\(v)"
        case .int32(let v): "\(v)"
        case .uint64(let v): "\(v)"
        case .int64(let v): "\(v)"
        case .float32(let v): "\(v)"
        case .float64(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): "\"\(v)\""
        case .array(let a): describe(a)
        }
    }

    static func describe(_ array: GGUFArray) -> String {
        func list<T>(_ values: [T], _ show: (T) -> String) -> String {
            let shown = values.prefix(8).map(show).joined(separator: ", ")
            return values.count > 8 ? "[\(shown), … (\(values.count))]" : "[\(shown)]"
        }
        switch array {
        case .string(let v): return list(v) { "\"\($0.debugDescription.dropFirst().dropLast())\"" }
        case .float32(let v): return list(v) { "\($0)" }
        case .uint32(let v): return list(v) { "\($0)" }
        case .int32(let v): return list(v) { "\($0)" }
        default: return "(\(array.count) \(array.typeName))"
        }
    }
}
