/// One image read from binary netpbm bytes: PGM (`P5`, one channel) or PPM (`P6`, three).
///
/// Samples are kept as read (0…maxval, row-major, channels fastest: sample c of pixel (y, x) is
/// at `(y * width + x) * channels + c`, the NHWC layout of the C core's image kernels).
public struct NetpbmImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 for PGM, 3 for PPM.
    public let channels: Int
    /// The largest sample value the header declares (1…65535).
    public let maxval: Int
    /// width · height · channels samples, each ≤ maxval.
    public let samples: [UInt16]

    /// What a model reads: sample / maxval as Float (one IEEE division each, so the same on every
    /// machine), in the same order as `samples`.
    public func floats() -> [Float] {
        let scale = Float(maxval)
        var values = [Float](repeating: 0, count: samples.count)
        for i in 0..<samples.count { values[i] = Float(samples[i]) / scale }
        return values
    }
}

/// Reads binary PGM and PPM images (the netpbm formats, without any library).
///
/// Layout (netpbm's `pgm(5)`/`ppm(5)`): the magic `P5` or `P6`; whitespace; the width, the height
/// and maxval as ASCII decimals, separated by whitespace, where `#` starts a comment that runs to
/// the end of its line; exactly one whitespace byte; then the raster, height rows of width pixels
/// of one (PGM) or three (PPM) samples, each one byte when maxval < 256, else two bytes, most
/// significant first. Plain (ASCII, `P2`/`P3`) and bitmap (`P1`/`P4`) files are refused with a
/// message saying so.
public enum Netpbm {
    /// Most pixels per image side the reader accepts.
    public static let maximumSide = 16_384
    /// Most samples per image (width · height · channels): 64 Mi.
    public static let maximumSamples = 1 << 26

    /// The one image in `bytes`.
    ///
    /// - Throws: `RecurError.badImage` naming what is wrong: the magic, a header field (missing,
    ///   not a number, zero, over the limits), the raster (cut short, a sample over maxval), or
    ///   bytes after the image.
    public static func parse(_ bytes: [UInt8]) throws(RecurError) -> NetpbmImage {
        try bytes.withUnsafeBufferPointer { (buffer) throws(RecurError) in try parse(buffer) }
    }

    /// The one image in `bytes` (a file's bytes, read in place).
    ///
    /// - Throws: as `parse(_:)`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecurError) -> NetpbmImage {
        let (image, end) = try parse(bytes, from: 0)
        if end != bytes.count {
            throw .badImage("\(bytes.count - end) bytes follow the image's raster (one image per file)")
        }
        return image
    }

    /// The image that starts at `start` in `bytes`, and the offset just past its raster (a stream
    /// of images is one after another, nothing between them).
    ///
    /// - Throws: as `parse(_:)`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(RecurError)
        -> (image: NetpbmImage, end: Int) {
        var i = start
        guard bytes.count - i >= 2, bytes[i] == 0x50 else {
            throw .badImage("not a PGM or PPM image: it does not start with P5 or P6")
        }
        let channels: Int
        switch bytes[i + 1] {
        case 0x35: channels = 1  // P5
        case 0x36: channels = 3  // P6
        case 0x31, 0x32, 0x33, 0x34:
            throw .badImage("a plain or bitmap netpbm image (P\(bytes[i + 1] - 0x30)); binary PGM (P5) or PPM (P6) is needed")
        default:
            throw .badImage("not a PGM or PPM image: it does not start with P5 or P6")
        }
        i += 2
        let width = try field("width", in: bytes, at: &i, limit: maximumSide)
        let height = try field("height", in: bytes, at: &i, limit: maximumSide)
        let maxval = try field("maxval", in: bytes, at: &i, limit: 65_535)
        // exactly one whitespace byte ends the header
        guard i < bytes.count, isWhitespace(bytes[i]) else {
            throw .badImage("the header ends without the whitespace byte before the raster")
        }
        i += 1
        let count = width * height * channels
        if count > maximumSamples {
            throw .badImage("\(width)×\(height) with \(channels) channels is over \(maximumSamples) samples")
        }
        let wide = maxval > 255
        let rasterBytes = count * (wide ? 2 : 1)
        if bytes.count - i < rasterBytes {
            throw .badImage("the raster is cut short: \(rasterBytes) bytes needed for \(width)×\(height), \(bytes.count - i) present")
        }
        var samples = [UInt16](repeating: 0, count: count)
        for k in 0..<count {
            let value = wide ? UInt16(bytes[i + 2 * k]) << 8 | UInt16(bytes[i + 2 * k + 1]) : UInt16(bytes[i + k])
            if Int(value) > maxval {
                throw .badImage("sample \(k) (pixel \(k / channels % width), \(k / channels / width)) is \(value), over maxval \(maxval)")
            }
            samples[k] = value
        }
        return (NetpbmImage(width: width, height: height, channels: channels, maxval: maxval, samples: samples),
                i + rasterBytes)
    }

    /// Skips whitespace and comments, then reads one positive decimal of at most `limit`.
    private static func field(
        _ name: String, in bytes: UnsafeBufferPointer<UInt8>, at i: inout Int, limit: Int
    ) throws(RecurError) -> Int {
        while i < bytes.count {
            if isWhitespace(bytes[i]) {
                i += 1
            } else if bytes[i] == 0x23 {  // '#' to the end of the line
                while i < bytes.count && bytes[i] != 0x0A && bytes[i] != 0x0D { i += 1 }
            } else {
                break
            }
        }
        guard i < bytes.count else { throw .badImage("the header ends before its \(name)") }
        guard bytes[i] >= 0x30 && bytes[i] <= 0x39 else { throw .badImage("the header's \(name) is not a number") }
        var value = 0
        while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 {
            value = value * 10 + Int(bytes[i] - 0x30)
            if value > limit { throw .badImage("the \(name) is over \(limit)") }
            i += 1
        }
        if value == 0 { throw .badImage("the \(name) is 0") }
        return value
    }

    /// The netpbm whitespace: blank, tab, CR, LF, vertical tab, form feed.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
