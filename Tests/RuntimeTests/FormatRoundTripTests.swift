import Testing
import RecurRuntime
import Trainer
import TestSupport

/// Builder → compress → decode gives back every key, value type and tensor unchanged.
@Suite("Format round trip")
struct FormatRoundTripTests {
    /// Every GGUF value type, including nested arrays with differing inner types.
    static let everyValue: [(String, GGUFValue)] = [
        ("t.u8", .uint8(250)),
        ("t.i8", .int8(-7)),
        ("t.u16", .uint16(65_000)),
        ("t.i16", .int16(-32_000)),
        ("t.u32", .uint32(4_000_000_000)),
        ("t.i32", .int32(-2_000_000_000)),
        ("t.f32", .float32(-1.5e-7)),
        ("t.bool.true", .bool(true)),
        ("t.bool.false", .bool(false)),
        ("t.string", .string("héllo, 世界 🙂")),
        ("t.string.empty", .string("")),
        ("t.u64", .uint64(UInt64.max - 3)),
        ("t.i64", .int64(Int64.min + 5)),
        ("t.f64", .float64(3.141592653589793)),
        ("t.arr.u8", .array(.uint8([0, 1, 255]))),
        ("t.arr.i8", .array(.int8([-127, 0, 127]))),
        ("t.arr.u16", .array(.uint16([1, 65_535]))),
        ("t.arr.i16", .array(.int16([-32_768, 32_767]))),
        ("t.arr.u32", .array(.uint32([0, UInt32.max]))),
        ("t.arr.i32", .array(.int32([Int32.min, Int32.max]))),
        ("t.arr.f32", .array(.float32([0.25, -0.0, .infinity]))),
        ("t.arr.bool", .array(.bool([true, false, true]))),
        ("t.arr.string", .array(.string(["a", "", "ñ"]))),
        ("t.arr.u64", .array(.uint64([UInt64.max]))),
        ("t.arr.i64", .array(.int64([Int64.min, -1]))),
        ("t.arr.f64", .array(.float64([1e300, -2.5]))),
        ("t.arr.empty", .array(.float32([]))),
        ("t.arr.nested", .array(.array([.uint8([1, 2]), .string(["x"]), .array([.int32([-3])])]))),
    ]

    static func recurHeader(_ builder: inout GGUFBuilder) {
        builder.set("general.architecture", .string("recur"))
        builder.set("recur.format_version", .uint32(1))
    }

    @Test("every value type and tensor type survives builder → zstd → decode")
    func everyTypeRoundTrips() throws {
        var rng = SeededGenerator(seed: 3)
        var builder = GGUFBuilder()
        Self.recurHeader(&builder)
        for (key, value) in Self.everyValue {
            builder.set(key, value)
        }
        let f32 = rng.uniforms(3 * 5)
        let vector = rng.uniforms(7)
        let halfSource: [Float] = [0, -0.0, 1, -2.5, 65504, 6.1035156e-05, 5.9604645e-08, .infinity]
        let i8 = rng.int8Weights(4 * 9)
        let i32: [Int32] = [Int32.min, -1, 0, 1, Int32.max, 42]
        builder.addF32(name: "m.f32", rows: 3, cols: 5, f32)
        builder.addF32(name: "v.f32", vector)
        builder.addF16(name: "m.f16", rows: 2, cols: 4, halfSource)
        builder.addI8(name: "m.i8", rows: 4, cols: 9, i8)
        builder.addI32(name: "m.i32", rows: 2, cols: 3, i32)

        let compressed = try RnnzWriter.compress(builder.encode())
        let file = try decodeRnnz(compressed)

        #expect(file.version == 3)
        #expect(file.alignment == 64)
        #expect(file.keys == ["general.architecture", "recur.format_version"] + Self.everyValue.map(\.0) + ["general.alignment"])
        for (key, value) in Self.everyValue {
            #expect(file.value(key) == value, "key \(key)")
        }
        #expect(file.tensors.map(\.name) == ["m.f32", "v.f32", "m.f16", "m.i8", "m.i32"])
        #expect(try file.tensor("m.f32").dims == [5, 3])
        #expect(try file.tensor("v.f32").dims == [7])
        #expect(try file.tensor("m.i8").dims == [9, 4])
        #expect(try file.floats(ofTensor: "m.f32") == f32)
        #expect(try file.floats(ofTensor: "v.f32") == vector)
        #expect(try file.floats(ofTensor: "m.f16") == halfSource)
        #expect(try file.int8s(of: file.tensor("m.i8")) == i8)
        #expect(try file.int32s(of: file.tensor("m.i32")) == i32)
        for info in file.tensors {
            #expect(info.offset % 64 == 0)
            let address = Int(bitPattern: file.tensorBytes(info).baseAddress)
            #expect(address % 64 == 0, "tensor \(info.name) data is 64-byte aligned in memory")
        }
    }
}
