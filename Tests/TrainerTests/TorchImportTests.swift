import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// `recur import`: state dicts with each supported module, and each way a state dict can fail
/// to fit, the error naming the tensor.
@Suite struct TorchImportTests {
    func plan(_ builder: SafetensorsBuilder, _ configure: (inout TorchImportOptions) -> Void = { _ in }) throws(ImportError) -> TorchImporter.Plan {
        var options = TorchImportOptions(task: .classifier, name: "test")
        configure(&options)
        return try TorchImporter.plan(bytes: builder.bytes(), options: options)
    }

    @Test func anLSTMClassifierMapsOneToOne() throws {
        let plan = try plan(SafetensorsBuilder.lstmClassifier()) { $0.labels = ["no", "yes"]; $0.window = 4; $0.hop = 2 }
        #expect(plan.model.layers.map(\.type) == ["lstm", "dense"])
        #expect(plan.model.layers.map(\.activation) == [nil, "softmax"])
        #expect(plan.sources["enc.0.weight_hh"] == "lstm.weight_hh_l0")
        #expect(plan.sources["enc.1.bias"] == "fc.bias")
        let result = try Exporter.export(plan.model, quantized: true, selfTestInputs: plan.selfTestInputs, to: nil)
        #expect(result.model.frames?.labels == ["no", "yes"])
        #expect(result.selfTests == 3)
        #expect(result.quantization.map(\.tensor) == ["enc.0.weight_ih", "enc.0.weight_hh", "enc.1.weight"])
        _ = try result.model.verifySelfTests()
    }

    @Test func f16AndBF16WeightsAreRead() throws {
        var builder = SafetensorsBuilder()
        builder.f16("rnn.weight_ih_l0", [2, 1], [0.5, -1])
        builder.bf16("rnn.weight_hh_l0", [2, 2], [0.25, 0, 0, 0.25])
        builder.f32("rnn.bias_ih_l0", [2], [0, 0.5])
        builder.f32("rnn.bias_hh_l0", [2], [0, 0])
        builder.f32("out.weight", [1, 2], [1, 1])
        builder.f32("out.bias", [1], [0])
        let plan = try plan(builder) { $0.task = .regressor; $0.nonlinearity = "relu" }
        #expect(plan.model.layers.map(\.type) == ["rnn", "dense"])
        #expect(plan.model.layers[0].activation == "relu")
        #expect(plan.model.layers[0].tensors[0].values == [0.5, -1])
        #expect(plan.model.layers[0].tensors[1].values == [0.25, 0, 0, 0.25])
    }

    @Test func missingBiasesNameTheTensor() throws {
        var builder = SafetensorsBuilder.lstmClassifier()
        builder.entries.removeAll { $0.name == "lstm.bias_hh_l0" }
        #expect(throws: ImportError.missingTensor("lstm.bias_hh_l0", "Recur's cells need both biases (bias=True in PyTorch)")) {
            try plan(builder)
        }
        var noLinearBias = SafetensorsBuilder.lstmClassifier()
        noLinearBias.entries.removeAll { $0.name == "fc.bias" }
        do {
            _ = try plan(noLinearBias)
            Issue.record("an nn.Linear without bias was accepted")
        } catch {
            guard case .missingTensor(let tensor, _) = error else { Issue.record("\(error)"); return }
            #expect(tensor == "fc.bias")
        }
    }

    @Test func anLSTMWithProjSizeIsRefused() throws {
        var builder = SafetensorsBuilder.lstmClassifier()
        builder.random("lstm.weight_hr_l0", [2, 4], seed: 9)
        #expect(throws: ImportError.unsupported(tensor: "lstm.weight_hr_l0", "an LSTM with proj_size; Recur's LSTM has no projection")) {
            try plan(builder)
        }
    }

    @Test func aBidirectionalLayerIsRefused() throws {
        var builder = SafetensorsBuilder.lstmClassifier()
        builder.random("lstm.weight_ih_l0_reverse", [16, 3], seed: 9)
        do {
            _ = try plan(builder)
            Issue.record("a bidirectional LSTM was accepted")
        } catch {
            guard case .unsupported(let tensor, _) = error else { Issue.record("\(error)"); return }
            #expect(tensor == "lstm.weight_ih_l0_reverse")
        }
    }

    @Test func shapesThatDoNotChainNameTheTensor() throws {
        var builder = SafetensorsBuilder.lstmClassifier(hidden: 4)
        builder.entries.removeAll { $0.name.hasPrefix("fc.") }
        builder.random("fc.weight", [2, 5], seed: 5)
        builder.random("fc.bias", [2], seed: 6)
        #expect(throws: ImportError.shapesDoNotChain(
            tensor: "fc.weight", "fc takes 5 inputs but the module before it (lstm) outputs 4; give the module order with --layers")) {
            try plan(builder)
        }
        var badGates = SafetensorsBuilder()
        badGates.random("gru.weight_ih_l0", [10, 3], seed: 1)
        badGates.random("gru.weight_hh_l0", [10, 5], seed: 2)
        #expect(throws: ImportError.badShape(tensor: "gru.weight_hh_l0", expected: "[G·H, H] with G = 4 (LSTM), 3 (GRU) or 1 (RNN)",
                                             found: [10, 5])) {
            try plan(badGates)
        }
    }

    @Test func aTensorNoModuleTakesIsAnError() throws {
        var builder = SafetensorsBuilder.lstmClassifier()
        builder.random("norm.running_mean", [4], seed: 7)
        #expect(throws: ImportError.unplaceable(
            tensor: "norm.running_mean", "not a parameter of nn.LSTM, nn.GRU, nn.RNN, nn.Linear or nn.Embedding")) {
            try plan(builder)
        }
    }

    @Test func layersGivesTheOrderAndActivationsTheHiddenHead() throws {
        // Two Linear modules whose names sort the wrong way round: out (8 → 2) after proj (4 → 8).
        var builder = SafetensorsBuilder.lstmClassifier(hidden: 4)
        builder.entries.removeAll { $0.name.hasPrefix("fc.") }
        builder.random("out.weight", [2, 8], seed: 5)
        builder.random("out.bias", [2], seed: 6)
        builder.random("proj.weight", [8, 4], seed: 7)
        builder.random("proj.bias", [8], seed: 8)
        #expect(throws: ImportError.self) { try plan(builder) { $0.activations = ["relu"] } }
        #expect(throws: ImportError.self) { try plan(builder) { $0.layerOrder = ["lstm", "proj", "out"] } }
        let ordered = try plan(builder) { $0.layerOrder = ["lstm", "proj", "out"]; $0.activations = ["relu"] }
        #expect(ordered.model.layers.map(\.activation) == [nil, "relu", "softmax"])
        #expect(ordered.sources["enc.2.weight"] == "out.weight")
        #expect(throws: ImportError.unplaceable(tensor: "out.weight", "its module out is not in --layers")) {
            try self.plan(builder) { $0.layerOrder = ["lstm", "proj"]; $0.activations = [] }
        }
    }

    /// Found by fuzz-safetensors (Fuzzing/regressions/safetensors/nan-weight): a NaN weight was
    /// imported, and the model's self-tests recorded NaN outputs.
    @Test func aNonFiniteWeightNamesTheTensorAndElement() throws {
        for bad in [Float.nan, .infinity, -.infinity] {
            var builder = SafetensorsBuilder.lstmClassifier()
            builder.entries.removeAll { $0.name == "lstm.weight_hh_l0" }
            builder.f32("lstm.weight_hh_l0", [16, 4], (0..<64).map { $0 == 9 ? bad : 0.1 })
            do {
                _ = try plan(builder)
                Issue.record("a weight of \(bad) was imported")
            } catch {
                guard case .nonFinite(let tensor, let index, let value) = error else { Issue.record("\(error)"); continue }
                #expect(tensor == "lstm.weight_hh_l0" && index == 9 && value.bitPattern == bad.bitPattern)
                #expect(error.description == "tensor lstm.weight_hh_l0 holds \(bad) at element 9; weights must be finite")
            }
        }
    }

    /// Found by fuzz-safetensors (Fuzzing/regressions/safetensors/overflowing-outputs): finite
    /// weights near Float's limit gave infinite logits and NaN self-test outputs, imported as is.
    @Test func weightsWhoseOutputsOverflowAreRefused() throws {
        // relu(0·x + 1) = 1 in every unit, so the head's output is 3e38 + 4 · 3e38: infinite.
        var builder = SafetensorsBuilder()
        builder.f32("rnn.weight_ih_l0", [4, 3], [Float](repeating: 0, count: 12))
        builder.f32("rnn.weight_hh_l0", [4, 4], [Float](repeating: 0, count: 16))
        builder.f32("rnn.bias_ih_l0", [4], [1, 1, 1, 1])
        builder.f32("rnn.bias_hh_l0", [4], [0, 0, 0, 0])
        builder.f32("fc.weight", [1, 4], [Float](repeating: 3e38, count: 4))
        builder.f32("fc.bias", [1], [3e38])
        var options = TorchImportOptions(task: .regressor, name: "test")
        options.nonlinearity = "relu"
        do {
            _ = try TorchImporter.run(bytes: builder.bytes(), options: options, to: nil)
            Issue.record("weights of 3e38 were imported")
        } catch let error as ImportError {
            guard case .overflow(_, _, let largest) = error else { Issue.record("\(error)"); return }
            #expect(largest == 3e38)
            #expect(error.description.hasPrefix("the weights (up to 3e+38 in magnitude) overflow 32-bit floats"))
        }
    }

    @Test func naturalOrderComparesNumbersAsNumbers() {
        #expect(TorchImporter.naturalOrder("head.2", "head.10"))
        #expect(!TorchImporter.naturalOrder("head.10", "head.2"))
        #expect(TorchImporter.naturalOrder("fc1", "fc2"))
    }

    @Test func optionsThatDoNotFitAreErrors() throws {
        let builder = SafetensorsBuilder.lstmClassifier()
        #expect(throws: ImportError.badOption("--labels gives 3 labels but the last nn.Linear has 2 outputs")) {
            try plan(builder) { $0.labels = ["a", "b", "c"] }
        }
        #expect(throws: ImportError.badOption("--mean has 2 and --std 3 values for 3 inputs")) {
            try plan(builder) { $0.mean = [0, 0]; $0.std = [1, 1, 1] }
        }
        #expect(throws: ImportError.badOption("an lm starts with an nn.Embedding (a module with only a weight), found lstm")) {
            try plan(builder) { $0.task = .lm; $0.vocabulary = ["a", "b"] }
        }
    }
}
