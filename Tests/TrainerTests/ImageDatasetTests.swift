import Foundation
import Testing
@testable import Trainer

/// The generated data sets: deterministic per seed, and the directory `recur gen` writes.
@Suite struct ImageDatasetTests {
    func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "recur-images-\(UUID().uuidString)"
    }

    @Test("the same seed gives the same bytes; another seed other data", arguments: ImageDataset.Generator.allCases)
    func determinism(generator: ImageDataset.Generator) {
        let a = ImageDataset.examples(generator, seed: 7, count: 20)
        let b = ImageDataset.examples(generator, seed: 7, count: 20)
        let c = ImageDataset.examples(generator, seed: 8, count: 20)
        #expect(a.map { $0.image.netpbm() } == b.map { $0.image.netpbm() })
        #expect(a.map(\.target) == b.map(\.target))
        #expect(a.map { $0.image.netpbm() } != c.map { $0.image.netpbm() })
        #expect(a.map(\.target) != c.map(\.target))
        // A longer data set starts with the shorter one.
        #expect(Array(ImageDataset.examples(generator, seed: 7, count: 30).prefix(20)) == a)
        // Within one data set the examples differ.
        #expect(Set(a.map { $0.image.samples }).count == 20)
        #expect(a.allSatisfy { $0.image.width == generator.width && $0.image.height == generator.height
            && $0.image.channels == generator.channels })
    }

    @Test("the directory holds the manifest, the images and info.json; nothing else is left")
    func writeDirectory() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ImageDataset.write(.gui, seed: 3, count: 5, to: directory, force: false)
        let manifest = try String(contentsOfFile: directory + "/manifest.tsv", encoding: .utf8)
        let lines = manifest.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let examples = ImageDataset.examples(.gui, seed: 3, count: 5)
        #expect(lines.map { $0[0] } == (1...5).map { "images/00000\($0).pgm" })
        #expect(lines.map { $0[1] } == examples.map(\.target))
        for (line, example) in zip(lines, examples) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + line[0]))
            #expect([UInt8](bytes) == example.image.netpbm())
            #expect(bytes.count == "P5\n96 96\n255\n".utf8.count + 96 * 96)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let info = try decoder.decode(ImageDataset.Info.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/info.json")))
        #expect(info.maxTokens == 40)
        #expect(info.generator == .gui && info.seed == 3 && info.count == 5 && info.width == 96 && info.channels == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + ".tmp"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["images", "info.json", "manifest.tsv"])
    }

    @Test("an existing non-empty directory is refused unless forced; forcing replaces it whole")
    func refuseExisting() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ImageDataset.write(.scenes, seed: 1, count: 3, to: directory, force: false)
        #expect(throws: ImageDatasetError.notEmpty(path: directory)) {
            try ImageDataset.write(.scenes, seed: 2, count: 2, to: directory, force: false)
        }
        // A trailing slash names the same directory.
        try ImageDataset.write(.scenes, seed: 2, count: 2, to: directory + "/", force: true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/images").sorted() == ["000001.ppm", "000002.ppm"])
        #expect(!FileManager.default.fileExists(atPath: directory + ".tmp"))
        let file = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: ImageDatasetError.notADirectory(path: file)) {
            try ImageDataset.write(.scenes, seed: 2, count: 2, to: file, force: true)
        }
    }
}
