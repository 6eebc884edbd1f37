import Foundation
import RecurRuntime
import Testing
import TestSupport

/// `recur-run --bench`: the report's fields and their consistency on every task, the
/// kernel path it names, and its usage errors. Nothing here depends on the figures
/// themselves (CI machines differ): only on what must hold whatever the speed.
@Suite("recur-run --bench")
struct BenchCommandTests {
    typealias Fixture = FrameStreamTests.Fixture

    /// Runs --bench --json and returns the parsed object, after checking what every report satisfies.
    static func bench(_ path: String, _ extra: [String] = [], steps: Int) throws -> [String: Any] {
        let outcome = try RecurRunProcess.run([path, "--bench", "--json", "--steps", "\(steps)"] + extra)
        #expect(outcome.status == 0, "\(outcome.err)")
        #expect(outcome.err.isEmpty)
        #expect(outcome.outLines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout)) as? [String: Any]
        let report = try #require(object)
        #expect(report["model"] as? String == path)
        #expect(report["steps"] as? Int == steps)
        #expect(report["warmup"] as? Int == min(max(steps / 10, 1), 1000))
        let p50 = try #require(report["p50_ns"] as? Int)
        let p90 = try #require(report["p90_ns"] as? Int)
        let p99 = try #require(report["p99_ns"] as? Int)
        let minimum = try #require(report["min_ns"] as? Int)
        #expect(minimum <= p50 && p50 <= p90 && p90 <= p99)
        let mean = try #require(report["mean_ns"] as? Double)
        #expect(mean >= Double(minimum) && mean <= Double(p99) * Double(steps))
        let rate = try #require(report["steps_per_s"] as? Double)
        // steps/s is the inverse of the mean (six decimals, float precision).
        if mean > 0 { #expect(abs(rate * mean / 1e9 - 1) < 1e-3) }
        #expect((report["peak_rss_bytes"] as? Int ?? 0) > 0)
        #expect((report["load_ms"] as? Double ?? -1) >= 0)
        #expect(report["clock_ns"] is Int)
        return report
    }

    @Test("frame models: one frame per step with the head every step; the kernel path is the one chosen")
    func frameModels() throws {
        let classifier = try Fixture(.classifier())
        let report = try Self.bench(classifier.path, steps: 50)
        #expect(report["task"] as? String == "classifier")
        #expect(report["unit"] as? String == "frame")
        #expect(report["weights"] as? String == "int8")
        #expect(report["kernels"] as? String == KernelPath.best.activeName)
        for path in KernelPath.allCases where path != .best && path.isAvailable {
            let forced = try Self.bench(classifier.path, ["--kernels", path.requestedName], steps: 20)
            #expect(forced["kernels"] as? String == path.requestedName)
        }
        let regressor = try Fixture(.regressor())
        #expect(try Self.bench(regressor.path, ["--seed", "9"], steps: 30)["seed"] as? Int == 9)
    }

    @Test("lm: one token per step; seq2seq: one greedy translation per step")
    func tokenModels() throws {
        let lm = try Fixture(.lm())
        #expect(try Self.bench(lm.path, steps: 40)["unit"] as? String == "token")
        let translation = try Self.bench(Seq2SeqRunTests.path, steps: 5)
        #expect(translation["unit"] as? String == "translation")
        #expect(translation["task"] as? String == "seq2seq")
    }

    @Test("text report: the fields a user reads, in order")
    func text() throws {
        let file = try Fixture(.classifier())
        let outcome = try RecurRunProcess.run([file.path, "--bench", "--steps", "10"])
        #expect(outcome.status == 0, "\(outcome.err)")
        let prefixes = ["bench: \(file.path) (classifier, 3 → lstm 8 → dense(softmax) 3, int8)",
                        "kernels: \(KernelPath.best.activeName)", "load: ",
                        "steps: 10 timed after 1 warm-up, one frame each (window 0, hop 1: the head on every step), seed 0",
                        "ns per step: p50 ", "steps/s: ", "peak RSS: "]
        #expect(outcome.outLines.count == prefixes.count)
        for (line, prefix) in zip(outcome.outLines, prefixes) {
            #expect(line.hasPrefix(prefix), "\(line)")
        }
    }

    @Test("usage errors: --steps without --bench, windowing and decoding options, --steps 0")
    func usage() throws {
        let file = try Fixture(.classifier())
        let cases: [([String], String)] = [
            ([file.path, "--steps", "5"], "recur-run: --steps applies to --bench"),
            ([file.path, "--bench", "--steps", "0"], "recur-run: --steps 0: expected a whole number ≥ 1"),
            ([file.path, "--bench", "--window", "4"],
             "recur-run: --bench runs one continuous stream with a result every step (window 0, hop 1); --window and --hop do not apply"),
            ([file.path, "--bench", "--temperature", "1"], "recur-run: --bench takes --steps, --seed, --json and --kernels only"),
            ([file.path, "--bench", "--verify"], "recur-run: --bench and --verify cannot be combined"),
        ]
        for (arguments, message) in cases {
            let outcome = try RecurRunProcess.run(arguments)
            #expect(outcome.status == 64, "\(arguments)")
            #expect(outcome.errLines == [message], "\(arguments)")
            #expect(outcome.stdout.isEmpty)
        }
    }
}
