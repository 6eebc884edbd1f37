/// A block of memory aligned to 64 bytes that frees itself.
///
/// The Model keeps F16 weights converted to F32 in these; a session keeps its
/// state and scratch in them. Sized once, never resized.
final class AlignedBuffer {
    /// The 64-byte aligned start (the C core's `RC_SCRATCH_ALIGN`).
    let base: UnsafeMutableRawPointer
    /// Usable bytes from `base` (at least 64, so the pointer is never dangling for size 0).
    let byteCount: Int

    /// Allocates `byteCount` zeroed bytes (rounded up to a multiple of 64, minimum 64).
    init(byteCount: Int) {
        let rounded = max(64, (byteCount + 63) & ~63)
        self.byteCount = rounded
        base = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: rounded)
    }

    /// Allocates room for `count` floats, zeroed.
    convenience init(floats count: Int) {
        self.init(byteCount: count * MemoryLayout<Float>.stride)
    }

    /// The memory as floats.
    var floats: UnsafeMutablePointer<Float> {
        base.assumingMemoryBound(to: Float.self)
    }

    /// Sets every byte to zero.
    func zero() {
        base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    deinit {
        base.deallocate()
    }
}
