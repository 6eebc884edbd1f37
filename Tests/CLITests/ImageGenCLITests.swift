import Foundation
import Testing

/// `recur gen gui|scenes` and `recur gui2html` end to end: the data-set directory, the same bytes
/// from two processes, the refusal to overwrite, and the HTML from the DSL equal to the render
/// table's concatenation.
@Suite(.serialized) struct ImageGenCLITests {
    func recur(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try RecurCommandTests().recur(arguments)
        return (run.status, run.output)
    }

    func manifest(_ directory: String) throws -> [(image: String, target: String)] {
        try String(contentsOfFile: directory + "/manifest.tsv", encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t").map(String.init)
            return (fields[0], fields.count > 1 ? fields[1] : "")
        }
    }

    func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Runs `recur gen <arguments> --out directory`, expects success and returns the manifest.
    func generate(_ arguments: [String], out directory: String) throws -> [(image: String, target: String)] {
        let run = try recur(["gen"] + arguments + ["--out", directory])
        #expect(run.status == 0, "\(run.output)")
        return try manifest(directory)
    }

    /// Every image of the manifest is a binary netpbm file with `header` and `samples` bytes after it.
    func expectImages(_ examples: [(image: String, target: String)], in directory: String, header: String, samples: Int) throws {
        let headerBytes = Array(header.utf8)
        for example in examples {
            let image = try bytes(directory + "/" + example.image)
            #expect(Array(image.prefix(headerBytes.count)) == headerBytes && image.count == headerBytes.count + samples, "\(example.image)")
        }
    }

    @Test("recur gen gui writes the manifest, PGM images and info.json, the same bytes every time, and refuses to overwrite")
    func genGUI() throws {
        let temporary = try TemporaryDirectory()
        let out = temporary.path("gui")
        let examples = try generate(["gui", "--seed", "5", "--count", "3"], out: out)
        #expect(examples.map(\.image) == ["images/000001.pgm", "images/000002.pgm", "images/000003.pgm"])
        try expectImages(examples, in: out, header: "P5\n96 96\n255\n", samples: 96 * 96)
        #expect(examples.allSatisfy { $0.target.hasPrefix("header { ") })
        let info = try #require(try JSONSerialization.jsonObject(with: Data(bytes(out + "/info.json"))) as? [String: Any])
        #expect(info["generator"] as? String == "gui" && info["seed"] as? Int == 5 && info["count"] as? Int == 3)

        let refused = try recur(["gen", "gui", "--seed", "6", "--count", "3", "--out", out])
        #expect(refused.status != 0)
        #expect(refused.output.contains("\(out) exists and is not empty (--force replaces it)"))
        let again = temporary.path("again")
        _ = try generate(["gui", "--seed", "5", "--count", "3"], out: again)
        for example in examples {
            #expect(try bytes(again + "/" + example.image) == bytes(out + "/" + example.image))
        }
        #expect(try generate(["gui", "--seed", "6", "--count", "3", "--force"], out: out).map(\.target) != examples.map(\.target))
        #expect(try recur(["gen", "gui", "--count", "0", "--out", temporary.path("none")]).status != 0)
    }

    @Test("recur gen scenes writes 64x64 PPM images with English captions")
    func genScenes() throws {
        let temporary = try TemporaryDirectory()
        let out = temporary.path("scenes")
        let examples = try generate(["scenes", "--seed", "2", "--count", "4"], out: out)
        #expect(examples.count == 4)
        #expect(examples.allSatisfy { $0.image.hasSuffix(".ppm") })
        try expectImages(examples, in: out, header: "P6\n64 64\n255\n", samples: 64 * 64 * 3)
        #expect(examples.allSatisfy { $0.target.hasPrefix("a small ") || $0.target.hasPrefix("a large ") })
    }

    @Test("recur gui2html compiles a generated DSL to the render table's concatenation and refuses bad tokens by position")
    func gui2html() throws {
        let temporary = try TemporaryDirectory()
        let out = temporary.path("gui")
        let dsl = try #require(try generate(["gui", "--seed", "8", "--count", "1", "--render-table", temporary.path("table.json")], out: out).first?.target)
        try Data(dsl.utf8).write(to: URL(fileURLWithPath: temporary.path("page.gui")))
        let page = try recur(["gui2html", temporary.path("page.gui")])
        #expect(page.status == 0)
        #expect(page.output.hasPrefix("<!DOCTYPE html>") && page.output.hasSuffix("</html>\n"))

        let table = try #require(try JSONSerialization.jsonObject(with: Data(bytes(temporary.path("table.json")))) as? [String: Any])
        let before = try #require(table["before"] as? String), after = try #require(table["after"] as? String)
        let tokens = try #require(table["tokens"] as? [String: String])
        #expect(before + dsl.split(separator: " ").map { tokens[String($0)] ?? "?" }.joined() + after == page.output)
        #expect(try recur(["gui2html", "--render-table", temporary.path("alone.json")]).status == 0)
        #expect(try bytes(temporary.path("alone.json")) == bytes(temporary.path("table.json")))

        try Data("header { btn-green } row { single { text } }\n".utf8).write(to: URL(fileURLWithPath: temporary.path("bad.gui")))
        let bad = try recur(["gui2html", temporary.path("bad.gui")])
        #expect(bad.status != 0)
        #expect(bad.output.contains("bad.gui: token 3 'btn-green': expected 'btn-active' or 'btn-inactive'"))
        #expect(try recur(["gui2html", temporary.path("missing.gui")]).output.contains("cannot read"))
    }

    @Test("recur gen and gui2html have help with examples")
    func help() throws {
        for command in [["gen"], ["gen", "gui"], ["gui2html"]] {
            let run = try recur(command + ["--help"])
            #expect(run.status == 0, "\(command)")
            #expect(command == ["gen", "gui"] || run.output.contains("Examples:"), "\(command) --help has no examples")
        }
    }
}
