import Foundation
import RecurRuntime
import Testing
import TestSupport
@testable import Trainer

/// The runtime's stream preprocessor (gravity_split_iir2): stream == offline,
/// measured frequency and step response, and coefficient validation.
@Suite("HAR stream preprocessor")
struct HARPreprocessorTests {
    static let coefficients = GravityFilterDesign.butterworthLowPass(cutoffHz: 0.3, sampleRateHz: 50)

    /// A seeded random raw recording: gravity-like acc plus noise, gyro noise.
    static func randomRecording(frames: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        var samples: [Float] = []
        for step in 0..<frames {
            let phase = Float(step) * 0.05
            samples += [0.2 * sin(phase) + generator.uniform(-0.3, 0.3), 0.9 + generator.uniform(-0.3, 0.3),
                        0.3 * cos(phase) + generator.uniform(-0.3, 0.3)]
            samples += generator.uniforms(3, -2, 2)
        }
        return samples
    }

    /// Runs a preprocessor over frames, in order.
    static func run(_ preprocessor: inout StreamPreprocessor, _ raw: [Float]) -> [Float] {
        let frames = raw.count / 6
        var output = [Float](repeating: .nan, count: frames * 9)
        raw.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                for step in 0..<frames {
                    preprocessor.process(raw: input.baseAddress! + step * 6, into: out.baseAddress! + step * 9)
                }
            }
        }
        return output
    }

    static func make() throws -> StreamPreprocessor {
        try StreamPreprocessor(kind: .gravitySplitIIR2, coefficients: coefficients)
    }

    @Test("Designed coefficients: 2nd-order Butterworth at 0.3 Hz, Σb = 1 + a1 + a2")
    func design() {
        let c = Self.coefficients
        #expect(c.count == 5 && c[1] == 2 * c[0] && c[2] == c[0])
        #expect(abs(c[3] - -1.9466976) < 1e-6 && abs(c[4] - 0.94808173) < 1e-6)
        // DC gain exactly representable: the b's sum to the a-side denominator to f32 rounding.
        let gain = Double(c[0] + c[1] + c[2]) / (1 + Double(c[3]) + Double(c[4]))
        #expect(abs(gain - 1) < 1e-6)
    }

    @Test("Frame by frame in random chunks equals one pass, bit for bit; and equals an f64 reference")
    func streamEqualsWhole() throws {
        let raw = Self.randomRecording(frames: 3000, seed: 0x4841_5231)
        var whole = try Self.make()
        let reference = Self.run(&whole, raw)

        // The same stream fed in chunks of random sizes, with the preprocessor copied
        // between chunks (value semantics: the state travels with the value).
        var generator = SeededGenerator(seed: 7)
        var chunked: [Float] = []
        var preprocessor = try Self.make()
        var position = 0
        while position < 3000 {
            let size = min(Int.random(in: 1...257, using: &generator), 3000 - position)
            var copy = preprocessor
            chunked += Self.run(&copy, Array(raw[(position * 6)..<((position + size) * 6)]))
            preprocessor = copy
            position += size
        }
        #expect(chunked == reference)

        // An independent offline filter in f64 (direct form I over the whole recording,
        // starting at steady state for the first sample) agrees to f32 rounding.
        let c = Self.coefficients.map(Double.init)
        for axis in 0..<3 {
            let x = (0..<3000).map { Double(raw[$0 * 6 + axis]) }
            var y = [Double](repeating: 0, count: 3000)
            let gain = (c[0] + c[1] + c[2]) / (1 + c[3] + c[4])
            for n in 0..<3000 {
                let x1 = n >= 1 ? x[n - 1] : x[0], x2 = n >= 2 ? x[n - 2] : x[0]
                let y1 = n >= 1 ? y[n - 1] : gain * x[0], y2 = n >= 2 ? y[n - 2] : gain * x[0]
                // y[n] = b0·x[n] + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2]
                y[n] = c[0] * x[n] + c[1] * x1 + c[2] * x2 - c[3] * y1 - c[4] * y2
            }
            let worst = (0..<3000).map { abs(Double(reference[$0 * 9 + 6 + axis]) - y[$0]) }.max()!
            #expect(worst < 2e-5, "axis \(axis): max |f32 stream − f64 offline| = \(worst)")
        }
    }

    @Test("Output layout: body + gravity = acc (to f32 rounding), gyro passes through unchanged")
    func layout() throws {
        let raw = Self.randomRecording(frames: 200, seed: 3)
        var preprocessor = try Self.make()
        #expect(preprocessor.inputSize == 6 && preprocessor.outputSize == 9)
        let out = Self.run(&preprocessor, raw)
        for step in 0..<200 {
            for axis in 0..<3 {
                #expect(abs(out[step * 9 + axis] + out[step * 9 + 6 + axis] - raw[step * 6 + axis]) <= 1e-6)
                #expect(out[step * 9 + 3 + axis] == raw[step * 6 + 3 + axis])
            }
        }
    }

    @Test("A still phone: gravity is exact from the first frame, body acceleration zero")
    func steadyStart() throws {
        var preprocessor = try Self.make()
        var still: [Float] = []
        for _ in 0..<100 { still += [0.1, -0.98, 0.15, 0, 0, 0] }
        let out = Self.run(&preprocessor, still)
        for step in 0..<100 {
            #expect(Array(out[(step * 9)..<(step * 9 + 9)]) == [0, 0, 0, 0, 0, 0, 0.1, -0.98, 0.15])
        }
    }

    @Test("Step response measured: ~4.3% overshoot, 10–90% rise ≈ 1.1 s, DC gain 1")
    func stepResponse() throws {
        var preprocessor = try Self.make()
        // Still at 0 for 1 frame (the filter settles at 0), then a unit step on acc_x for 20 s.
        var raw = [Float](repeating: 0, count: 6)
        for _ in 0..<1000 { raw += [1, 0, 0, 0, 0, 0] }
        let out = Self.run(&preprocessor, raw)
        let gravity = (1...1000).map { out[$0 * 9 + 6] }
        let overshoot = gravity.max()! - 1
        let t10 = Double(gravity.firstIndex { $0 >= 0.1 }!) / 50
        let t90 = Double(gravity.firstIndex { $0 >= 0.9 }!) / 50
        #expect(overshoot > 0.035 && overshoot < 0.05, "overshoot \(overshoot)")
        #expect(t90 - t10 > 0.9 && t90 - t10 < 1.4, "rise \(t90 - t10) s")
        // DC gain after 20 s: gravity passes, body acceleration decays to zero.
        #expect(abs(gravity.last! - 1) < 1e-4 && abs(out[1000 * 9]) < 1e-4)
    }

    /// Amplitude of the gravity channel's response to a unit sinusoid of `hertz`
    /// on acc_x, measured over whole periods after 20 s of settling.
    static func measuredGain(hertz: Double) throws -> Double {
        var preprocessor = try make()
        let frames = 50 * 40
        var raw: [Float] = []
        for n in 0..<frames {
            raw += [Float(sin(2 * Double.pi * hertz * Double(n) / 50)), 1, 0, 0, 0, 0]
        }
        let out = run(&preprocessor, raw)
        return (1000..<frames).map { abs(Double(out[$0 * 9 + 6])) }.max()!
    }

    @Test("Frequency response measured in the stream: −3 dB at 0.3 Hz, ≥ 45 dB down at 5 Hz")
    func frequencyResponse() throws {
        let at03 = 20 * log10(try Self.measuredGain(hertz: 0.3))
        let at5 = 20 * log10(try Self.measuredGain(hertz: 5))
        #expect(abs(at03 + 3.01) < 0.1, "0.3 Hz: \(at03) dB")
        #expect(at5 < -45, "5 Hz: \(at5) dB")
    }

    @Test("reset() forgets the stream: a second pass equals a fresh preprocessor")
    func reset() throws {
        let raw = Self.randomRecording(frames: 500, seed: 11)
        var preprocessor = try Self.make()
        let first = Self.run(&preprocessor, raw)
        _ = Self.run(&preprocessor, Self.randomRecording(frames: 77, seed: 12))
        preprocessor.reset()
        #expect(Self.run(&preprocessor, raw) == first)
    }

    @Test("Bad kind names and coefficients are refused with the key named")
    func validation() {
        #expect(throws: RecurError.badKeyValue(key: "recur.preprocess", reason: "unknown preprocessor \"median5\" (known: gravity_split_iir2)")) {
            try PreprocessKind(name: "median5")
        }
        #expect((try? PreprocessKind(name: "gravity_split_iir2")) == .gravitySplitIIR2)
        let good = Self.coefficients
        let bad: [(String, [Float])] = [
            ("four values", Array(good.prefix(4))),
            ("NaN", [good[0], .nan, good[2], good[3], good[4]]),
            ("unstable (a2 = 1.01)", [good[0], good[1], good[2], good[3], 1.01]),
            ("gain 2", [2 * good[0], 2 * good[1], 2 * good[2], good[3], good[4]]),
        ]
        for (what, coefficients) in bad {
            do {
                _ = try StreamPreprocessor(kind: .gravitySplitIIR2, coefficients: coefficients)
                Issue.record("\(what) accepted")
            } catch {
                guard case let .badKeyValue(key, _) = error else { Issue.record("\(what): \(error)"); continue }
                #expect(key == "recur.preprocess.coefficients", "\(what)")
            }
        }
    }
}
