import ArgumentParser
import Foundation
import Trainer

/// `recur gen gui|scenes`: writes a generated image → text data set (docs/IMAGES.md).
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate an image → text data set: GUI sketches with their DSL, or shape scenes with captions.",
        discussion: """
            Writes DIR/manifest.tsv (images/000001.pgm<TAB>target tokens), DIR/images/ (binary PGM \
            or PPM) and DIR/info.json. The data is generated: no real screenshots, photographs or \
            human captions. The same seed gives the same bytes; use another seed for held-out data.

            Examples:
              recur gen gui --seed 1 --count 20000 --out gui-train
              recur gen gui --seed 2 --count 1000 --out gui-test --render-table gui-render.json
              recur gen scenes --seed 1 --count 20000 --out scenes-train
            """,
        subcommands: [GenGUI.self, GenScenes.self])
}

/// The options both generators take.
struct GenOptions: ParsableArguments {
    @Option(help: "Seed of the generator (same seed, same data set).")
    var seed: UInt64 = 1
    @Option(help: "Number of examples.")
    var count: Int
    @Option(help: "Output directory (written as DIR.tmp, then renamed).")
    var out: String
    @Flag(help: "Replace an existing non-empty output directory.")
    var force = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1 (got \(count))") }
    }

    func write(_ generator: ImageDataset.Generator, maxTokens: Int = 40) throws {
        do {
            try ImageDataset.write(generator, seed: seed, count: count, maxTokens: maxTokens, to: out, force: force)
        } catch {
            throw CLIError(error.description)
        }
        print("\(out): \(count) \(generator.rawValue) examples, \(generator.width)x\(generator.height) "
            + "\(generator.channels == 1 ? "grey (PGM)" : "RGB (PPM)"), seed \(seed)")
    }
}

/// `recur gen gui`.
struct GenGUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gui",
        abstract: "GUI sketches (96x96 grey PGM) with their DSL token sequences (pix2code-style).")

    @OptionGroup var options: GenOptions
    @Option(help: "Longest DSL target in tokens, braces included (at least \(GUIGenerator.minimumTokens)).")
    var maxTokens = 40
    @Option(help: "Also write the DSL → HTML render table (JSON) to this file.")
    var renderTable: String?

    func validate() throws {
        guard maxTokens >= GUIGenerator.minimumTokens else {
            throw ValidationError("--max-tokens must be at least \(GUIGenerator.minimumTokens) (got \(maxTokens))")
        }
    }

    func run() throws {
        try options.write(.gui, maxTokens: maxTokens)
        if let renderTable { try GUI2HTMLCommand.writeRenderTable(to: renderTable) }
    }
}

/// `recur gen scenes`.
struct GenScenes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenes",
        abstract: "Shape scenes (64x64 RGB PPM) with English captions, e.g. \"a large red circle left of a small blue square\".")

    @OptionGroup var options: GenOptions

    func run() throws {
        try options.write(.scenes)
    }
}
