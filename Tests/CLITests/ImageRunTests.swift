import Foundation
import RecurRuntime
import Testing

/// recur-run on an image-to-text model (the committed golden file of the runtime tests): one
/// image path per line, greedy and beam decoding, --render, --json, the images it must skip with
/// outputs kept aligned, --strict, --info and --verify — each against the same computation done
/// in-process with the Runtime.
@Suite("recur-run image to text")
struct ImageRunTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RuntimeTests/Fixtures/image-to-text-golden.rnnz").path

    static func run(_ arguments: [String], _ input: String) throws -> RecurRunProcess.Outcome {
        try RecurRunProcess.run([path] + arguments, stdin: Array(input.utf8))
    }

    /// A directory with `count` seeded 8×9 PPM images (the golden model's size), `bad.ppm` of
    /// another size, `text.txt` that is no image and `cut.ppm` with a short raster.
    static func images(_ count: Int) throws -> (directory: URL, paths: [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recur-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var state: UInt32 = 12345
        var paths: [String] = []
        for k in 0..<count {
            var bytes = Array("P6\n# image \(k)\n8 9\n255\n".utf8)
            for _ in 0..<(8 * 9 * 3) {
                state = state &* 1_103_515_245 &+ 12345
                bytes.append(UInt8(truncatingIfNeeded: state >> 16))
            }
            let url = directory.appendingPathComponent("\(k).ppm")
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }
        try Data(Array("P6 4 4 255\n".utf8) + [UInt8](repeating: 9, count: 48)).write(to: directory.appendingPathComponent("bad.ppm"))
        try Data("not an image\n".utf8).write(to: directory.appendingPathComponent("text.txt"))
        try Data(Array("P6 8 9 255\n".utf8) + [1, 2, 3]).write(to: directory.appendingPathComponent("cut.ppm"))
        return (directory, paths)
    }

    /// The greedy text of the image at `path`, in-process.
    static func expected(_ path: String, render: Bool = false) throws -> String {
        let model = try Model(contentsOf: Self.path)
        let translator = try model.makeTranslator()
        let image = try Netpbm.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let translation = try translator.greedy(image: image.floats())
        return render ? translator.render(translation)! : translator.targetTokenizer.decode(translation.tokens)
    }

    @Test("one output line per image path, as the Runtime decodes in-process; --render prints the render table's text")
    func lines() throws {
        let (directory, paths) = try Self.images(4)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try Self.run([], paths.joined(separator: "\n") + "\n")
        #expect(outcome.status == 0, "\(outcome.err)")
        #expect(outcome.err.isEmpty)
        #expect(outcome.outLines == (try paths.map { try Self.expected($0) }))
        #expect(Set(outcome.outLines).count > 1, "the seeded images should not all decode alike")
        let rendered = try Self.run(["--render"], paths.joined(separator: "\n"))
        #expect(rendered.status == 0, "\(rendered.err)")
        #expect(rendered.out == (try paths.map { try Self.expected($0, render: true) + "\n" }.joined()))
        #expect(rendered.out.hasPrefix("<p>"))
    }

    @Test("--beam 3 --nbest 2 and --json decode as the Runtime's beam")
    func beamAndJSON() throws {
        let (directory, paths) = try Self.images(1)
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try Model(contentsOf: Self.path)
        let translator = try model.makeTranslator(beamWidth: 3)
        let image = try Netpbm.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: paths[0])))).floats()
        let best = try translator.beam(image: image, width: 3, best: 2)
        let outcome = try Self.run(["--beam", "3", "--nbest", "2"], paths[0] + "\n")
        #expect(outcome.status == 0, "\(outcome.err)")
        #expect(outcome.outLines.count == 3 && outcome.outLines[2].isEmpty)
        for (line, result) in zip(outcome.outLines, best) {
            #expect(line.hasSuffix("\t" + translator.targetTokenizer.decode(result.tokens)))
        }
        let json = try Self.run(["--json"], paths[0] + "\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.dropLast())) as? [String: Any])
        #expect(object["line"] as? Int == 1)
        #expect(object["text"] as? String == (try Self.expected(paths[0])))
    }

    @Test("missing, non-image, cut and wrongly sized files are named and skipped, outputs aligned; --strict stops with 65")
    func badImages() throws {
        let (directory, paths) = try Self.images(2)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = ["missing.ppm", "text.txt", "cut.ppm", "bad.ppm"].map { directory.appendingPathComponent($0).path }
        let input = ([paths[0]] + bad + [paths[1]]).joined(separator: "\n") + "\n"
        let outcome = try Self.run([], input)
        #expect(outcome.status == 0, "\(outcome.err)")
        #expect(outcome.outLines == [try Self.expected(paths[0]), "", "", "", "", try Self.expected(paths[1])])
        #expect(outcome.errLines.count == 4)
        #expect(outcome.errLines[0].contains("line 2: \(bad[0]): cannot read"))
        #expect(outcome.errLines[1].contains("line 3: \(bad[1]): bad image: not a PGM or PPM image"))
        #expect(outcome.errLines[2].contains("line 4: \(bad[2]): bad image: the raster is cut short"))
        #expect(outcome.errLines[3].contains("line 5: \(bad[3]): the image is 4 wide, 4 high, 3 channels; the model takes 8 wide, 9 high, 3 channels"))
        let strict = try Self.run(["--strict"], input)
        #expect(strict.status == 65)
        #expect(strict.outLines == [try Self.expected(paths[0])])
    }

    @Test("--info describes the image, the encoder and the render table; --verify passes; --truncate and --render misuse are usage errors")
    func checks() throws {
        let info = try Self.run(["--info"], "")
        #expect(info.status == 0, "\(info.err)")
        #expect(info.out.contains("task: image_to_text"))
        #expect(info.out.contains("input: 9×8 (height×width) images, 3 channels (binary PPM), values sample/maxval"))
        #expect(info.out.contains("  0 conv2d 3×2 stride 2×1 pad 1×0, 3 -> 5 int8 (9×8 -> 5×7)"))
        #expect(info.out.contains("render: "))
        let verify = try Self.run(["--verify"], "")
        #expect(verify.status == 0 && verify.out.hasPrefix("verify: OK, 2 self-tests"), "\(verify.err)")
        #expect(try Self.run(["--truncate"], "").status == 64)
        let seq2seq = URL(fileURLWithPath: Self.path).deletingLastPathComponent().appendingPathComponent("text-classifier-golden.rnnz").path
        #expect(try RecurRunProcess.run([seq2seq, "--render"], stdin: []).status == 64)
    }
}
