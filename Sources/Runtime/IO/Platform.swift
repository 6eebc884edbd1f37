import CPlatform

/// The process-level OS calls the board binary needs, so that it depends on
/// Runtime only (no Glibc, no CPlatform import of its own).
public enum Platform {
    /// A monotonic clock in nanoseconds, for timing messages only.
    public static func monotonicNanoseconds() -> UInt64 {
        rp_monotonic_ns()
    }

    /// The process's peak resident set size in bytes (getrusage), 0 when unknown.
    public static func peakResidentBytes() -> UInt64 {
        rp_peak_rss_kib() * 1024
    }

    /// Ends the process with `code` (C `exit`: nothing after this runs).
    public static func exit(_ code: Int32) -> Never {
        rp_exit(code)
    }

    /// The command-line arguments after the program name (C's argv[1...]).
    ///
    /// Works in Embedded Swift too, which has no `CommandLine`: the C shim keeps
    /// argv from process start-up.
    public static func arguments() -> [String] {
        var arguments: [String] = []
        var index = 1
        while index < Int(rp_argc()) {
            if let argument = rp_argv(Int32(index)) {
                arguments.append(String(cString: argument))
            }
            index += 1
        }
        return arguments
    }

    /// True when the file descriptor is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool {
        rp_isatty(fd) != 0
    }
}
