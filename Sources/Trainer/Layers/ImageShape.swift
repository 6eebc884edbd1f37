/// The shape of one image in NHWC layout: height × width × channels, channels fastest.
///
/// A batch of N images is one (N, H, W, C) row-major buffer: value c of pixel (y, x) of image n is
/// at ((n·H + y)·W + x)·C + c. The image layers of the trainer and the C core's image kernels use
/// this layout, so a batch is also the (N, H·W·C) matrix a dense layer reads (FlattenLayer).
public struct ImageShape: Codable, Sendable, Hashable, CustomStringConvertible {
    /// H: rows of pixels.
    public var height: Int
    /// W: pixels per row.
    public var width: Int
    /// C: values per pixel.
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// H · W.
    public var pixels: Int { height * width }

    /// H · W · C: the floats of one image.
    public var count: Int { height * width * channels }

    public var description: String { "\(height)×\(width)×\(channels)" }

    /// Throws unless every size is at least 1; the message names `layer`.
    func validate(layer: String) throws(TrainerError) {
        if height < 1 || width < 1 || channels < 1 {
            throw .invalidSpec("\(layer): input image \(self) has a size below 1")
        }
    }
}
