/// The window a convolution or a pooling layer slides over an image: size, stride and zero padding.
///
/// Along an axis of length L, a window of size K, stride S and padding P (P zeros before and after)
/// takes O = (L + 2P − K) / S + 1 positions (integer division: a window that would run past the
/// padded edge is dropped, as in PyTorch and the C core); position o covers input indices
/// o·S − P … o·S − P + K − 1.
public struct ImageWindow: Codable, Sendable, Hashable {
    /// KH: window rows.
    public var height: Int
    /// KW: window columns.
    public var width: Int
    /// SH: rows between two window positions.
    public var strideHeight: Int
    /// SW: columns between two window positions.
    public var strideWidth: Int
    /// PH: zero rows above and below the image.
    public var paddingHeight: Int
    /// PW: zero columns left and right of the image.
    public var paddingWidth: Int

    public init(height: Int, width: Int, strideHeight: Int = 1, strideWidth: Int = 1,
                paddingHeight: Int = 0, paddingWidth: Int = 0) {
        self.height = height
        self.width = width
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.paddingHeight = paddingHeight
        self.paddingWidth = paddingWidth
    }

    /// A square window with the same stride and padding on both axes.
    public init(size: Int, stride: Int = 1, padding: Int = 0) {
        self.init(height: size, width: size, strideHeight: stride, strideWidth: stride,
                  paddingHeight: padding, paddingWidth: padding)
    }

    /// The output height and width over an image of shape `input`.
    ///
    /// - Throws: `TrainerError.invalidSpec` naming `layer` when a size is below 1, a padding is
    ///   negative, or the window is larger than the padded image.
    func outputSize(over input: ImageShape, layer: String) throws(TrainerError) -> (height: Int, width: Int) {
        try input.validate(layer: layer)
        if height < 1 || width < 1 {
            throw .invalidSpec("\(layer): window \(height)×\(width) has a size below 1")
        }
        if strideHeight < 1 || strideWidth < 1 {
            throw .invalidSpec("\(layer): stride \(strideHeight)×\(strideWidth) has a step below 1")
        }
        if paddingHeight < 0 || paddingWidth < 0 {
            throw .invalidSpec("\(layer): padding \(paddingHeight)×\(paddingWidth) is negative")
        }
        let paddedHeight = input.height + 2 * paddingHeight, paddedWidth = input.width + 2 * paddingWidth
        if height > paddedHeight || width > paddedWidth {
            throw .invalidSpec("\(layer): window \(height)×\(width) is larger than the padded input \(paddedHeight)×\(paddedWidth)")
        }
        return ((paddedHeight - height) / strideHeight + 1, (paddedWidth - width) / strideWidth + 1)
    }
}
