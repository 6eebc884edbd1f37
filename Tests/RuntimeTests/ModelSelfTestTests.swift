import Foundation
import RecurRuntime
import Testing
import TestSupport
import Trainer

/// Self-test vectors (FORMAT.md, "Self-test vectors"): computed by the Runtime,
/// embedded, read back, and verified bit for bit; a single changed weight byte
/// makes verification fail with `selfTestMismatch`.
@Suite("Model self-tests")
struct ModelSelfTestTests {
    static func frames(_ rows: Int, _ size: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return rng.uniforms(rows * size, -2, 2)
    }

    /// A fixture, its self-test inputs, and a weight tensor to corrupt.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var storage: WeightStorage
        var corrupt: String

        var description: String { "\(name) \(storage)" }

        var fixture: ModelFixture {
            switch name {
            case "classifier": return ModelFixture.classifier(cells: ["lstm", "gru"], window: 6, hop: 4)
            case "regressor": return ModelFixture.regressor(cells: ["rnn_relu"], heads: ["tanh", "none"])
            default: return ModelFixture.lm(cells: ["gru"])
            }
        }

        var inputs: [SelfTestInput] {
            if name == "lm" { return [.tokens([0, 1, 2, 3, 6, 4]), .tokens([5])] }
            return [.frames(ModelSelfTestTests.frames(14, 3, seed: 41)), .frames(ModelSelfTestTests.frames(6, 3, seed: 42))]
        }
    }

    static let cases: [Case] = [
        Case(name: "classifier", storage: .int8, corrupt: "enc.0.weight_ih"),
        Case(name: "classifier", storage: .f32, corrupt: "enc.1.weight_hh"),
        Case(name: "regressor", storage: .int8, corrupt: "enc.2.weight"),
        Case(name: "regressor", storage: .f16, corrupt: "enc.0.weight_ih"),
        Case(name: "lm", storage: .int8, corrupt: "enc.0.weight"),
        Case(name: "lm", storage: .f32, corrupt: "enc.2.weight"),
    ]

    @Test("embedded self-tests verify, and one changed weight byte fails with selfTestMismatch", arguments: cases)
    func verifyAndDetectCorruption(testCase: Case) throws {
        let fixture = try testCase.fixture.withSelfTests(testCase.inputs, testCase.storage)
        let model = try fixture.model(testCase.storage)
        #expect(model.selfTests.count == 2)
        #expect(model.selfTests.map(\.input) == testCase.inputs)
        let report = try model.verifySelfTests()
        #expect(report.cases == 2)
        #expect(report.values == model.selfTests.reduce(0) { $0 + $1.expected.count })
        #expect(report.values > 0)
        // The scalar reference reproduces what the best path recorded.
        #expect(try model.verifySelfTests(kernels: .scalar).values == report.values)

        let corrupted = try fixture.rnnzWithChangedByte(in: testCase.corrupt, testCase.storage)
        let broken = try Model(file: try ModelFixture.decode(corrupted))
        do throws(RecurError) {
            _ = try broken.verifySelfTests()
            Issue.record("a changed byte in \(testCase.corrupt) passed verification")
        } catch {
            guard case let .selfTestMismatch(index, output, expected, found, largest) = error else {
                Issue.record("expected selfTestMismatch, got \(error)")
                return
            }
            #expect(index == 0)
            #expect(expected.bitPattern != found.bitPattern)
            #expect(largest >= abs(expected - found) && largest > 0)
            #expect(output < model.selfTests[0].expected.count)
            #expect(error.description.contains("self-test 0 differs at output \(output)"))
        }
    }

    @Test("frame self-test outputs are the results of a fresh session with the file's window and hop, concatenated")
    func frameOutputsAreSessionResults() throws {
        let model = try ModelFixture.classifier(window: 6, hop: 4).model(.int8)
        let input = Self.frames(15, 3, seed: 43)
        let session = try model.makeFrameSession()
        var expected: [Float] = []
        for row in 0..<15 {
            if let result = try session.step(Array(input[(row * 3)..<(row * 3 + 3)])) {
                expected += Array(result.outputs)
            }
        }
        // Windows end at frames 5, 9, 13: three results of four probabilities.
        #expect(expected.count == 12)
        #expect(try model.selfTestOutputs(for: .frames(input)).map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test("lm self-test outputs are the next-token probabilities after every token")
    func lmOutputsAreProbabilities() throws {
        let model = try ModelFixture.lm().model(.int8)
        let session = try model.makeLanguageSession()
        var expected: [Float] = []
        for token in [3, 1, 4] {
            try session.feed(token)
            expected += Array(session.probabilities(temperature: 1))
        }
        #expect(try model.selfTestOutputs(for: .tokens([3, 1, 4])).map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test("self-test inputs that do not fit the model are refused with their own error")
    func unfitInputs() throws {
        let classifier = try ModelFixture.classifier(window: 6, hop: 4).model(.int8)
        #expect(throws: RecurError.wrongTask(expected: "lm", found: "classifier")) {
            try classifier.selfTestOutputs(for: .tokens([1]))
        }
        #expect(throws: RecurError.wrongInputSize(expected: 3, found: 1)) {
            try classifier.selfTestOutputs(for: .frames([1, 2, 3, 4]))
        }
        #expect(throws: RecurError.badWindow(window: 6, hop: 4, reason: "5 self-test frames complete no window")) {
            try classifier.selfTestOutputs(for: .frames(Self.frames(5, 3, seed: 44)))
        }
        let lm = try ModelFixture.lm().model(.int8)
        #expect(throws: RecurError.wrongTask(expected: "classifier or regressor (frames)", found: "lm")) {
            try lm.selfTestOutputs(for: .frames([0]))
        }
        #expect(throws: RecurError.tokenOutOfRange(token: 9, vocabularySize: 7)) {
            try lm.selfTestOutputs(for: .tokens([1, 9]))
        }
    }

    @Test("self-test tensors are checked when the model loads")
    func malformedSelfTests() throws {
        let base = ModelFixture.classifier(window: 6, hop: 4)
        let good = try base.withSelfTests([.frames(Self.frames(8, 3, seed: 45))], .int8)

        var missing = good
        missing.overrides.append(("recur.selftest.count", .uint32(2)))
        #expect(try missing.loadError(.int8) == .missingTensor("selftest.1.input"))

        var wrongShape = good
        wrongShape.extraTensors[0].2 = [4, 6]
        #expect(try wrongShape.loadError(.int8) == .wrongTensorShape(tensor: "selftest.0.input", expected: [3, -1], found: [4, 6]))

        var wrongType = good
        wrongType.extraTensors[1].1 = .i32
        #expect(try wrongType.loadError(.int8) == .wrongTensorType(tensor: "selftest.0.output", expected: "F32", found: "I32"))

        let lm = try ModelFixture.lm().withSelfTests([.tokens([1, 2])], .int8)
        var badToken = lm
        badToken.extraTensors[0].3 = ModelFixture.littleEndianBytes([1, 70])
        #expect(try badToken.loadError(.int8)
            == .badKeyValue(key: "selftest.0.input", reason: "token 70 at 1 is outside the vocabulary of 7"))
    }

    @Test("Model(contentsOf:) reads a file the writer wrote and verifies it; a missing file is fileUnreadable")
    func fromDisk() throws {
        let fixture = try ModelFixture.classifier(window: 6, hop: 4)
            .withSelfTests([.frames(Self.frames(10, 3, seed: 46))], .int8)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("recur-model-selftest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.rnnz").path
        try RnnzWriter.write(fixture.gguf(.int8), to: path)
        let model = try Model(contentsOf: path)
        #expect(model.task == .classifier && model.name == "fixture")
        #expect(try model.verifySelfTests().cases == 1)

        let missingPath = directory.appendingPathComponent("absent.rnnz").path
        do throws(RecurError) {
            _ = try Model(contentsOf: missingPath)
            Issue.record("a missing file loaded")
        } catch {
            guard case let .fileUnreadable(reported, _) = error else {
                Issue.record("expected fileUnreadable, got \(error)")
                return
            }
            #expect(reported == missingPath)
        }
    }
}
