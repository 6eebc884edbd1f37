import CTrainer
import Synchronization

/// The threads that share a recurrent layer's timesteps and the large products (`recur_team.h`):
/// B rows split into parts, each part's slice of the W_hh product and row kernel on one thread.
///
/// Sized by `BLAS.threads` (the `--threads` of a run), created on first use and re-created when
/// that changes. The helpers spin between the timesteps of a sequence and sleep after 2 ms
/// without work. One team serves the process; runs come from the training thread only.
enum StepTeam {
    /// The team of the current thread count (its address; 0: none yet, or threads could not be
    /// started). Held for a whole run: a second thread that wants the team meanwhile (tests
    /// train concurrently) runs its parts itself.
    private static let current = Mutex<(threads: Int, team: UInt)>((1, 0))

    /// Below this many multiply-adds per step, one thread does the whole step.
    static let threshold = 1 << 16
    /// The parts a large product is split into, whatever the thread count (`BLAS.gemm`): the split
    /// depends on the shape alone, so the bits do too (a smaller team claims several parts; one
    /// thread runs them all in order).
    static let productParts = 4

    /// How many parts a step of `rows` rows and `work` multiply-adds is split into (1: none): one
    /// per thread. Rows are independent, so this changes no bits (the bias sums go by fixed row
    /// groups: `RecurrentLayer`).
    static func parts(rows: Int, work: Int, threads: Int = BLAS.threads) -> Int {
        guard threads > 1, rows >= 2, work >= threshold else { return 1 }
        return min(threads, rows)
    }

    /// The indices of part `part` when `count` indices (rows, columns, k) are split into `parts`.
    static func range(part: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Runs body(part) for every part in [0, parts): on the team when parts > 1 and the team is
    /// free, else on this thread, in order.
    static func run(parts: Int, _ body: (Int) -> Void) {
        let threads = BLAS.threads
        let ran = parts > 1 && current.withLockIfAvailable { current -> Bool in
            if current.threads != threads {
                if let old = OpaquePointer(bitPattern: current.team) { rt_team_destroy(old) }
                current = (threads, UInt(bitPattern: threads > 1 ? rt_team_create(threads) : nil))
            }
            guard let team = OpaquePointer(bitPattern: current.team) else { return false }
            withoutActuallyEscaping(body) { body in
                var task = body
                withUnsafeMutablePointer(to: &task) { pointer in
                    rt_team_run(team, { context, part in
                        context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
                    }, pointer, parts)
                }
            }
            return true
        } == true
        if !ran {
            for part in 0..<parts { body(part) }
        }
    }
}
