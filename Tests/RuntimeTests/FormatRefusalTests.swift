import RecurRuntime
import Testing
import Trainer

/// One crafted file per refusal in FORMAT.md's list (container and GGUF level), each expecting
/// its own RecurError case: the reader says exactly what is wrong, and never accepts it.
@Suite("Format refusals")
struct FormatRefusalTests {
    typealias G = CraftedGGUF

    /// A crafted file with one F32 tensor `a` of 16 values at offset 0: the baseline is valid.
    static func withTensor(dims: [UInt64] = [16], type: UInt32 = 0, offset: UInt64 = 0, dataBytes: Int = 64) -> G {
        var file = G()
        file.tensorInfos = [G.tensorInfo("a", dims: dims, type: type, offset: offset)]
        file.data = [UInt8](repeating: 0, count: dataBytes)
        return file
    }

    @Test("the crafted baselines are valid, so each refusal below is caused by its one change")
    func baselinesDecode() throws {
        let empty = try decodeRnnz(try G().rnnz())
        #expect(empty.tensors.isEmpty)
        let one = try decodeRnnz(try Self.withTensor().rnnz())
        #expect(one.tensors.map(\.name) == ["a"])
        #expect(try one.floats(ofTensor: "a") == [Float](repeating: 0, count: 16))
    }

    // MARK: The zstd container

    @Test("bytes that are not a zstd frame: raw GGUF, empty, short, a skippable frame")
    func notZstd() throws {
        expectRefusal(G().encode()) { $0 == .notZstdFrame }
        expectRefusal([]) { $0 == .notZstdFrame }
        expectRefusal([0x28, 0xB5]) { $0 == .notZstdFrame }
        expectRefusal(G.u32(0x184D_2A50) + G.u32(0)) { $0 == .notZstdFrame }
    }

    @Test("a zstd magic followed by an incomplete frame header")
    func incompleteHeader() throws {
        let rnnz = try G().rnnz()
        // Magic only, then magic + descriptor of a header that needs a content-size byte too.
        expectRefusal(Array(rnnz.prefix(4))) { $0 == .frameTruncated(available: 4) }
        expectRefusal(Array(rnnz.prefix(5))) { $0 == .frameTruncated(available: 5) }
    }

    @Test("a frame header with the reserved descriptor bit set is invalid, not truncated")
    func invalidHeader() throws {
        var rnnz = try G().rnnz()
        rnnz[4] |= 0x08  // RFC 8878: the reserved bit must be zero
        expectRefusal(rnnz) { $0 == .decompressionFailed("the zstd frame header is invalid") }
    }

    @Test("a block of the reserved block type (corrupted compressed data)")
    func corruptBlock() throws {
        var rnnz = try G().rnnz()
        let headerSize = rnnz.withUnsafeBytes { Rnnz.frameHeaderSize($0) }
        rnnz[headerSize] |= 0x06  // block type bits 1-2 = 3, which RFC 8878 reserves
        expectRefusal(rnnz) {
            if case .decompressionFailed = $0 { return true } else { return false }
        }
    }

    @Test("a frame that does not record its content size")
    func noContentSize() {
        expectRefusal(compressWithoutContentSize(G().encode())) { $0 == .frameWithoutContentSize }
    }

    @Test("content over the reader's limit is refused before decompressing")
    func overLimit() throws {
        let gguf = G().encode()
        expectRefusal(try RnnzWriter.compress(gguf), limit: 64) {
            $0 == .contentTooLarge(size: UInt64(gguf.count), limit: 64)
        }
        // Exactly at the limit is fine.
        #expect(try decodeRnnz(try RnnzWriter.compress(gguf), limit: gguf.count).keys.count == 3)
        // A 17-byte frame header declaring 300 MiB is refused under the default limit of 256 MiB,
        // from the header alone: descriptor 0xC4 = 8-byte content size + checksum, window byte 0.
        let declared: UInt64 = 300 << 20
        let header: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0xC4, 0x00] + G.u64(declared) + [0x01, 0x00, 0x00]
        #expect(Rnnz.defaultLimit == 256 << 20)
        expectRefusal(header) { $0 == .contentTooLarge(size: declared, limit: 256 << 20) }
    }

    @Test("a flipped byte of the content checksum")
    func checksum() throws {
        var rnnz = try Self.withTensor().rnnz()
        rnnz[rnnz.count - 1] ^= 0x5A
        expectRefusal(rnnz) { $0 == .checksumMismatch }
    }

    /// `content` as a hand-made zstd frame: single segment, one raw (stored) block, and the
    /// content checksum taken from RnnzWriter's frame of the same content.
    static func rawBlockFrame(_ content: [UInt8]) throws -> [UInt8] {
        precondition(content.count < 256, "a one-byte content size field")
        let checksum = Array(try RnnzWriter.compress(content).suffix(4))
        let descriptor: UInt8 = 0x20 | 0x04  // single segment, content checksum
        let blockHeader = UInt32(content.count) << 3 | 1  // raw block (type 0), last block
        return [0x28, 0xB5, 0x2F, 0xFD, descriptor, UInt8(content.count)]
            + Array(G.u32(blockHeader).prefix(3)) + content + checksum
    }

    @Test("a flipped content byte that zstd itself cannot notice is caught by the checksum")
    func checksumCatchesContent() throws {
        let content = G().encode()
        let frame = try Self.rawBlockFrame(content)
        #expect(try decodeRnnz(frame).keys.count == 3, "the hand-made frame is valid")
        // "recur" at content offset 64 becomes "recus": still a well-formed frame and GGUF.
        var damaged = frame
        damaged[9 + 68] ^= 0x01
        expectRefusal(damaged) { $0 == .checksumMismatch }
    }

    @Test("bytes after the frame, including a second frame")
    func trailing() throws {
        let rnnz = try G().rnnz()
        expectRefusal(rnnz + [0, 0, 0]) { $0 == .trailingBytes(count: 3) }
        expectRefusal(rnnz + rnnz) { $0 == .trailingBytes(count: rnnz.count) }
    }

    @Test("a content size field that disagrees with what the blocks hold")
    func contentSizeDisagrees() throws {
        let frame = try Self.rawBlockFrame(G().encode())
        // frame[5] is the one-byte content size field of a single-segment frame.
        var tooSmall = frame
        tooSmall[5] -= 1
        expectRefusal(tooSmall) {
            $0 == .decompressionFailed("the frame holds more than its declared content size of \(frame[5] - 1) bytes")
        }
        var tooLarge = frame
        tooLarge[5] += 1
        // zstd's own message ("Data corruption detected" with libzstd 1.5).
        expectRefusal(tooLarge) {
            if case .decompressionFailed = $0 { return true } else { return false }
        }
    }

    @Test("a frame cut short, in its last bytes or in the middle of its blocks")
    func truncatedFrame() throws {
        let rnnz = try Self.withTensor().rnnz()
        expectRefusal(Array(rnnz.dropLast(5))) { $0 == .frameTruncated(available: rnnz.count - 5) }
        expectRefusal(Array(rnnz.prefix(rnnz.count / 2))) { $0 == .frameTruncated(available: rnnz.count / 2) }
    }

    // MARK: GGUF structure

    @Test("wrong GGUF magic")
    func magic() throws {
        var file = G()
        file.magic = 0x4C55_4747  // "GGUL"
        expectRefusal(try file.rnnz()) { $0 == .badMagic(found: 0x4C55_4747) }
    }

    @Test("GGUF versions other than 3", arguments: [UInt32(2), 4, 0xFFFF_FFFF])
    func version(_ version: UInt32) throws {
        var file = G()
        file.version = version
        expectRefusal(try file.rnnz()) { $0 == .unsupportedGGUFVersion(found: version) }
    }

    @Test("a tensor count of 2^60 fails at once as truncated, without reserving memory")
    func hugeTensorCount() throws {
        var file = G()
        file.declaredTensorCount = 1 << 60
        expectRefusal(try file.rnnz()) {
            if case let .truncated(what, offset, _, _) = $0 { return what.hasPrefix("tensor count") && offset == 16 }
            return false
        }
    }

    @Test("a key-value count of 2^60")
    func hugeKeyValueCount() throws {
        var file = G()
        file.declaredKeyValueCount = 1 << 60
        expectRefusal(try file.rnnz()) {
            if case let .truncated(what, _, _, _) = $0 { return what.hasPrefix("key-value count") }
            return false
        }
    }

    @Test("a key-value count larger than the pairs present: zero padding read as a key, or the end of the file")
    func keyValueCountTooLarge() throws {
        var padded = G()
        padded.declaredKeyValueCount = 4
        expectRefusal(try padded.rnnz()) { $0 == .invalidKey(index: 3, length: 0) }
        var unpadded = G()
        unpadded.declaredKeyValueCount = 4
        unpadded.alignment = 1
        expectRefusal(try unpadded.rnnz()) {
            if case let .truncated(what, _, _, _) = $0 { return what.hasPrefix("key-value count") || what.hasPrefix("key #3") }
            return false
        }
    }

    @Test("empty content: the GGUF magic itself is missing")
    func emptyContent() throws {
        expectRefusal(try RnnzWriter.compress([])) {
            $0 == .truncated(what: "GGUF magic", offset: 0, needed: 4, available: 0)
        }
    }

    @Test("a tensor name length of 2^62")
    func hugeTensorNameLength() throws {
        var file = G()
        file.tensorInfos = [G.u64(1 << 62) + Array("a".utf8)]
        file.data = [UInt8](repeating: 0, count: 64)
        expectRefusal(try file.rnnz()) {
            if case let .truncated(what, _, _, _) = $0 { return what.hasPrefix("name of tensor #0 (4611686018427387904 declared)") }
            return false
        }
    }

    @Test("a key longer than GGUF's 65535 bytes")
    func overlongKey() throws {
        var file = G()
        file.keyValues.append(G.pair(String(repeating: "k", count: 65_536), G.u32(1)))
        expectRefusal(try file.rnnz()) { $0 == .invalidKey(index: 3, length: 65_536) }
    }

    @Test("a file that ends before the padding that precedes the data section")
    func missingPadding() throws {
        var file = Self.withTensor(dataBytes: 0)
        file.alignment = 1  // no padding written
        let headerSize = file.encode().count
        expectRefusal(try file.rnnz()) {
            $0 == .truncated(what: "padding before the data section", offset: headerSize,
                             needed: 64 - headerSize % 64, available: 0)
        }
    }

    @Test("a string length of 2^62")
    func hugeStringLength() throws {
        var file = G()
        file.keyValues.append(G.u64(1 << 62) + Array("x".utf8))
        expectRefusal(try file.rnnz()) {
            if case let .truncated(what, _, _, _) = $0 { return what.hasPrefix("key #3") }
            return false
        }
    }

    @Test("an array length of 2^61 f32 values")
    func hugeArrayLength() throws {
        var file = G()
        file.keyValues.append(G.pair("recur.input.mean", G.Value(type: 9, bytes: G.u32(6) + G.u64(1 << 61))))
        expectRefusal(try file.rnnz()) {
            if case let .truncated(what, _, _, _) = $0 { return what.hasPrefix("array length of 'recur.input.mean'") }
            return false
        }
    }

    @Test("arrays nested deeper than the limit; the limit itself is accepted")
    func nesting() throws {
        /// `levels` arrays inside each other around an empty u8 array.
        func nested(_ levels: Int) -> G.Value {
            var bytes = G.u32(0) + G.u64(0)
            for _ in 1..<levels {
                bytes = G.u32(9) + G.u64(1) + bytes
            }
            return G.Value(type: 9, bytes: bytes)
        }
        var ok = G()
        ok.keyValues.append(G.pair("deep", nested(GGUFFile.maximumArrayNesting)))
        #expect(try decodeRnnz(try ok.rnnz()).value("deep")?.typeName == "u8" + String(repeating: "[]", count: 8))
        var tooDeep = G()
        tooDeep.keyValues.append(G.pair("deep", nested(GGUFFile.maximumArrayNesting + 1)))
        expectRefusal(try tooDeep.rnnz()) { $0 == .arrayNestingTooDeep(key: "deep", limit: GGUFFile.maximumArrayNesting) }
    }

    @Test("a dimension of 2^63 and dimensions whose product overflows")
    func hugeDimension() throws {
        expectRefusal(try Self.withTensor(dims: [1 << 63]).rnnz()) {
            if case let .overflow(what) = $0 { return what.contains("dimension 0") && what.contains("'a'") }
            return false
        }
        expectRefusal(try Self.withTensor(dims: [1 << 32, 1 << 32]).rnnz()) {
            if case let .overflow(what) = $0 { return what.contains("element count of tensor 'a'") }
            return false
        }
        expectRefusal(try Self.withTensor(dims: [1 << 61, 2]).rnnz()) {
            if case let .overflow(what) = $0 { return what.contains("byte size of tensor 'a'") }
            return false
        }
    }

    @Test("a large dimension that fits in 64 bits but not in the file")
    func dimensionPastEnd() throws {
        expectRefusal(try Self.withTensor(dims: [1 << 40]).rnnz()) {
            $0 == .tensorOutOfBounds(tensor: "a", end: 1 << 42, dataSize: 64)
        }
    }

    @Test("an offset whose end overflows 64 bits")
    func offsetOverflow() throws {
        expectRefusal(try Self.withTensor(offset: 0xFFFF_FFFF_FFFF_FFC0).rnnz()) {
            if case let .overflow(what) = $0 { return what.contains("tensor 'a'") }
            return false
        }
    }

    @Test("a tensor that runs past the end of the data section")
    func pastEnd() throws {
        expectRefusal(try Self.withTensor(offset: 64, dataBytes: 64).rnnz()) {
            $0 == .tensorOutOfBounds(tensor: "a", end: 128, dataSize: 64)
        }
    }

    @Test("a misaligned tensor")
    func misaligned() throws {
        expectRefusal(try Self.withTensor(offset: 32, dataBytes: 128).rnnz()) {
            $0 == .tensorMisaligned(tensor: "a", offset: 32, alignment: 64)
        }
    }

    @Test("overlapping tensors, listed out of order")
    func overlap() throws {
        var file = G()
        file.tensorInfos = [
            G.tensorInfo("late", dims: [16], type: 0, offset: 64),
            G.tensorInfo("early", dims: [32], type: 0, offset: 0),
        ]
        file.data = [UInt8](repeating: 0, count: 128)
        expectRefusal(try file.rnnz()) { $0 == .tensorsOverlap("early", "late") }
    }

    @Test("a duplicate key")
    func duplicateKey() throws {
        var file = G()
        file.keyValues.append(G.pair("general.architecture", G.string("recur")))
        expectRefusal(try file.rnnz()) { $0 == .duplicateKey("general.architecture") }
    }

    @Test("a duplicate tensor name")
    func duplicateTensor() throws {
        var file = Self.withTensor(dataBytes: 128)
        file.tensorInfos.append(G.tensorInfo("a", dims: [16], type: 0, offset: 64))
        expectRefusal(try file.rnnz()) { $0 == .duplicateTensor("a") }
    }

    @Test("an unknown value type, at the top level and as an array element type")
    func unknownValueType() throws {
        var file = G()
        file.keyValues.append(G.pair("x", G.Value(type: 13, bytes: [0])))
        expectRefusal(try file.rnnz()) { $0 == .unknownValueType(key: "x", type: 13) }
        var inArray = G()
        inArray.keyValues.append(G.pair("y", G.Value(type: 9, bytes: G.u32(99) + G.u64(0))))
        expectRefusal(try inArray.rnnz()) { $0 == .unknownValueType(key: "y", type: 99) }
    }

    @Test("a tensor type outside F32, F16, I8, I32 (Q4_0 = 2)")
    func unknownTensorType() throws {
        expectRefusal(try Self.withTensor(type: 2).rnnz()) { $0 == .unknownTensorType(tensor: "a", type: 2) }
    }

    @Test("dimension counts 0 and 5")
    func dimensionCount() throws {
        for count: UInt32 in [0, 5] {
            var file = G()
            file.tensorInfos = [G.tensorInfo("a", dims: Array(repeating: 1, count: Int(count)), type: 0, offset: 0)]
            file.data = [UInt8](repeating: 0, count: 64)
            expectRefusal(try file.rnnz()) { $0 == .badDimensionCount(tensor: "a", found: count) }
        }
    }

    @Test("general.alignment that is zero, not a power of two, or not a u32")
    func alignment() throws {
        for value: UInt32 in [0, 48] {
            var file = G()
            file.keyValues[2] = G.pair("general.alignment", G.u32(value))
            expectRefusal(try file.rnnz()) { $0 == .badAlignment(value) }
        }
        var wrongType = G()
        wrongType.keyValues[2] = G.pair("general.alignment", G.Value(type: 10, bytes: G.u64(64)))
        expectRefusal(try wrongType.rnnz()) { $0 == .wrongKeyType(key: "general.alignment", expected: "u32", found: "u64") }
    }

    @Test("without general.alignment the GGUF default of 32 applies")
    func defaultAlignment() throws {
        var file = Self.withTensor(offset: 32, dataBytes: 96)
        file.keyValues.removeLast()
        file.alignment = 32
        let decoded = try decodeRnnz(try file.rnnz())
        #expect(decoded.alignment == 32)
        #expect(try decoded.tensor("a").offset == 32)
    }

    @Test("a BOOL byte other than 0 or 1")
    func invalidBool() throws {
        var file = G()
        file.keyValues.append(G.pair("flag", G.Value(type: 7, bytes: [2])))
        expectRefusal(try file.rnnz()) { $0 == .invalidBool(key: "flag", value: 2) }
    }

    @Test("invalid UTF-8 in a key, a string value and a tensor name")
    func invalidUTF8Places() throws {
        var key = G()
        key.keyValues.append(G.rawString([0x66, 0xC0, 0x80]) + G.u32(4) + G.u32(1))
        expectRefusal(try key.rnnz()) { $0 == .invalidUTF8(what: "key #3") }
        var value = G()
        value.keyValues.append(G.pair("general.name", G.Value(type: 8, bytes: G.rawString([0xED, 0xA0, 0x80]))))
        expectRefusal(try value.rnnz()) { $0 == .invalidUTF8(what: "value of 'general.name'") }
        var name = G()
        name.tensorInfos = [G.rawString([0x61, 0xFF]) + G.u32(1) + G.u64(16) + G.u32(0) + G.u64(0)]
        name.data = [UInt8](repeating: 0, count: 64)
        expectRefusal(try name.rnnz()) { $0 == .invalidUTF8(what: "name of tensor #0") }
    }

    /// Malformed sequences: overlong, surrogate, above U+10FFFF, stray continuation, cut short, bad continuation.
    static let invalidSequences: [[UInt8]] = [
        [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF],
        [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF],
        [0x80], [0xBF], [0xE2, 0x82], [0xF0, 0x9F, 0x99], [0xC3, 0x41], [0xE2, 0x28, 0xA1],
    ]
    /// Well-formed edge cases: U+0000, U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF.
    static let validSequences: [[UInt8]] = [
        [0x00], [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ]

    @Test("the UTF-8 check refuses every malformed form and accepts the boundary scalars")
    func utf8Forms() throws {
        for sequence in Self.invalidSequences {
            var file = G()
            file.keyValues.append(G.pair("s", G.Value(type: 8, bytes: G.rawString([0x61] + sequence + [0x62]))))
            expectRefusal(try file.rnnz()) { $0 == .invalidUTF8(what: "value of 's'") }
        }
        for sequence in Self.validSequences {
            var file = G()
            file.keyValues.append(G.pair("s", G.Value(type: 8, bytes: G.rawString(sequence))))
            let decoded = try decodeRnnz(try file.rnnz())
            #expect(try Array(decoded.string("s").utf8) == sequence)
        }
    }

    @Test("a header cut off in the middle names what it was reading")
    func truncatedHeader() throws {
        // Counts promise more than 30 bytes can hold: refused at the count.
        let withTensor = Self.withTensor().encode()
        expectRefusal(try RnnzWriter.compress(Array(withTensor.prefix(30)))) {
            $0 == .truncated(what: "tensor count (1 declared)", offset: 16, needed: 32, available: 14)
        }
        // Cut inside the first value ("recur" starts at byte 64): refused at the value.
        let plain = G().encode()
        expectRefusal(try RnnzWriter.compress(Array(plain.prefix(68)))) {
            $0 == .truncated(what: "value of 'general.architecture' (5 declared)", offset: 64, needed: 5, available: 4)
        }
    }

    // MARK: The Recur header

    @Test("general.architecture other than recur, or missing")
    func architecture() throws {
        var file = G()
        file.keyValues[0] = G.pair("general.architecture", G.string("llama"))
        expectRefusal(try file.rnnz()) { $0 == .wrongArchitecture(found: "llama") }
        var missing = G()
        missing.keyValues.removeFirst()
        expectRefusal(try missing.rnnz()) { $0 == .missingKey("general.architecture") }
    }

    @Test("recur.format_version 2 (newer than this reader), missing, or not a u32")
    func formatVersion() throws {
        var file = G()
        file.keyValues[1] = G.pair("recur.format_version", G.u32(2))
        expectRefusal(try file.rnnz()) { $0 == .formatVersionTooNew(found: 2, supported: 1) }
        var missing = G()
        missing.keyValues.remove(at: 1)
        expectRefusal(try missing.rnnz()) { $0 == .missingKey("recur.format_version") }
        var text = G()
        text.keyValues[1] = G.pair("recur.format_version", G.string("1"))
        expectRefusal(try text.rnnz()) {
            $0 == .wrongKeyType(key: "recur.format_version", expected: "u32", found: "string")
        }
    }

    @Test("an I8 tensor holding -128 names the tensor and element")
    func int8MinusOneTwentyEight() throws {
        var file = Self.withTensor(dims: [8, 2], type: 24, dataBytes: 64)
        file.data[0] = 0x81  // -127 is allowed
        file.data[11] = 0x80
        expectRefusal(try file.rnnz()) { $0 == .int8OutOfRange(tensor: "a", index: 11) }
        file.data[11] = 0x7F
        #expect(try decodeRnnz(try file.rnnz()).int8s(of: decodeRnnz(try file.rnnz()).tensor("a"))[0] == -127)
    }
}
