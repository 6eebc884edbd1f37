import CRuntime

/// The kernel paths of CRuntime, and the odd sizes every kernel is tested at.
enum KernelPaths {
    /// The non-scalar paths: each is compared with the scalar reference.
    static let vector: [rc_path] = [RC_PATH_AVX2, RC_PATH_AVX512_VNNI, RC_PATH_NEON, RC_PATH_NEON_DOTPROD, RC_PATH_ARMV7_NEON]

    /// Row and column counts that hit every SIMD tail (1, 3, 7 … 257).
    static let sizes: [Int] = [1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 257]

    /// True when `path` is built in and this CPU runs it.
    static func available(_ path: rc_path) -> Bool {
        rc_path_available(path) != 0
    }

    /// The table for `path`; the caller checked `available(path)`.
    static func table(_ path: rc_path) -> OpaquePointer {
        guard let table = rc_kernels_for(path) else {
            preconditionFailure("path \(name(path)) is not available")
        }
        return table
    }

    static var scalar: OpaquePointer { table(RC_PATH_SCALAR) }

    static func name(_ path: rc_path) -> String {
        String(cString: rc_path_name(path))
    }
}

/// Bit equality of two float arrays, where any NaN equals any NaN: the sign
/// and payload of a NaN are not part of the contract (recur_core.h).
func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) where !(x.isNaN && y.isNaN) && x.bitPattern != y.bitPattern {
        return false
    }
    return true
}

/// The index of the first element whose bits differ, for failure messages.
func firstDifference(_ a: [Float], _ b: [Float]) -> Int? {
    zip(a, b).enumerated().first { !($0.element.0.isNaN && $0.element.1.isNaN) && $0.element.0.bitPattern != $0.element.1.bitPattern }?.offset
}
