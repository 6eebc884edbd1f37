import RecurRuntime
import Testing
import Trainer

/// The typed accessors the model loader uses: right values, and errors that name the key or
/// tensor with what was expected against what was found.
@Suite("Format accessors")
struct FormatAccessorTests {
    static func sample() throws -> GGUFFile {
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("recur.format_version", .uint32(1))
        builder.set("recur.input.size", .uint32(6))
        builder.set("recur.offset", .int32(-4))
        builder.set("recur.sample_rate_hz", .float32(50))
        builder.set("recur.enc.0.bidirectional", .bool(true))
        builder.set("recur.labels", .array(.string(["WALKING", "SITTING"])))
        builder.set("recur.input.mean", .array(.float32([0.5, -1])))
        builder.set("recur.ids", .array(.uint32([3, 1, 2])))
        builder.addI8(name: "enc.0.weight_ih", rows: 2, cols: 3, [1, -2, 3, -4, 5, -127])
        builder.addF32(name: "enc.0.weight_ih.scale", [0.5, 0.25])
        return try decodeRnnz(try RnnzWriter.compress(builder.encode()))
    }

    @Test("required and optional accessors return the stored values")
    func values() throws {
        let file = try Self.sample()
        #expect(try file.uint32("recur.input.size") == 6)
        #expect(try file.int32("recur.offset") == -4)
        #expect(try file.float("recur.sample_rate_hz") == 50)
        #expect(try file.bool("recur.enc.0.bidirectional"))
        #expect(try file.string("general.architecture") == "recur")
        #expect(try file.strings("recur.labels") == ["WALKING", "SITTING"])
        #expect(try file.floats("recur.input.mean") == [0.5, -1])
        #expect(try file.uint32s("recur.ids") == [3, 1, 2])
        #expect(try file.optionalUInt32("recur.hop") == nil)
        #expect(try file.optionalStrings("recur.input.names") == nil)
        #expect(try file.optionalFloat("recur.sample_rate_hz") == 50)
    }

    @Test("a missing required key throws missingKey naming it")
    func missing() throws {
        let file = try Self.sample()
        #expect(throws: RecurError.missingKey("recur.window")) { try file.uint32("recur.window") }
        #expect(throws: RecurError.missingKey("recur.vocab")) { try file.strings("recur.vocab") }
        #expect(throws: RecurError.missingKey("recur.task")) { try file.string("recur.task") }
    }

    @Test("a key of another type throws wrongKeyType with both type names, required or optional")
    func wrongType() throws {
        let file = try Self.sample()
        #expect(throws: RecurError.wrongKeyType(key: "recur.labels", expected: "u32", found: "string[]")) {
            try file.uint32("recur.labels")
        }
        #expect(throws: RecurError.wrongKeyType(key: "recur.input.size", expected: "string", found: "u32")) {
            try file.optionalString("recur.input.size")
        }
        #expect(throws: RecurError.wrongKeyType(key: "recur.ids", expected: "f32[]", found: "u32[]")) {
            try file.floats("recur.ids")
        }
        #expect(throws: RecurError.wrongKeyType(key: "recur.offset", expected: "u32", found: "i32")) {
            try file.uint32("recur.offset")
        }
    }

    @Test("tensor lookup, missingTensor, and the typed readers refuse other types")
    func tensors() throws {
        let file = try Self.sample()
        let weight = try file.tensor("enc.0.weight_ih")
        #expect(weight.type == .i8 && weight.dims == [3, 2] && weight.rows == 2 && weight.cols == 3)
        #expect(try file.int8s(of: weight) == [1, -2, 3, -4, 5, -127])
        #expect(try file.floats(ofTensor: "enc.0.weight_ih.scale") == [0.5, 0.25])
        #expect(file.tensorBytes(weight).count == 6)
        #expect(throws: RecurError.missingTensor("enc.1.weight_ih")) { try file.tensor("enc.1.weight_ih") }
        #expect(throws: RecurError.wrongTensorType(tensor: "enc.0.weight_ih", expected: "F32 or F16", found: "I8")) {
            try file.floats(of: weight)
        }
        #expect(throws: RecurError.wrongTensorType(tensor: "enc.0.weight_ih", expected: "I32", found: "I8")) {
            try file.int32s(of: weight)
        }
    }

    @Test("F16 → F32 by hand equals the hardware conversion for all 65536 bit patterns")
    func halfConversionIsExact() throws {
        // Every half bit pattern as a 256 × 256 F16 tensor, read back through the reader.
        let patterns = (0...UInt16.max).map { $0 }
        var bytes: [UInt8] = []
        for bits in patterns {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("recur.format_version", .uint32(1))
        builder.addTensor(name: "all", type: .f16, dims: [256, 256], bytes: bytes)
        let file = try decodeRnnz(try RnnzWriter.compress(builder.encode()))
        let converted = try file.floats(ofTensor: "all")
        var mismatches = 0
        for bits in patterns {
            let expected = Float(Float16(bitPattern: bits))
            let found = converted[Int(bits)]
            if expected.isNaN {
                // A NaN keeps its sign and payload (the quiet bit may differ between converters).
                let quiet: UInt32 = 0x0040_0000
                if !found.isNaN || (found.bitPattern | quiet) != (expected.bitPattern | quiet) { mismatches += 1 }
            } else if found.bitPattern != expected.bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(converted[0x0001] == Float(bitPattern: 0x3380_0000))  // smallest subnormal 2^-24
        #expect(converted[0x7C00] == .infinity && converted[0xFC00] == -.infinity)
        #expect(converted[0x8000].bitPattern == 0x8000_0000)        // negative zero keeps its sign
    }

    @Test("copyFloats fills a caller's buffer from F16 and F32 tensors and refuses I8")
    func copyFloatsIntoBuffer() throws {
        // Values exactly representable in half precision, so F16 and F32 read back the same.
        let values: [Float] = [0, -0.5, 1, 2048, -65504, 0.000061035156, 5.9604645e-08, 3.140625]
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("recur.format_version", .uint32(1))
        builder.addF16(name: "w.f16", rows: 2, cols: 4, values)
        builder.addF32(name: "w.f32", rows: 2, cols: 4, values)
        builder.addI8(name: "w.i8", rows: 2, cols: 4, [1, 2, 3, 4, 5, 6, 7, 8])
        let file = try decodeRnnz(try RnnzWriter.compress(builder.encode()))
        let half = try file.tensor("w.f16")
        #expect(half.type == .f16 && half.dims == [4, 2] && half.byteCount == 16)
        for name in ["w.f16", "w.f32"] {
            // Rows × cols of F32, row-major: what a loader keeps for an unquantized weight.
            var buffer = [Float](repeating: .nan, count: 8)
            try buffer.withUnsafeMutableBufferPointer { destination in
                try file.copyFloats(of: file.tensor(name), into: destination)
            }
            #expect(buffer.map(\.bitPattern) == values.map(\.bitPattern), "tensor \(name)")
        }
        var unused = [Float](repeating: 0, count: 8)
        #expect(throws: RecurError.wrongTensorType(tensor: "w.i8", expected: "F32 or F16", found: "I8")) {
            try unused.withUnsafeMutableBufferPointer { try file.copyFloats(of: file.tensor("w.i8"), into: $0) }
        }
    }

    @Test("F16 values the builder rounds: nearest half, ties to even, overflow to infinity")
    func halfRounding() throws {
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even gives 1.
        // 1 + 3·2^-11 is halfway between 1 + 2^-10 and 1 + 2^-9: ties to even gives 1 + 2^-9.
        let source: [Float] = [1 + 0x1p-11, 1 + 3 * 0x1p-11, 65520, 0.1]
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("recur.format_version", .uint32(1))
        builder.addF16(name: "h", rows: 1, cols: 4, source)
        let file = try decodeRnnz(try RnnzWriter.compress(builder.encode()))
        let read = try file.floats(ofTensor: "h")
        #expect(read[0] == 1)
        #expect(read[1] == 1 + 0x1p-9)
        #expect(read[2] == .infinity)          // 65520 rounds past the largest half, 65504
        #expect(read[3] == 0.0999755859375)    // the half nearest to 0.1
    }

    @Test("error descriptions are one line naming the key and expected vs found")
    func descriptions() {
        #expect(RecurError.formatVersionTooNew(found: 4, supported: 1).description
            == "recur.format_version: found v4, this reader supports up to 1")
        #expect(RecurError.wrongKeyType(key: "recur.window", expected: "u32", found: "string").description
            == "key 'recur.window' has type string, expected u32")
        #expect(RecurError.badMagic(found: 0x4C55_4747).description.contains("0x4C554747"))
        #expect(RecurError.int8OutOfRange(tensor: "enc.0.weight_hh", index: 7).description.contains("'enc.0.weight_hh'"))
        #expect(!RecurError.truncated(what: "key #0", offset: 24, needed: 8, available: 3).description.contains("\n"))
    }
}
