import Foundation
import RecurRuntime
import Testing
import TestSupport
import Trainer

/// The files the recur-run measurements in docs/BOARD.md use, made by the same
/// writer as every test model. The test checks that both models load and verify
/// through recur-run; with `RECUR_BENCH_DIR` set it also leaves them there, with
/// the 1-million-frame input stream (`frames-1m.csv`), for the benchmark commands.
@Suite("recur-run benchmark fixtures")
struct BenchmarkFixtureTests {
    /// The streaming benchmark's model: 9 inputs → LSTM 64 (int8) → softmax over 6 labels,
    /// window 128, hop 64 (so two staggered window states per frame).
    static let streamModel: CLIModel = {
        var model = CLIModel.classifier(input: 9, hidden: 64, classes: 6, window: 128, hop: 64, seed: 90)
        model.labels = ["WALKING", "UPSTAIRS", "DOWNSTAIRS", "SITTING", "STANDING", "LAYING"]
        return model
    }()

    /// The load/verify benchmark's model: 9 → LSTM 256 → LSTM 256 → 6, int8, about 0.8 M weights
    /// (a file of about 1 MB, since random weights hardly compress).
    static let largeModel: CLIModel = {
        var model = CLIModel.classifier(input: 9, hidden: 256, classes: 6, window: 32, hop: 16, seed: 91)
        model.cells = ["lstm", "lstm"]
        return model
    }()

    /// `count` frames of 9 values with four decimals, as an IMU logger writes them.
    static func frameText(count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 72)
        for _ in 0..<count {
            for column in 0..<9 {
                if column > 0 { bytes.append(0x2C) }
                // v = n / 10^4 for n uniform in [-29999, 29999].
                let n = Int.random(in: -29_999...29_999, using: &rng)
                if n < 0 { bytes.append(0x2D) }
                let magnitude = abs(n)
                bytes.append(UInt8(0x30 + magnitude / 10_000))
                bytes.append(0x2E)
                var rest = magnitude % 10_000
                var divisor = 1_000
                while divisor > 0 {
                    bytes.append(UInt8(0x30 + rest / divisor))
                    rest %= divisor
                    divisor /= 10
                }
            }
            bytes.append(0x0A)
        }
        return bytes
    }

    @Test("the benchmark models load and verify in recur-run; the large one is about 1 MB")
    func fixtures() throws {
        let scratch = try TemporaryDirectory()
        let directory = ProcessInfo.processInfo.environment["RECUR_BENCH_DIR"] ?? scratch.url.path
        let stream = directory + "/lstm9x64.rnnz"
        let large = directory + "/lstm-1mb.rnnz"
        try Self.streamModel.write(to: stream)
        try Self.largeModel.write(to: large)
        for path in [stream, large] {
            let outcome = try RecurRunProcess.run([path, "--verify"])
            #expect(outcome.status == 0, "\(path): \(outcome.err)")
            #expect(outcome.out.hasPrefix("verify: OK, 2 self-tests"))
        }
        let size = try FileManager.default.attributesOfItem(atPath: large)[.size] as? Int ?? 0
        #expect((800_000...1_300_000).contains(size), "the large model is about 1 MB: \(size) bytes")

        let frames = Self.frameText(count: 1000, seed: 92)
        #expect(frames.split(separator: 0x0A).allSatisfy { $0.split(separator: 0x2C).count == 9 }, "9 values a line")
        let outcome = try RecurRunProcess.run([stream], stdin: frames)
        #expect(outcome.status == 0)
        #expect(outcome.err.isEmpty, "the generated frames are well formed: \(outcome.err)")
        #expect(outcome.outLines.count == (1000 - 128) / 64 + 1)

        if ProcessInfo.processInfo.environment["RECUR_BENCH_DIR"] != nil {
            try Data(Self.frameText(count: 1_000_000, seed: 93))
                .write(to: URL(fileURLWithPath: directory + "/frames-1m.csv"))
        }
    }
}
