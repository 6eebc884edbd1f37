/// An owned, immutable block of bytes whose base address is 64-byte aligned.
///
/// It holds a decompressed `.rnnz` content; tensors are read in place through
/// ``GGUFFile/tensorBytes(_:)``, so the aligned base (with GGUF's 64-byte data
/// alignment) makes every tensor's data cache-line aligned for the C kernels.
/// Nothing mutates the bytes after `init` returns, which is what makes the
/// `@unchecked Sendable` sound.
public final class ByteStorage: @unchecked Sendable {
    /// Alignment of the base address in bytes.
    public static let alignment = 64

    private let base: UnsafeMutableRawPointer
    /// Number of bytes.
    public let count: Int

    /// Allocates `count` bytes and lets `fill` write them once.
    ///
    /// - Throws: whatever `fill` throws; the memory is released in that case.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws(RecurError) -> Void) throws(RecurError) {
        precondition(count >= 0, "ByteStorage count must not be negative")
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: ByteStorage.alignment)
        do {
            try fill(UnsafeMutableRawBufferPointer(start: pointer, count: count))
        } catch {
            pointer.deallocate()
            throw error
        }
        base = pointer
        self.count = count
    }

    /// Copies `bytes` into a new aligned storage.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        // The fill closure cannot fail; the `try!` documents that, not a real failure path.
        try! self.init(count: bytes.count) { (destination: UnsafeMutableRawBufferPointer) throws(RecurError) in
            if let source = bytes.baseAddress, bytes.count > 0 {
                destination.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
            }
        }
    }

    deinit {
        base.deallocate()
    }

    /// The bytes, valid as long as this object lives.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
