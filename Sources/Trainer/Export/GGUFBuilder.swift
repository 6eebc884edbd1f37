import RecurRuntime

/// Assembles a GGUF v3 file in memory: ordered key–value pairs, then tensors.
///
/// The layout is the one ``GGUFFile`` reads: header, key–value pairs in the order they were
/// set, tensor infos in the order tensors were added, zero padding to `alignment`, then each
/// tensor's data padded to `alignment`. A rows × cols tensor is written with
/// `dims = [cols, rows]` (GGUF lists the fastest-varying dimension first).
/// `general.alignment` is written automatically (after the other keys) unless set explicitly.
public struct GGUFBuilder: Sendable {
    /// Alignment of the data section and of each tensor's offset.
    public let alignment: Int
    private var keys: [String] = []
    private var values: [String: GGUFValue] = [:]
    private var tensorInfos: [(name: String, type: GGUFTensorType, dims: [Int], offset: Int)] = []
    private var tensorNames: Set<String> = []
    /// The data section being built, padded after each tensor.
    private var data: [UInt8] = []

    public init(alignment: Int = 64) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        self.alignment = alignment
    }

    /// Sets `key` to `value`; a key set twice keeps its first position and takes the new value.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if values[key] == nil {
            keys.append(key)
        }
        values[key] = value
    }

    /// Adds a tensor from raw little-endian bytes. `dims` is in GGUF order (`dims[0]` = columns).
    public mutating func addTensor(name: String, type: GGUFTensorType, dims: [Int], bytes: [UInt8]) {
        precondition(!tensorNames.contains(name), "tensor '\(name)' added twice")
        precondition((1...4).contains(dims.count) && dims.allSatisfy { $0 >= 0 }, "tensor '\(name)': bad dims \(dims)")
        precondition(dims.reduce(1, *) * type.elementSize == bytes.count,
                     "tensor '\(name)': \(bytes.count) bytes do not match dims \(dims) of \(type.name)")
        tensorNames.insert(name)
        tensorInfos.append((name, type, dims, data.count))
        data.append(contentsOf: bytes)
        pad(&data, to: alignment)
    }

    /// Adds an F32 matrix of `rows` × `cols` (row-major `values`), written as dims `[cols, rows]`.
    public mutating func addF32(name: String, rows: Int, cols: Int, _ values: [Float]) {
        precondition(values.count == rows * cols, "tensor '\(name)': \(values.count) values for \(rows)×\(cols)")
        addTensor(name: name, type: .f32, dims: [cols, rows], bytes: littleEndianBytes(values.map(\.bitPattern)))
    }

    /// Adds an F32 vector (dims `[count]`).
    public mutating func addF32(name: String, _ values: [Float]) {
        addTensor(name: name, type: .f32, dims: [values.count], bytes: littleEndianBytes(values.map(\.bitPattern)))
    }

    /// Adds an F16 matrix of `rows` × `cols`, each value rounded to nearest half precision.
    public mutating func addF16(name: String, rows: Int, cols: Int, _ values: [Float]) {
        precondition(values.count == rows * cols, "tensor '\(name)': \(values.count) values for \(rows)×\(cols)")
        addTensor(name: name, type: .f16, dims: [cols, rows], bytes: littleEndianBytes(values.map { Float16($0).bitPattern }))
    }

    /// Adds an I8 matrix of `rows` × `cols` (row-major `values`).
    public mutating func addI8(name: String, rows: Int, cols: Int, _ values: [Int8]) {
        precondition(values.count == rows * cols, "tensor '\(name)': \(values.count) values for \(rows)×\(cols)")
        addTensor(name: name, type: .i8, dims: [cols, rows], bytes: values.map { UInt8(bitPattern: $0) })
    }

    /// Adds an I32 matrix of `rows` × `cols` (row-major `values`).
    public mutating func addI32(name: String, rows: Int, cols: Int, _ values: [Int32]) {
        precondition(values.count == rows * cols, "tensor '\(name)': \(values.count) values for \(rows)×\(cols)")
        addTensor(name: name, type: .i32, dims: [cols, rows], bytes: littleEndianBytes(values.map { UInt32(bitPattern: $0) }))
    }

    /// Adds an I32 vector (dims `[count]`).
    public mutating func addI32(name: String, _ values: [Int32]) {
        addTensor(name: name, type: .i32, dims: [values.count], bytes: littleEndianBytes(values.map { UInt32(bitPattern: $0) }))
    }

    /// The complete GGUF file.
    public func encode() -> [UInt8] {
        var allKeys = keys
        var allValues = values
        if allValues["general.alignment"] == nil {
            allKeys.append("general.alignment")
            allValues["general.alignment"] = .uint32(UInt32(alignment))
        }
        precondition(allValues["general.alignment"] == .uint32(UInt32(alignment)),
                     "general.alignment must equal the builder's alignment \(alignment)")

        var out: [UInt8] = []
        appendUInt32(&out, 0x4655_4747)  // "GGUF"
        appendUInt32(&out, 3)
        appendUInt64(&out, UInt64(tensorInfos.count))
        appendUInt64(&out, UInt64(allKeys.count))
        for key in allKeys {
            let value = allValues[key]!
            appendString(&out, key)
            appendUInt32(&out, value.type.rawValue)
            appendValue(&out, value)
        }
        for info in tensorInfos {
            appendString(&out, info.name)
            appendUInt32(&out, UInt32(info.dims.count))
            for dim in info.dims {
                appendUInt64(&out, UInt64(dim))
            }
            appendUInt32(&out, info.type.rawValue)
            appendUInt64(&out, UInt64(info.offset))
        }
        pad(&out, to: alignment)
        out.append(contentsOf: data)
        return out
    }
}

// MARK: - Little-endian encoding

private func pad(_ bytes: inout [UInt8], to alignment: Int) {
    let remainder = bytes.count % alignment
    if remainder != 0 {
        bytes.append(contentsOf: repeatElement(0, count: alignment - remainder))
    }
}

private func appendUInt16(_ out: inout [UInt8], _ value: UInt16) {
    out.append(UInt8(truncatingIfNeeded: value))
    out.append(UInt8(truncatingIfNeeded: value >> 8))
}

private func appendUInt32(_ out: inout [UInt8], _ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) {
        out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
}

private func appendUInt64(_ out: inout [UInt8], _ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) {
        out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
    }
}

private func appendString(_ out: inout [UInt8], _ value: String) {
    let utf8 = Array(value.utf8)
    appendUInt64(&out, UInt64(utf8.count))
    out.append(contentsOf: utf8)
}

private func littleEndianBytes(_ values: [UInt16]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(values.count * 2)
    for value in values { appendUInt16(&out, value) }
    return out
}

private func littleEndianBytes(_ values: [UInt32]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(values.count * 4)
    for value in values { appendUInt32(&out, value) }
    return out
}

private func appendValue(_ out: inout [UInt8], _ value: GGUFValue) {
    switch value {
    case let .uint8(v): out.append(v)
    case let .int8(v): out.append(UInt8(bitPattern: v))
    case let .uint16(v): appendUInt16(&out, v)
    case let .int16(v): appendUInt16(&out, UInt16(bitPattern: v))
    case let .uint32(v): appendUInt32(&out, v)
    case let .int32(v): appendUInt32(&out, UInt32(bitPattern: v))
    case let .float32(v): appendUInt32(&out, v.bitPattern)
    case let .bool(v): out.append(v ? 1 : 0)
    case let .string(v): appendString(&out, v)
    case let .array(v): appendArray(&out, v)
    case let .uint64(v): appendUInt64(&out, v)
    case let .int64(v): appendUInt64(&out, UInt64(bitPattern: v))
    case let .float64(v): appendUInt64(&out, v.bitPattern)
    }
}

/// Element type (u32), count (u64), then the elements.
private func appendArray(_ out: inout [UInt8], _ array: GGUFArray) {
    appendUInt32(&out, array.elementType.rawValue)
    appendUInt64(&out, UInt64(array.count))
    switch array {
    case let .uint8(v): out.append(contentsOf: v)
    case let .int8(v): out.append(contentsOf: v.map { UInt8(bitPattern: $0) })
    case let .uint16(v): v.forEach { appendUInt16(&out, $0) }
    case let .int16(v): v.forEach { appendUInt16(&out, UInt16(bitPattern: $0)) }
    case let .uint32(v): v.forEach { appendUInt32(&out, $0) }
    case let .int32(v): v.forEach { appendUInt32(&out, UInt32(bitPattern: $0)) }
    case let .float32(v): v.forEach { appendUInt32(&out, $0.bitPattern) }
    case let .bool(v): out.append(contentsOf: v.map { $0 ? 1 : 0 })
    case let .string(v): v.forEach { appendString(&out, $0) }
    case let .array(v): v.forEach { appendArray(&out, $0) }
    case let .uint64(v): v.forEach { appendUInt64(&out, $0) }
    case let .int64(v): v.forEach { appendUInt64(&out, UInt64(bitPattern: $0)) }
    case let .float64(v): v.forEach { appendUInt64(&out, $0.bitPattern) }
    }
}
