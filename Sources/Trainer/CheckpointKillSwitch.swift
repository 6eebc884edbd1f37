import Foundation
import Synchronization

/// A test-only way to interrupt a training run at an exact point.
///
/// With `RECUR_TEST_KILL_AFTER_CHECKPOINT=K` in the environment, the process kills itself with
/// SIGKILL — as a crash, an OOM kill or `kill -9` would — right after its K-th checkpoint is on
/// disk (renamed into place and fsynced). The kill-and-resume tests use it to stop a run after a
/// known epoch on any machine, however fast, instead of racing a poll against the run. Unset (the
/// normal case) it does nothing.
enum CheckpointKillSwitch {
    static let variable = "RECUR_TEST_KILL_AFTER_CHECKPOINT"

    private static let written = Atomic<Int>(0)

    /// Called once per checkpoint, after the file is durably in place.
    static func checkpointWritten() {
        let count = written.add(1, ordering: .relaxed).newValue
        guard let text = ProcessInfo.processInfo.environment[variable], let limit = Int(text), limit == count else { return }
        kill(getpid(), SIGKILL)
    }
}
