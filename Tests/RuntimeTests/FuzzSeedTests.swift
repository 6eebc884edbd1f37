import Foundation
import RecurRuntime
import Testing
import Trainer

/// The fuzz targets' committed inputs (Fuzzing/seeds and Fuzzing/regressions, docs/FUZZING.md)
/// through the same library entry points as the targets, in the regular suite: a seed the
/// readers refuse after a format change would leave the fuzzers mutating files that fail at the
/// first check, and a regression input must keep loading (or being refused) without a trap.
/// After a deliberate format change: `scripts/fuzz-seeds`.
@Suite("Fuzz seeds")
struct FuzzSeedTests {
    static let fuzzing = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzzing").standardizedFileURL
    static let seeds = fuzzing.appendingPathComponent("seeds")

    /// The files of `folder` under `root` (none when it does not exist), by name.
    static func files(_ folder: String, in root: URL = seeds, suffix: String = "") -> [URL] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    @Test("every .rnnz seed loads and verifies, every task is present, and each has its uncompressed twin")
    func seedsLoad() throws {
        let models = Self.files("rnnz", suffix: ".rnnz")
        var tasks: Set<String> = []
        for url in models {
            let name = url.deletingPathExtension().lastPathComponent
            let model = try Model(contentsOf: url.path)
            tasks.insert(model.task.rawValue)
            let report = try model.verifySelfTests()
            #expect(report.cases > 0, "\(name) has no self-tests")

            let folder = model.task == .seq2seq ? "seq2seq" : "model"
            let twin = Self.seeds.appendingPathComponent("\(folder)/\(name).gguf")
            let decompressed = try Self.bytes(url).withUnsafeBytes { (bytes) throws(RecurError) in
                try Rnnz.decompress(bytes)
            }
            #expect(try Self.bytes(twin) == [UInt8](decompressed.bytes), "\(folder)/\(name).gguf")
        }
        #expect(tasks == ["classifier", "regressor", "lm", "seq2seq", "memory_qa", "image_to_text"])
        let twins = Self.files("model", suffix: ".gguf").count + Self.files("seq2seq", suffix: ".gguf").count
        #expect(twins == models.count)
    }

    @Test("every CSV seed loads and splits into three parts with the options its first three bytes give (as fuzz-csv reads them)")
    func csvSeedsLoad() throws {
        let seeds = Self.files("csv")
        #expect(seeds.count >= 5)
        var refused = 0
        for url in seeds {
            let input = try Self.bytes(url)
            do {
                let table = try Self.csvTable(input)
                let split = try table.split(try Self.cutOptions(input))
                #expect(split.train.count > 0 && split.validation.count > 0 && split.test.count > 0, "\(url.lastPathComponent)")
            } catch let error as FrameDataError {
                // One seed is there for the record-length refusal; it must say so.
                #expect(url.lastPathComponent == "short-records", "\(url.lastPathComponent): \(error)")
                #expect(error.description.contains("record longer than 64 bytes"), "\(error)")
                refused += 1
            }
        }
        #expect(refused == 1)
    }

    @Test("every safetensors seed parses, its values decode, and its tensors group into PyTorch modules")
    func safetensorsSeedsParse() throws {
        let seeds = Self.files("safetensors")
        #expect(seeds.count >= 4)
        var dtypes: Set<SafetensorsDType> = []
        for url in seeds {
            let file = try SafetensorsFile(bytes: Array(try Self.bytes(url).dropFirst(2)))
            for tensor in file.tensors {
                dtypes.insert(tensor.dtype)
                #expect(try file.floats(of: tensor).allSatisfy(\.isFinite), "\(url.lastPathComponent): \(tensor.name)")
            }
            let state = try TorchStateDict(file: file)
            #expect(!state.modules.isEmpty)
        }
        #expect(dtypes == [.f32, .f16, .bf16])
    }

    @Test("every regression input is loaded or refused, never a trap")
    func regressionsReplay() throws {
        let regressions = Self.fuzzing.appendingPathComponent("regressions")
        for url in Self.files("rnnz", in: regressions) {
            _ = try? Model(contentsOf: url.path).verifySelfTests()
        }
        for url in Self.files("model", in: regressions) + Self.files("seq2seq", in: regressions) {
            _ = try? Self.bytes(url).withUnsafeBytes { (bytes) throws(RecurError) in
                try Model(file: try Rnnz.decodeUncompressed(bytes)).verifySelfTests()
            }
        }
        for url in Self.files("csv", in: regressions) {
            _ = try? Self.csvTable(try Self.bytes(url))
        }
        for url in Self.files("safetensors", in: regressions) {
            var options = TorchImportOptions(task: .classifier, name: "regression")
            options.hop = 1
            _ = try? TorchImporter.run(bytes: Array(try Self.bytes(url).dropFirst(2)), options: options, to: nil)
        }
    }

    /// fuzz-csv's reading of an input: byte 0 the column roles (bit 0 regressor over `y`, else
    /// classifier over `label`; bit 1 sequences by `take`; bit 2 groups by `subject`; bit 3 inputs
    /// `x`, `z`; bit 6 64-byte records), byte 1 the chunk size - 1, byte 2 the window and hop
    /// (used by the split only); then files separated by 0xFF.
    static func csvTable(_ input: [UInt8]) throws(FrameDataError) -> FrameTable {
        guard input.count >= 3 else { throw FrameDataError("shorter than its three option bytes") }
        let flags = input[0]
        var options = FrameCSV.Options()
        if flags & 1 != 0 { options.targetColumns = ["y"] } else { options.labelColumn = "label" }
        if flags & 2 != 0 { options.sequenceColumn = "take" }
        if flags & 4 != 0 { options.groupColumn = "subject" }
        if flags & 8 != 0 { options.columns = ["x", "z"] }
        if flags & 64 != 0 { options.maxRecordBytes = 64 }
        let files = input.dropFirst(3).split(separator: 0xFF, maxSplits: 3, omittingEmptySubsequences: false)
        let inputs = files.enumerated().map { FrameCSV.Input.bytes(Array($1), name: "file\($0).csv", chunk: 1 + Int(input[1])) }
        return try FrameCSV.load(inputs: inputs, options: options)
    }

    /// fuzz-csv's cut: byte 2 the window - 1 (low nibble) and hop - 1 (high nibble, at most the
    /// window); byte 0 bit 4 segments, bit 5 the gravity split, bit 7 test group `a` and validation group `b`.
    static func cutOptions(_ input: [UInt8]) throws -> FrameCutOptions {
        var cut = FrameCutOptions()
        cut.window = 1 + Int(input[2] & 15)
        cut.hop = min(1 + Int(input[2] >> 4), cut.window)
        cut.segments = input[0] & 16 != 0
        if input[0] & 32 != 0 {
            cut.preprocessor = try StreamPreprocessor(
                kind: .gravitySplitIIR2, coefficients: GravityFilterDesign.butterworthLowPass(cutoffHz: 0.3, sampleRateHz: 50))
        }
        if input[0] & 128 != 0 {
            cut.testGroups = ["a"]
            cut.validationGroups = ["b"]
        }
        return cut
    }
}
