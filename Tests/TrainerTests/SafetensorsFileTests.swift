import Foundation
import Testing
@testable import Trainer

/// The safetensors reader on good files and on each kind of bad one, every error naming the tensor.
@Suite struct SafetensorsFileTests {
    @Test func readsF32F16AndBF16Exactly() throws {
        var builder = SafetensorsBuilder()
        builder.f32("a", [2, 2], [1.5, -2.25, 0, 3e-8])
        builder.f16("b", [3], [0.5, -65504, 6.103515625e-05])
        builder.bf16("c", [2], [1.0, -0.015625])
        let file = try SafetensorsFile(bytes: builder.bytes())
        #expect(file.tensors.map(\.name) == ["a", "b", "c"])
        #expect(try file.floats(of: file.tensor(named: "a")) == [1.5, -2.25, 0, 3e-8])
        #expect(try file.floats(of: file.tensor(named: "b")) == [0.5, -65504, 6.103515625e-05])
        #expect(try file.floats(of: file.tensor(named: "c")) == [1.0, -0.015625])
        #expect(try file.tensor(named: "a").shape == [2, 2])
    }

    @Test func readsMetadataAndAnEmptyFile() throws {
        let header = Array(#"{"__metadata__":{"format":"pt"}}"#.utf8)
        let file = try SafetensorsFile(bytes: SafetensorsBuilder.file(header: header, data: []))
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors.isEmpty)
    }

    @Test func aTruncatedFileIsRefused() throws {
        let good = SafetensorsBuilder.lstmClassifier().bytes()
        #expect(throws: SafetensorsError.truncated("the file is 5 bytes; it starts with an 8-byte header length")) {
            try SafetensorsFile(bytes: Array(good.prefix(5)))
        }
        // Cut inside the header: the header length runs past the end.
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: Array(good.prefix(40))) }
        // Cut inside the data: the last tensor's offsets leave the data section.
        do {
            _ = try SafetensorsFile(bytes: Array(good.dropLast(4)))
            Issue.record("a file missing its last 4 bytes was accepted")
        } catch let error {
            guard case .badOffsets(let tensor, let detail) = error else { Issue.record("\(error)"); return }
            #expect(tensor == "fc.bias" && detail.contains("end past the data section"))
        }
    }

    @Test func offsetsOutOfRangeNameTheTensor() throws {
        let bytes = SafetensorsBuilder.lstmClassifier().bytes { header in
            header["fc.bias"] = ["dtype": "F32", "shape": [2], "data_offsets": [1 << 40, (1 << 40) + 8]]
        }
        #expect(throws: SafetensorsError.badOffsets(tensor: "fc.bias",
                                                    "data_offsets [1099511627776, 1099511627784] end past the data section's 616 bytes")) {
            try SafetensorsFile(bytes: bytes)
        }
    }

    @Test func shapeAndOffsetsMustAgreeAndTileTheData() throws {
        var builder = SafetensorsBuilder()
        builder.f32("x", [2], [1, 2])
        builder.f32("y", [2], [3, 4])
        let wrongSize = builder.bytes { $0["y"] = ["dtype": "F32", "shape": [3], "data_offsets": [8, 16]] }
        #expect(throws: SafetensorsError.badOffsets(tensor: "y", "shape [3] of F32 is 12 bytes but data_offsets [8, 16] hold 8")) {
            try SafetensorsFile(bytes: wrongSize)
        }
        let overlap = builder.bytes { $0["y"] = ["dtype": "F32", "shape": [1], "data_offsets": [4, 8]] }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: overlap) }
        let huge = builder.bytes { $0["y"] = ["dtype": "F32", "shape": [1 << 40, 1 << 40], "data_offsets": [8, 16]] }
        #expect(throws: SafetensorsError.badOffsets(tensor: "y", "shape [1099511627776, 1099511627776] needs more bytes than the data section's 16")) {
            try SafetensorsFile(bytes: huge)
        }
        let negative = builder.bytes { $0["y"] = ["dtype": "F32", "shape": [-2], "data_offsets": [8, 16]] }
        #expect(throws: SafetensorsError.badEntry(tensor: "y", "shape [-2] holds a negative dimension")) {
            try SafetensorsFile(bytes: negative)
        }
        for bad: Any in [[1.5], [true], ["2"], [1e30]] {
            let typed = builder.bytes { $0["y"] = ["dtype": "F32", "shape": bad, "data_offsets": [8, 16]] }
            do {
                _ = try SafetensorsFile(bytes: typed)
                Issue.record("shape \(bad) was accepted")
            } catch {
                guard case .badEntry(let tensor, let detail) = error else { Issue.record("\(error)"); continue }
                #expect(tensor == "y" && detail.hasPrefix("shape"), "\(detail)")
            }
        }
    }

    @Test func anUnknownDTypeNamesTheTensor() throws {
        let bytes = SafetensorsBuilder.lstmClassifier().bytes { header in
            header["fc.bias"] = ["dtype": "Q4_K", "shape": [2], "data_offsets": [608, 616]]
        }
        #expect(throws: SafetensorsError.unknownDType(tensor: "fc.bias", dtype: "Q4_K")) { try SafetensorsFile(bytes: bytes) }
    }

    @Test func integerTensorsAreNotWeights() throws {
        var builder = SafetensorsBuilder()
        builder.entries.append(.init(name: "steps", dtype: "I64", shape: [1], data: [1, 0, 0, 0, 0, 0, 0, 0]))
        let file = try SafetensorsFile(bytes: builder.bytes())
        #expect(throws: SafetensorsError.unsupportedDType(tensor: "steps", dtype: "I64")) { try file.floats(of: file.tensors[0]) }
    }

    @Test func aHeaderThatIsNotJSONIsRefused() throws {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: SafetensorsBuilder.file(header: Array("{\"a\":".utf8), data: [])) }
        #expect(throws: SafetensorsError.badHeader("the header is not a JSON object")) {
            try SafetensorsFile(bytes: SafetensorsBuilder.file(header: Array("[1, 2]".utf8), data: []))
        }
        var huge: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x7F]
        huge += [UInt8](repeating: 0, count: 8)
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: huge) }
    }
}
