import Foundation
import RecurRuntime
import Testing
import TestSupport
import Trainer

/// recur-run's command line: usage errors (64), model files (66), --verify,
/// --info and --help.
@Suite("recur-run commands")
struct CommandTests {
    typealias Fixture = FrameStreamTests.Fixture

    @Test("usage errors exit 64 with a message naming the problem")
    func usage() throws {
        let file = try Fixture(.classifier())
        let cases: [([String], String)] = [
            ([], "recur-run: no model file given (usage: recur-run MODEL.rnnz [options]; --help for more)"),
            ([file.path, "--bogus"], "recur-run: unknown option --bogus (recur-run --help lists them)"),
            ([file.path, "--window"], "recur-run: --window needs a value"),
            ([file.path, "--hop", "0"], "recur-run: --hop 0: expected a whole number ≥ 1"),
            ([file.path, "--window", "x"], "recur-run: --window x: expected a whole number ≥ 0"),
            ([file.path, "--json=yes"], "recur-run: --json takes no value"),
            ([file.path, "--kernels", "sse9"],
             "recur-run: --kernels sse9: expected best, scalar, avx2, avx512-vnni, neon, neon-dotprod or armv7-neon"),
            ([file.path, "--verify", "--info"], "recur-run: --verify and --info cannot be combined"),
            ([file.path, file.path], "recur-run: one model file expected, found 2 arguments: \(file.path) \(file.path)"),
            ([file.path, "--generate", "5"],
             "recur-run: --generate and --score need a language model; this model is a classifier"),
            ([file.path, "--window", "4", "--hop", "6"], "recur-run: window 4, hop 6: hop 6 is longer than window 4"),
            ([file.path, "--window", "5000", "--hop", "1"],
             "recur-run: window 5000, hop 1: window/hop needs 5000 window states (at most 4096)"),
        ]
        for (arguments, message) in cases {
            let outcome = try RecurRunProcess.run(arguments)
            #expect(outcome.status == 64, "\(arguments)")
            #expect(outcome.errLines == [message], "\(arguments)")
            #expect(outcome.stdout.isEmpty)
        }
    }

    @Test("--help explains the protocol and gives examples, exit 0")
    func help() throws {
        let outcome = try RecurRunProcess.run(["--help"])
        #expect(outcome.status == 0)
        for needle in ["USAGE", "--window N", "--strict", "--generate N", "--score", "--verify", "--info",
                       "--kernels PATH", "EXIT CODES", "EXAMPLES", "recur-run har.rnnz --verify"] {
            #expect(outcome.out.contains(needle), "help mentions \(needle)")
        }
    }

    @Test("unreadable and invalid model files exit 66 naming the file and the problem")
    func badModels() throws {
        let directory = try TemporaryDirectory()
        let missing = try RecurRunProcess.run([directory.path("absent.rnnz")])
        #expect(missing.status == 66)
        #expect(missing.errLines == ["recur-run: \(directory.path("absent.rnnz")): cannot read \(directory.path("absent.rnnz")) (errno 2)"])

        let garbage = directory.path("garbage.rnnz")
        try Data("not a model at all".utf8).write(to: URL(fileURLWithPath: garbage))
        let notZstd = try RecurRunProcess.run([garbage, "--info"])
        #expect(notZstd.status == 66)
        #expect(notZstd.errLines == ["recur-run: \(garbage): not a .rnnz file: the bytes do not start with a zstd frame"])

        let dirAsModel = try RecurRunProcess.run([directory.url.path])
        #expect(dirAsModel.status == 66)
        #expect(dirAsModel.errLines.first?.contains("errno 21") == true, "EISDIR: \(dirAsModel.err)")
    }

    @Test("--verify passes on a file the writer produced, with every kernel path this CPU has")
    func verifyPasses() throws {
        for spec in [CLIModel.classifier(), CLIModel.regressor(), CLIModel.lm()] {
            let file = try Fixture(spec)
            for kernels in ["best", "scalar"] {
                let outcome = try RecurRunProcess.run([file.path, "--verify", "--kernels", kernels])
                #expect(outcome.status == 0, "\(spec.task) \(kernels): \(outcome.err)")
                #expect(outcome.out.hasPrefix("verify: OK, 2 self-tests, "), "\(outcome.out)")
                #expect(outcome.out.contains("values bit-identical (kernels "))
            }
        }
    }

    @Test("--verify fails with exit 66 and a clear message when one weight byte changed in a re-compressed file")
    func verifyFailsOnAlteredWeight() throws {
        let spec = CLIModel.classifier()
        let directory = try TemporaryDirectory()
        let good = try spec.ggufWithSelfTests()
        for (tensor, index) in [("enc.0.weight_ih", 0), ("enc.0.weight_hh", 37), ("enc.1.weight", 5)] {
            let altered = try CLIModel.alteringWeight(good, tensor: tensor, index: index)
            #expect(altered.count == good.count)
            #expect(zip(altered, good).filter { $0 != $1 }.count == 1, "exactly one byte differs")
            let path = directory.path("altered-\(tensor).rnnz")
            try RnnzWriter.write(altered, to: path)
            let outcome = try RecurRunProcess.run([path, "--verify"])
            #expect(outcome.status == 66, "\(tensor)")
            #expect(outcome.stdout.isEmpty)
            let message = try #require(outcome.errLines.first)
            #expect(message.hasPrefix("recur-run: \(path): verify FAILED: self-test 0 differs at output "), "\(message)")
            #expect(message.contains("largest difference"))
        }
    }

    @Test("--verify on a file without self-tests exits 66 and says so")
    func verifyWithoutSelfTests() throws {
        var spec = CLIModel.classifier()
        spec.selfTestCount = 0
        let file = try Fixture(spec)
        let outcome = try RecurRunProcess.run([file.path, "--verify"])
        #expect(outcome.status == 66)
        #expect(outcome.errLines == ["recur-run: \(file.path): the file holds no self-test vectors (recur.selftest.count is 0)"])
    }

    @Test("--info names task, layers, sizes, labels, windowing and the kernel path")
    func info() throws {
        let file = try Fixture(.classifier())
        let outcome = try RecurRunProcess.run([file.path, "--info", "--kernels", "scalar"])
        #expect(outcome.status == 0)
        let lines = outcome.outLines
        #expect(lines.contains("task: classifier"))
        #expect(lines.contains("name: cli-classifier"))
        #expect(lines.contains("input: 3 values per frame, normalized in the runtime"))
        #expect(lines.contains("layers: 2"))
        #expect(lines.contains("  0 lstm 3 -> 8 int8"))
        #expect(lines.contains("  1 dense(softmax) 8 -> 3 int8"))
        #expect(lines.contains("labels: 3 (STILL, WALKING, RUNNING)"))
        #expect(lines.contains("window: 8, hop: 4"))
        #expect(lines.contains("self-tests: 2"))
        #expect(lines.contains("kernels: scalar"))

        let best = try RecurRunProcess.run([file.path, "--info"])
        #expect(best.outLines.last?.hasSuffix("(the best this CPU supports)") == true)
        #expect(best.outLines.last?.hasPrefix("kernels: \(KernelPath.best.activeName)") == true)
    }
}
