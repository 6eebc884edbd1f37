import RecurRuntime

/// The exit codes of `recur-run` (docs/BOARD.md, "Exit codes"; the values of BSD's
/// sysexits.h).
enum ExitCode: Int32 {
    /// Everything ran (malformed lines may have been skipped and reported).
    case ok = 0
    /// The command line cannot be run: unknown option, bad value, a window/hop or
    /// kernel path this model or CPU cannot use, an option the model's task lacks, a beam
    /// wider than the model allows.
    case usage = 64
    /// `--strict` met a malformed input line.
    case dataError = 65
    /// The model file is unreadable or invalid, or its self-test does not reproduce.
    case modelInvalid = 66
    /// An internal error, or reading stdin / writing stdout failed (not a closed pipe).
    case software = 70

    /// The exit code for an error met while running a model on a stream.
    ///
    /// A reader that went away (`| head`) is a normal end: exit 0, quietly.
    static func forRunning(_ error: RecurError) -> ExitCode {
        switch error {
        case .outputClosed:
            return .ok
        case .badWindow, .kernelUnavailable, .wrongTask, .badBeamWidth:
            return .usage
        case .selfTestMismatch:
            return .modelInvalid
        default:
            return .software
        }
    }
}
