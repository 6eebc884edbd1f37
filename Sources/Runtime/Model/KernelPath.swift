import CRuntime

/// Which kernel table of the C core a session computes with.
///
/// Chosen per session (never process-wide), so tests can run the scalar
/// reference and the fastest path side by side. Every path gives the same bits
/// (the numerics contract); the choice changes speed only.
public enum KernelPath: Sendable, Equatable, CaseIterable {
    /// The fastest path this CPU supports.
    case best
    /// The portable reference, always available.
    case scalar
    case avx2
    /// x86-64 with AVX-512 VNNI: the int8 product with `vpdpbusd`, the rest as `avx2`.
    case avx512Vnni
    case neon
    case neonDotprod
    case armv7Neon

    /// Parses a path name as `recur-run --kernel` takes it: `best`, `scalar`,
    /// `avx2`, `avx512-vnni`, `neon`, `neon-dotprod`, `armv7-neon`. Nil for anything else.
    public init?(name: String) {
        switch name {
        case "best": self = .best
        case "scalar": self = .scalar
        case "avx2": self = .avx2
        case "avx512-vnni", "avx512Vnni": self = .avx512Vnni
        case "neon": self = .neon
        case "neon-dotprod", "neonDotprod": self = .neonDotprod
        case "armv7-neon", "armv7Neon": self = .armv7Neon
        default: return nil
        }
    }

    /// The C core's path, or nil for `.best` (resolved at run time).
    var cPath: rc_path? {
        switch self {
        case .best: return nil
        case .scalar: return RC_PATH_SCALAR
        case .avx2: return RC_PATH_AVX2
        case .avx512Vnni: return RC_PATH_AVX512_VNNI
        case .neon: return RC_PATH_NEON
        case .neonDotprod: return RC_PATH_NEON_DOTPROD
        case .armv7Neon: return RC_PATH_ARMV7_NEON
        }
    }

    /// True when this path is compiled in and supported by this CPU.
    public var isAvailable: Bool {
        guard let path = cPath else { return true }
        return rc_path_available(path) != 0
    }

    /// The kernel table, or `kernelUnavailable` when this CPU cannot run the path.
    func table() throws(RecurError) -> OpaquePointer {
        guard let path = cPath else { return rc_kernels_best() }
        guard let table = rc_kernels_for(path) else { throw .kernelUnavailable(requestedName) }
        return table
    }

    /// The name of the path that actually runs: for `.best`, the path it resolves to
    /// on this CPU (`avx512-vnni`, `neon-dotprod`, …), as `recur-run --info` prints it.
    public var activeName: String {
        let path = cPath ?? rc_kernels_path(rc_kernels_best())
        return String(cString: rc_path_name(path))
    }

    /// The name as written on the command line (`best` for `.best`).
    public var requestedName: String {
        guard let path = cPath else { return "best" }
        return String(cString: rc_path_name(path))
    }
}
