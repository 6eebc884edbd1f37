/// Row-major f32 storage that layers keep between forward and backward (caches, scratch).
///
/// A `Tensor` owns one aligned allocation and hands out raw pointers, so hot loops and
/// `BLAS.gemm` run without array copies or exclusivity checks. `resize` only reallocates when
/// the capacity grows, so the caches of a layer stay put from batch to batch.
public final class Tensor: @unchecked Sendable {
    /// First element; valid until the next `resize` that grows the tensor.
    public private(set) var data: UnsafeMutablePointer<Float>
    /// Number of elements in use.
    public private(set) var count: Int
    private var capacity: Int

    /// A zeroed tensor of `count` elements.
    public init(count: Int = 0) {
        capacity = max(count, 1)
        data = Tensor.allocate(capacity)
        self.count = count
        data.initialize(repeating: 0, count: capacity)
    }

    /// A tensor holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { v in
            if let base = v.baseAddress { data.update(from: base, count: v.count) }
        }
    }

    deinit {
        data.deallocate()
    }

    private static func allocate(_ n: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: n)
    }

    /// Makes room for `newCount` elements; the contents are unspecified unless `zero` is set.
    public func resize(_ newCount: Int, zero: Bool = false) {
        if newCount > capacity {
            data.deallocate()
            capacity = newCount
            data = Tensor.allocate(capacity)
            data.initialize(repeating: 0, count: capacity)
        } else if zero {
            data.update(repeating: 0, count: newCount)
        }
        count = newCount
    }

    /// Sets every element in use to zero.
    public func zero() {
        data.update(repeating: 0, count: count)
    }

    /// The elements in use as an array (a copy).
    public var array: [Float] {
        Array(UnsafeBufferPointer(start: data, count: count))
    }

    /// Overwrites the elements in use with `values` (same count).
    public func assign(_ values: [Float]) {
        precondition(values.count == count, "Tensor.assign: \(values.count) values for \(count) elements")
        values.withUnsafeBufferPointer { v in
            if let base = v.baseAddress { data.update(from: base, count: count) }
        }
    }

    @inline(__always)
    public subscript(_ i: Int) -> Float {
        get { data[i] }
        set { data[i] = newValue }
    }
}
