import Foundation

/// MNIST's IDX files as a `FrameTable` of images read row by row: each image is one sequence of
/// 28 frames (its rows, top to bottom) of 28 pixel values (0–255, left to right), labelled with
/// its digit. The 10,000 `t10k` images are the test part; the split carves validation images from
/// the 60,000 training images.
///
/// The folder holds `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`
/// and `t10k-labels-idx1-ubyte`, each raw or gzip-compressed (`.gz`). Gzip files are decompressed by
/// the system's `gzip -dc` (the trainer links no zlib).
public enum MNISTLoader {
    public static let classNames = (0...9).map(String.init)
    public static let side = 28

    public static func load(directory: String) throws(FrameDataError) -> FrameTable {
        var sequences: [FrameSequence] = []
        for (prefix, part) in [("train", Optional<FramePart>.none), ("t10k", FramePart.test)] {
            let images = try read(directory, "\(prefix)-images-idx3-ubyte")
            let labels = try read(directory, "\(prefix)-labels-idx1-ubyte")
            let (count, pixels) = try parseImages(images.bytes, path: images.path)
            let digits = try parseLabels(labels.bytes, path: labels.path)
            guard digits.count == count else {
                throw FrameDataError("\(labels.path): \(digits.count) labels for the \(count) images of \(images.path)")
            }
            let size = side * side
            sequences.reserveCapacity(sequences.count + count)
            for k in 0..<count {
                let values = pixels[(k * size)..<((k + 1) * size)].map { Float($0) }
                let name = "\(prefix):\(k)"
                sequences.append(FrameSequence(name: name, group: name, values: values,
                                               runs: [FrameRun(label: Int(digits[k]), first: 0, last: side - 1)], part: part))
            }
        }
        return FrameTable(channelNames: (0..<side).map { "px\($0)" }, classNames: classNames, sequences: sequences)
    }

    /// `name` or `name.gz` in `directory`.
    static func read(_ directory: String, _ name: String) throws(FrameDataError) -> (path: String, bytes: [UInt8]) {
        let plain = (directory as NSString).appendingPathComponent(name)
        if let data = FileManager.default.contents(atPath: plain) { return (plain, Array(data)) }
        let gz = plain + ".gz"
        guard FileManager.default.fileExists(atPath: gz) else {
            throw FrameDataError("\(directory): neither \(name) nor \(name).gz (MNIST's IDX files; see models/README.md)")
        }
        return (gz, try gunzip(gz))
    }

    /// `gzip -dc path`.
    static func gunzip(_ path: String) throws(FrameDataError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw FrameDataError("\(path): cannot run gzip (\(error.localizedDescription))")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FrameDataError("\(path): gzip -dc failed (exit \(process.terminationStatus)): not a gzip file?")
        }
        return Array(data)
    }

    static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> Int {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
    }

    /// IDX3: magic 0x803, count, 28, 28, then count × 784 bytes.
    static func parseImages(_ bytes: [UInt8], path: String) throws(FrameDataError) -> (Int, [UInt8]) {
        guard bytes.count >= 16, bigEndian(bytes, 0) == 0x803 else { throw FrameDataError("\(path): not an IDX image file (magic 0x803)") }
        let count = bigEndian(bytes, 4)
        guard bigEndian(bytes, 8) == side, bigEndian(bytes, 12) == side else {
            throw FrameDataError("\(path): images of \(bigEndian(bytes, 8))×\(bigEndian(bytes, 12)), expected 28×28")
        }
        guard bytes.count == 16 + count * side * side else {
            throw FrameDataError("\(path): \(bytes.count) bytes, the header promises \(16 + count * side * side)")
        }
        return (count, Array(bytes[16...]))
    }

    /// IDX1: magic 0x801, count, then count label bytes (0–9).
    static func parseLabels(_ bytes: [UInt8], path: String) throws(FrameDataError) -> [UInt8] {
        guard bytes.count >= 8, bigEndian(bytes, 0) == 0x801 else { throw FrameDataError("\(path): not an IDX label file (magic 0x801)") }
        let count = bigEndian(bytes, 4)
        guard bytes.count == 8 + count else { throw FrameDataError("\(path): \(bytes.count) bytes, the header promises \(8 + count)") }
        let labels = Array(bytes[8...])
        if let bad = labels.firstIndex(where: { $0 > 9 }) { throw FrameDataError("\(path): label \(bad) is \(labels[bad]), not a digit") }
        return labels
    }
}
