import RecurRuntime
import Testing
import TestSupport
import Trainer

/// Seeded random corruption: thousands of damaged variants of a valid file each either decode
/// or throw a RecurError. A trap (out-of-bounds read, overflow, runaway allocation) would crash
/// the test process, so finishing this test is the proof; the counts show both paths ran.
@Suite("Format corruption")
struct FormatCorruptionTests {
    /// A valid file with every value type and tensor type.
    static func validGGUF() -> [UInt8] {
        var rng = SeededGenerator(seed: 11)
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("recur.format_version", .uint32(1))
        for (key, value) in FormatRoundTripTests.everyValue {
            builder.set(key, value)
        }
        builder.addI8(name: "enc.0.weight_ih", rows: 8, cols: 5, rng.int8Weights(40))
        builder.addF32(name: "enc.0.weight_ih.scale", rng.uniforms(8))
        builder.addF16(name: "enc.0.weight_hh", rows: 8, cols: 2, rng.uniforms(16))
        builder.addI32(name: "selftest.0.input", [1, 2, 3])
        return builder.encode()
    }

    /// Damages `bytes` in one of several ways chosen by `rng`.
    static func corrupt(_ bytes: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        switch Int.random(in: 0..<5, using: &rng) {
        case 0:  // flip one to four random bits
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                out[Int.random(in: 0..<out.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            }
        case 1:  // truncate
            out.removeSubrange(Int.random(in: 0..<out.count, using: &rng)...)
        case 2:  // overwrite an aligned-or-not u64 with a boundary value (lengths, counts, offsets)
            let boundaries: [UInt64] = [0, 1, 0x7F, 0x80, 0xFFFF_FFFF, 1 << 32, 1 << 60, 1 << 63, UInt64.max, UInt64.max - 63]
            let value = boundaries[Int.random(in: 0..<boundaries.count, using: &rng)]
            let position = Int.random(in: 0..<max(1, out.count - 8), using: &rng)
            for index in 0..<min(8, out.count - position) {
                out[position + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * index))
            }
        case 3:  // random bytes over a random stretch
            let start = Int.random(in: 0..<out.count, using: &rng)
            for index in start..<min(out.count, start + Int.random(in: 1...16, using: &rng)) {
                out[index] = UInt8.random(in: 0...255, using: &rng)
            }
        default:  // insert or delete a few bytes in the middle
            let position = Int.random(in: 0..<out.count, using: &rng)
            if Bool.random(using: &rng) {
                out.insert(contentsOf: (0..<Int.random(in: 1...9, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: position)
            } else {
                out.removeSubrange(position..<min(out.count, position + Int.random(in: 1...9, using: &rng)))
            }
        }
        return out
    }

    /// Reads every tensor's data, so a range that escaped validation would trap here.
    static func touchEveryTensor(_ file: GGUFFile) -> Int {
        var sum = 0
        for info in file.tensors {
            for byte in file.tensorBytes(info) { sum &+= Int(byte) }
            _ = try? file.floats(of: info)
        }
        return sum
    }

    @Test("4000 corrupted GGUF bodies: each decodes or throws, never traps")
    func corruptedGGUF() {
        let valid = Self.validGGUF()
        #expect((try? decodeGGUF(valid)) != nil, "the unmodified file decodes")
        var rng = SeededGenerator(seed: 2024)
        var accepted = 0
        var refused = 0
        for _ in 0..<4000 {
            let damaged = Self.corrupt(valid, using: &rng)
            do {
                let file = try decodeGGUF(damaged)
                _ = Self.touchEveryTensor(file)
                accepted += 1
            } catch {
                refused += 1
            }
        }
        #expect(refused > 1000, "most damage is detected: \(refused) refused, \(accepted) accepted")
        #expect(accepted > 0, "damage inside tensor data or padding is not detectable and must decode")
    }

    @Test("1500 corrupted .rnnz frames: each decodes or throws, never traps")
    func corruptedFrames() throws {
        let valid = try RnnzWriter.compress(Self.validGGUF())
        var rng = SeededGenerator(seed: 77)
        var refused = 0
        for _ in 0..<1500 {
            let damaged = Self.corrupt(valid, using: &rng)
            do {
                _ = Self.touchEveryTensor(try decodeRnnz(damaged, limit: 1 << 20))
            } catch {
                refused += 1
            }
        }
        // The checksum catches damaged content; only damage that leaves the frame intact passes.
        #expect(refused > 1400, "\(refused) of 1500 damaged frames refused")
    }
}
