import Foundation
import Testing

/// Runs the built `recur-run` executable as a child process.
///
/// stdin, stdout and stderr go through temporary files (no pipe can fill up and
/// block either side, whatever the sizes). A run still going after `timeout`
/// seconds is killed and reported as a hang. The limit is a hang guard, not a speed
/// check: it is ten minutes by default (far above any run's time on a slow, loaded or
/// sanitized build) and `RECUR_TEST_HANG_SECONDS` overrides it.
enum RecurRunProcess {
    /// What one run produced.
    struct Outcome {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// True when the process ended by a signal (a crash) instead of exiting.
        var signaled: Bool

        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
        var outLines: [String] { out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
        var errLines: [String] { err.split(separator: "\n").map(String.init) }
    }

    /// The executable: `RECUR_RUN` if set, else `recur-run` next to the test bundle
    /// (SwiftPM puts both in the same build directory).
    static let executable: String = {
        if let path = ProcessInfo.processInfo.environment["RECUR_RUN"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("recur-run").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("recur-run").path
    }()

    /// Runs `recur-run arguments` with `stdin` as its input.
    /// The default hang guard in seconds: `RECUR_TEST_HANG_SECONDS`, else 600.
    static let hangSeconds: TimeInterval = {
        if let text = ProcessInfo.processInfo.environment["RECUR_TEST_HANG_SECONDS"],
           let seconds = TimeInterval(text), seconds > 0 { return seconds }
        return 600
    }()

    static func run(_ arguments: [String], stdin: [UInt8] = [], timeout: TimeInterval = hangSeconds) throws -> Outcome {
        let directory = try TemporaryDirectory()
        let inputPath = directory.path("stdin")
        try Data(stdin).write(to: URL(fileURLWithPath: inputPath))
        return try run(arguments, stdinFile: inputPath, in: directory, timeout: timeout)
    }

    /// Runs `recur-run arguments` reading stdin from the file at `stdinFile`.
    static func run(_ arguments: [String], stdinFile: String, in directory: TemporaryDirectory? = nil,
                    timeout: TimeInterval = hangSeconds) throws -> Outcome {
        let scratch = try directory ?? TemporaryDirectory()
        let outPath = scratch.path("stdout")
        let errPath = scratch.path("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinFile))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        // Woken by the exit itself rather than by polling; the wait's limit only catches a hang.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            Issue.record("recur-run \(arguments) did not finish within \(timeout) s (a hang)")
        }
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: Array(try Data(contentsOf: URL(fileURLWithPath: outPath))),
            stderr: Array(try Data(contentsOf: URL(fileURLWithPath: errPath))),
            signaled: process.terminationReason == .uncaughtSignal)
    }
}
