/// A small raster image in memory, grey or RGB, one byte per sample, that writes itself as
/// binary netpbm (PGM `P5` or PPM `P6`, maxval 255).
///
/// The data generators (`GUISketch`, `ShapeScene`) draw on it; drawing is in
/// `ImageCanvas+Drawing.swift`. Coordinates are pixels, x to the right and y down from the top-left
/// corner; everything drawn outside the canvas is clipped.
public struct ImageCanvas: Equatable, Sendable {
    /// A colour; on a grey canvas only its luma is stored.
    public struct Color: Equatable, Sendable {
        public var red: UInt8
        public var green: UInt8
        public var blue: UInt8

        public init(red: UInt8, green: UInt8, blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// A grey level: 0 black, 255 white.
        public static func grey(_ level: UInt8) -> Color {
            Color(red: level, green: level, blue: level)
        }

        public static let white = grey(255)
        public static let black = grey(0)

        /// Rec. 601 luma, y = (299 r + 587 g + 114 b) / 1000 rounded; exact for greys.
        public var luma: UInt8 {
            let weighted: Int = 299 * Int(red) + 587 * Int(green) + 114 * Int(blue)
            return UInt8((weighted + 500) / 1000)
        }
    }

    public let width: Int
    public let height: Int
    /// 1 (grey) or 3 (RGB).
    public let channels: Int
    /// (height, width, channels) row-major, channels fastest: sample `(y * width + x) * channels + c`.
    public private(set) var samples: [UInt8]

    /// A canvas of `width` × `height` pixels filled with `background`.
    ///
    /// - Precondition: width and height ≥ 1, channels 1 or 3 (the generators' own sizes).
    public init(width: Int, height: Int, channels: Int, background: Color = .white) {
        precondition(width >= 1 && height >= 1, "canvas size \(width)x\(height)")
        precondition(channels == 1 || channels == 3, "canvas channels \(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        samples = []
        samples.reserveCapacity(width * height * channels)
        let pixel = channels == 1 ? [background.luma] : [background.red, background.green, background.blue]
        for _ in 0..<(width * height) { samples.append(contentsOf: pixel) }
    }

    /// The colour at (x, y); on a grey canvas a grey.
    ///
    /// - Precondition: (x, y) is on the canvas.
    public func pixel(x: Int, y: Int) -> Color {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        let base = (y * width + x) * channels
        if channels == 1 { return .grey(samples[base]) }
        return Color(red: samples[base], green: samples[base + 1], blue: samples[base + 2])
    }

    /// Sets (x, y) to `color`; points outside the canvas are ignored (clipping).
    @inline(__always)
    public mutating func set(x: Int, y: Int, _ color: Color) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let base = (y * width + x) * channels
        if channels == 1 {
            samples[base] = color.luma
        } else {
            samples[base] = color.red
            samples[base + 1] = color.green
            samples[base + 2] = color.blue
        }
    }

    /// The file extension of `netpbm()`'s format: `pgm` or `ppm`.
    public var netpbmExtension: String { channels == 1 ? "pgm" : "ppm" }

    /// The image as a binary netpbm file: `P5` (grey) or `P6` (RGB), then
    /// `"<width> <height>\n255\n"` and the raster, one byte per sample, rows top to bottom.
    public func netpbm() -> [UInt8] {
        let header = "\(channels == 1 ? "P5" : "P6")\n\(width) \(height)\n255\n"
        return Array(header.utf8) + samples
    }
}
