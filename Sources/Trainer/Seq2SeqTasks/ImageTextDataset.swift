import Foundation
import RecurRuntime

/// One image → text dataset directory, as `recur gen …` writes it and `recur train image2text`
/// reads it (IMAGE_SPEC "Dataset directory").
///
/// `DIR/manifest.tsv`: UTF-8, one example per line, `relative/path.pgm<TAB>target text`, read by
/// `TextTSV` (field 1 the path, field 2 the target; blank lines skipped, malformed ones named
/// `file:line`). The target's tokens are separated by spaces. Each path is relative to DIR and
/// names a binary PGM (1 channel) or PPM (3 channels) read by the Runtime's `Netpbm`; every image
/// of a dataset has the same size and channel count. Pixels become sample / maxval (NHWC).
/// `DIR/info.json`, when present, is not read.
public struct ImageTextDataset: Sendable {
    /// One image with its target.
    public struct Example: Sendable, Equatable {
        /// H·W·C floats, NHWC.
        public var image: [Float]
        /// The target's tokens (≥ 1).
        public var tokens: [String]
        /// `manifest.tsv:line`, for messages.
        public var origin: String
    }

    /// The directory read.
    public var directory: String
    /// H × W × C of every image.
    public var shape: ImageShape
    public var examples: [Example]

    /// Reads `directory`; with `shape` given, every image must have it (a validation or test set
    /// must match the training images).
    ///
    /// - Throws: `Seq2SeqDataError` naming the manifest line, or the image file and its line, when
    ///   the manifest is missing or malformed, an image cannot be read or parsed, a target is
    ///   empty, or the sizes differ.
    public static func read(_ directory: String, shape expected: ImageShape? = nil) throws -> ImageTextDataset {
        let manifest = (directory as NSString).appendingPathComponent("manifest.tsv")
        if !FileManager.default.fileExists(atPath: manifest) {
            throw Seq2SeqDataError("\(directory): no manifest.tsv (an image → text dataset has one "
                + "`image.pgm<TAB>target tokens` line per example)")
        }
        var options = TextTSV.Options()
        options.textField = 1
        options.labelField = 2
        let lines: [TextTSV.Line]
        do { lines = try TextTSV.read(manifest, options: options) } catch { throw Seq2SeqDataError(error.description) }
        var shape = expected
        var examples: [Example] = []
        examples.reserveCapacity(lines.count)
        for line in lines {
            let relative = line.text.trimmingCharacters(in: .whitespaces)
            let path = relative.hasPrefix("/") ? relative : (directory as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Seq2SeqDataError("\(path) (\(line.origin)): cannot read the image file")
            }
            let image: NetpbmImage
            do { image = try Netpbm.parse([UInt8](data)) } catch {
                throw Seq2SeqDataError("\(path) (\(line.origin)): \(error)")
            }
            let size = ImageShape(height: image.height, width: image.width, channels: image.channels)
            if let shape, shape != size {
                throw Seq2SeqDataError("\(path) (\(line.origin)): the image is \(size) (height×width×channels), "
                    + "the dataset's images are \(shape)" + (expected != nil ? " (as the training images)" : ""))
            }
            shape = size
            let tokens = line.label.split(separator: " ").map(String.init)
            examples.append(Example(image: image.floats(), tokens: tokens, origin: line.origin))
        }
        guard let shape else { throw Seq2SeqDataError("\(manifest): no example") }
        return ImageTextDataset(directory: directory, shape: shape, examples: examples)
    }
}
