import RecurRuntime
import Testing
@testable import Trainer

/// The file records the in-stream preprocessing, and the runtime rebuilds from those keys
/// exactly the computation training used.
@Suite("HAR model metadata")
struct HARMetadataTests {
    /// A decoded GGUF holding the recur header and `keys` (no tensors: only metadata is read).
    private func decodedFile(_ keys: [(String, GGUFValue)]) throws -> GGUFFile {
        var builder = GGUFBuilder()
        builder.set("general.architecture", .string("recur"))
        builder.set("recur.format_version", .uint32(1))
        for (key, value) in keys { builder.set(key, value) }
        let bytes = builder.encode()
        return try bytes.withUnsafeBytes { raw throws(RecurError) in try Rnnz.decodeUncompressed(raw) }
    }

    private func trainedModel(features: HARFeatures) throws -> (HARTrainedModel, HARSplit) {
        let split = try HARDataset.load(directory: HARFixtures.hapt, options: HARWindowOptions(features: features))
        var options = TrainOptions()
        options.epochs = 1
        options.batchSize = 4
        options.threads = 1
        let trained = try HARTask.train(
            split: split, features: features, layers: [ModelSpec.Layer(cell: .lstm, hidden: 4)], seed: 7, options: options)
        return (trained, split)
    }

    @Test("Gravity split: the file's keys rebuild the training preprocessor; streaming a recording through it gives the training windows bit for bit")
    func runtimeRebuildsTrainingPreprocessor() throws {
        let features = HARFeatures.gravitySplitButterworth
        let (trained, split) = try trainedModel(features: features)
        let file = try decodedFile(trained.taskKeys(hop: 64))
        #expect(try file.string("recur.preprocess") == "gravity_split_iir2")
        #expect(try file.uint32("recur.preprocess.input_size") == 6)
        #expect(try file.uint32("recur.input.size") == 9)
        #expect(try file.floats("recur.input.mean") == trained.mean)
        #expect(try file.strings("recur.labels") == HARClassSet.basic.classNames)

        var preprocessor = try #require(try StreamPreprocessor.fromMetadata(of: file))
        guard case let .gravitySplit(coefficients) = features else { Issue.record("not a gravity split"); return }
        #expect(preprocessor.coefficients == coefficients)

        // Stream exp01 frame by frame, as recur-run does, and compare with the training windows.
        let recording = try HAPTLoader.load(directory: HARFixtures.hapt)[0]
        var streamed = [Float](repeating: 0, count: recording.count * 9)  // (samples, 9)
        recording.samples.withUnsafeBufferPointer { raw in
            streamed.withUnsafeMutableBufferPointer { out in
                for step in 0..<recording.count {
                    preprocessor.process(raw: raw.baseAddress! + step * 6, into: out.baseAddress! + step * 9)
                }
            }
        }
        var compared = 0
        for index in 0..<split.train.count where split.train.experiments[index] == recording.experiment {
            let start = split.train.starts[index]
            let window = Array(split.train.frames[(index * 128 * 9)..<((index + 1) * 128 * 9)])
            #expect(window == Array(streamed[(start * 9)..<((start + 128) * 9)]))
            compared += 1
        }
        #expect(compared == 5)
    }

    @Test("Raw features: no preprocess keys, the network reads the six raw channels")
    func rawHasNoPreprocessor() throws {
        let (trained, _) = try trainedModel(features: .raw)
        let file = try decodedFile(trained.taskKeys(hop: 64))
        #expect(try StreamPreprocessor.fromMetadata(of: file) == nil)
        #expect(try file.strings("recur.input.names") == ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"])
        #expect(try file.uint32("recur.input.size") == 6)
    }

    @Test("Inconsistent preprocess keys are refused with the key named")
    func inconsistentKeys() throws {
        let (trained, _) = try trainedModel(features: .gravitySplitButterworth)
        func refusal(replacing key: String, with value: GGUFValue?) throws -> RecurError? {
            var keys = trained.taskKeys(hop: 64).filter { $0.0 != key }
            if let value { keys.append((key, value)) }
            let file = try decodedFile(keys)
            do {
                _ = try StreamPreprocessor.fromMetadata(of: file)
                return nil
            } catch {
                return error
            }
        }
        #expect(try refusal(replacing: "recur.preprocess.output_size", with: .uint32(6))
            == .badKeyValue(key: "recur.preprocess.output_size", reason: "gravity_split_iir2 writes 9 values per frame, the file says 6"))
        #expect(try refusal(replacing: "recur.preprocess.input_size", with: .uint32(9))
            == .badKeyValue(key: "recur.preprocess.input_size", reason: "gravity_split_iir2 reads 6 values per frame, the file says 9"))
        #expect(try refusal(replacing: "recur.input.size", with: .uint32(6))
            == .badKeyValue(key: "recur.input.size", reason: "the network reads 6 values per step but gravity_split_iir2 writes 9"))
        #expect(try refusal(replacing: "recur.preprocess.coefficients", with: nil) == .missingKey("recur.preprocess.coefficients"))
        if case .badKeyValue(let key, _)? = try refusal(replacing: "recur.preprocess", with: .string("median3")) {
            #expect(key == "recur.preprocess")
        } else {
            Issue.record("an unknown preprocessor must be refused")
        }
        if case .badKeyValue(let key, _)? = try refusal(replacing: "recur.preprocess.coefficients", with: .array(.float32([1, 0, 0, 0, 0.5]))) {
            #expect(key == "recur.preprocess.coefficients")
        } else {
            Issue.record("a low-pass whose DC gain is not 1 must be refused")
        }
    }
}
