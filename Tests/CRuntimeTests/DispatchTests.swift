import CRuntime
import Testing

/// Proves the dispatch contract: the default table is the best available one
/// until a path is forced, forcing an available path makes it the default and
/// reports it as active, and forcing an unavailable path fails and changes nothing.
///
/// Serialized because the forced path is process-wide; every test in this suite
/// leaves the best path forced again, which answers exactly like no force.
@Suite("Dispatch", .serialized)
struct DispatchTests {
    @Test("Before and after forcing, rc_kernels_default is the forced or best table")
    func forceEachAvailablePath() {
        let best = rc_kernels_best()
        let all = [RC_PATH_SCALAR] + KernelPaths.vector
        for path in all where KernelPaths.available(path) {
            #expect(rc_force_path(path) == RC_OK, "force \(KernelPaths.name(path))")
            #expect(rc_kernels_path(rc_kernels_default()) == path, "active after forcing \(KernelPaths.name(path))")
            #expect(rc_kernels_default() == rc_kernels_for(path))
        }
        #expect(rc_force_path(rc_kernels_path(best)) == RC_OK)
        #expect(rc_kernels_default() == best)
    }

    @Test("Forcing an unavailable path returns RC_ERR_UNAVAILABLE and keeps the active path")
    func forceUnavailablePath() {
        #expect(rc_force_path(RC_PATH_SCALAR) == RC_OK)
        for path in KernelPaths.vector where !KernelPaths.available(path) {
            #expect(rc_force_path(path) == RC_ERR_UNAVAILABLE, "\(KernelPaths.name(path))")
            #expect(rc_kernels_path(rc_kernels_default()) == RC_PATH_SCALAR)
        }
        #expect(rc_force_path(rc_path(rawValue: 99)) == RC_ERR_UNAVAILABLE)
        #expect(rc_kernels_path(rc_kernels_default()) == RC_PATH_SCALAR)
        #expect(rc_force_path(rc_kernels_path(rc_kernels_best())) == RC_OK)
    }

    @Test("Every path has its documented name")
    func names() {
        let expected = ["scalar", "avx2", "neon", "neon-dotprod", "armv7-neon", "avx512-vnni"]
        for (raw, name) in expected.enumerated() {
            #expect(KernelPaths.name(rc_path(rawValue: UInt32(raw))) == name)
        }
    }
}
