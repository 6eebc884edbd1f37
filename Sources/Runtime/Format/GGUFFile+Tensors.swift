/// Tensor lookup and in-place access to tensor data.
extension GGUFFile {
    /// The tensor named `name`, or `nil`.
    public func optionalTensor(_ name: String) -> GGUFTensorInfo? {
        guard let index = tensorIndex[name] else { return nil }
        return tensors[index]
    }

    /// The tensor named `name`.
    ///
    /// - Throws: ``RecurError/missingTensor(_:)``.
    public func tensor(_ name: String) throws(RecurError) -> GGUFTensorInfo {
        guard let info = optionalTensor(name) else {
            throw .missingTensor(name)
        }
        return info
    }

    /// The bytes of `info`'s data, in place in ``storage``.
    ///
    /// Valid while this file's storage lives (keep the `GGUFFile` or its `storage`).
    /// `info` must come from this file's ``tensors``; its range was checked when parsing.
    public func tensorBytes(_ info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(info.offset >= 0 && info.offset + info.byteCount <= storage.count - dataOffset,
                     "tensor info does not belong to this GGUF file")
        return UnsafeRawBufferPointer(rebasing: storage.bytes[(dataOffset + info.offset)..<(dataOffset + info.offset + info.byteCount)])
    }

    /// The elements of an F32 or F16 tensor as Floats (F16 converted exactly).
    ///
    /// - Throws: ``RecurError/wrongTensorType(tensor:expected:found:)`` for I8 or I32 tensors.
    public func floats(of info: GGUFTensorInfo) throws(RecurError) -> [Float] {
        try Self.requireFloatType(info)
        // Every element is written by copyFloats before the array is returned.
        return try [Float](unsafeUninitializedCapacity: info.elementCount) {
            (buffer: inout UnsafeMutableBufferPointer<Float>, count: inout Int) throws(RecurError) in
            try copyFloats(of: info, into: buffer)
            count = info.elementCount
        }
    }

    /// Writes the elements of an F32 or F16 tensor into `destination` as Floats, in file order
    /// (row-major for a matrix). F16 is converted exactly (every half value is a Float), so a
    /// loader can keep an F16 weight as an F32 copy in its own aligned buffer.
    ///
    /// - Parameter destination: exactly `info.elementCount` Floats (a programmer error otherwise).
    /// - Throws: ``RecurError/wrongTensorType(tensor:expected:found:)`` for I8 or I32 tensors.
    /// - Complexity: O(elements), no allocation.
    public func copyFloats(of info: GGUFTensorInfo, into destination: UnsafeMutableBufferPointer<Float>) throws(RecurError) {
        try Self.requireFloatType(info)
        let count = info.elementCount
        precondition(destination.count == count, "copyFloats: destination holds \(destination.count) Floats, tensor '\(info.name)' has \(count)")
        let bytes = tensorBytes(info)
        if info.type == .f32 {
            for index in 0..<count {
                let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                destination[index] = Float(bitPattern: bits)
            }
        } else {
            for index in 0..<count {
                let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                destination[index] = Float16Conversion.float(fromHalfBits: bits)
            }
        }
    }

    /// Fails unless `info` holds F32 or F16 elements.
    private static func requireFloatType(_ info: GGUFTensorInfo) throws(RecurError) {
        if info.type != .f32 && info.type != .f16 {
            throw .wrongTensorType(tensor: info.name, expected: "F32 or F16", found: info.type.name)
        }
    }

    /// The elements of the tensor named `name` as Floats (F32 or F16).
    public func floats(ofTensor name: String) throws(RecurError) -> [Float] {
        try floats(of: try tensor(name))
    }

    /// The elements of an I8 tensor.
    public func int8s(of info: GGUFTensorInfo) throws(RecurError) -> [Int8] {
        guard info.type == .i8 else {
            throw .wrongTensorType(tensor: info.name, expected: "I8", found: info.type.name)
        }
        let bytes = tensorBytes(info)
        var values: [Int8] = []
        values.reserveCapacity(info.byteCount)
        for byte in bytes {
            values.append(Int8(bitPattern: byte))
        }
        return values
    }

    /// The elements of an I32 tensor.
    public func int32s(of info: GGUFTensorInfo) throws(RecurError) -> [Int32] {
        guard info.type == .i32 else {
            throw .wrongTensorType(tensor: info.name, expected: "I32", found: info.type.name)
        }
        let bytes = tensorBytes(info)
        let count = info.elementCount
        var values: [Int32] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            values.append(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)))
        }
        return values
    }
}
