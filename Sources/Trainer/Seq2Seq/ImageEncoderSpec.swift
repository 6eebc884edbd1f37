import Foundation

/// The convolutional encoder of an image → text model (docs/FORMAT.md, `recur.task = image_to_text`):
/// the input image's shape and the layers run on it in order.
///
/// Layer i of `layers` is `enc.{i}` in the file. Its output map OH × OW × F (F: the last
/// convolution's filters; ReLU and max-pooling keep the channel count) is the attention memory:
/// OH·OW rows of width F, row j = pixel (j / OW, j % OW).
///
/// Layers as text (`--encoder`, `parse`): comma-separated items, no spaces needed
///
///     conv{F}x{K}[x{KW}][s{S}][p{P}]   F filters of K × K (or K × KW), stride S (1), zero padding P (0)
///     relu                             max(x, 0)
///     pool{K}[s{S}]                    K × K max-pooling, stride S (default K), no padding
///
/// e.g. `conv16x3p1,relu,pool2,conv32x3p1,relu,pool2`.
public struct ImageEncoderSpec: Codable, Sendable, Equatable {
    /// One encoder layer.
    public enum Layer: Codable, Sendable, Equatable {
        case conv2d(filters: Int, window: ImageWindow)
        case relu
        case maxpool(window: ImageWindow)
    }

    /// Most memory rows (OH·OW) a model may have (IMAGE_SPEC: memory rows ≤ 4096).
    public static let maximumMemoryRows = 4096
    /// Largest image side (the format's 1…4096).
    public static let maximumSide = 4096

    /// H × W × C of the images the model reads (C: 1 grey or 3 RGB).
    public var input: ImageShape
    public var layers: [Layer]

    public init(input: ImageShape, layers: [Layer]) {
        self.input = input
        self.layers = layers
    }

    /// E = F, the width of a memory row: the last convolution's filters (0 without one).
    public var memoryWidth: Int {
        for layer in layers.reversed() { if case .conv2d(let filters, _) = layer { return filters } }
        return 0
    }

    /// The shape every layer produces, in order (the last is the memory's OH × OW × F).
    ///
    /// - Throws: `TrainerError.invalidSpec` naming the layer whose window does not fit, has a bad
    ///   stride, or (pooling) padding.
    public func shapes() throws(TrainerError) -> [ImageShape] {
        var shape = input
        var result: [ImageShape] = []
        for (i, layer) in layers.enumerated() {
            switch layer {
            case .conv2d(let filters, let window):
                let (oh, ow) = try window.outputSize(over: shape, layer: "conv2d enc.\(i).")
                if filters < 1 { throw .invalidSpec("conv2d enc.\(i).: \(filters) filters, at least 1 needed") }
                shape = ImageShape(height: oh, width: ow, channels: filters)
            case .relu:
                break
            case .maxpool(let window):
                if window.paddingHeight != 0 || window.paddingWidth != 0 {
                    throw .invalidSpec("max-pool enc.\(i).: padding \(window.paddingHeight)×\(window.paddingWidth); max-pool takes none")
                }
                let (oh, ow) = try window.outputSize(over: shape, layer: "max-pool enc.\(i).")
                shape = ImageShape(height: oh, width: ow, channels: shape.channels)
            }
            result.append(shape)
        }
        return result
    }

    /// OH · OW, the memory length of every image.
    public func memoryRows() throws(TrainerError) -> Int {
        try validate()
        return try shapes().last?.pixels ?? 0
    }

    /// Checks the image size, that layer 0 is a convolution, every window, and the memory size.
    public func validate() throws(TrainerError) {
        if !(1...Self.maximumSide).contains(input.height) || !(1...Self.maximumSide).contains(input.width) {
            throw .invalidSpec("image \(input) must be 1…\(Self.maximumSide) pixels on each side")
        }
        if input.channels != 1 && input.channels != 3 {
            throw .invalidSpec("image \(input): \(input.channels) channels, 1 (grey) or 3 (RGB) needed")
        }
        guard case .conv2d = layers.first else { throw .invalidSpec("the image encoder must start with a convolution") }
        guard let memory = try shapes().last else { return }
        if memory.pixels > Self.maximumMemoryRows {
            throw .invalidSpec("the encoder's output map \(memory) has \(memory.pixels) pixels (memory rows); "
                + "at most \(Self.maximumMemoryRows): add pooling or strides")
        }
    }

    /// The layers of an `--encoder` string (grammar above).
    ///
    /// - Throws: `TrainerError.invalidSpec` naming the item (1-based) that does not parse.
    public static func parse(_ text: String) throws(TrainerError) -> [Layer] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var layers: [Layer] = []
        for (k, item) in items.enumerated() {
            guard let layer = parseItem(item) else {
                throw .invalidSpec("encoder item \(k + 1) \"\(item)\": expected conv{F}x{K}[x{KW}][s{S}][p{P}], relu or pool{K}[s{S}]")
            }
            layers.append(layer)
        }
        return layers
    }

    /// One item, or nil when it does not follow the grammar (numbers must be positive; padding may be 0).
    static func parseItem(_ item: String) -> Layer? {
        if item == "relu" { return .relu }
        var rest = Substring(item)
        // the unsigned decimal at the front of `rest`, consumed
        func number() -> Int? {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 6, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
        // `letter` then a number, when `rest` starts with the letter
        func suffix(_ letter: Character) -> Int?? {
            guard rest.first == letter else { return .some(nil) }
            rest = rest.dropFirst()
            guard let value = number() else { return nil }
            return .some(value)
        }
        if rest.hasPrefix("conv") {
            rest = rest.dropFirst(4)
            guard let filters = number(), filters >= 1, rest.first == "x" else { return nil }
            rest = rest.dropFirst()
            guard let kh = number(), kh >= 1 else { return nil }
            var kw = kh
            if rest.first == "x" {
                rest = rest.dropFirst()
                guard let value = number(), value >= 1 else { return nil }
                kw = value
            }
            guard let stride = suffix("s"), let padding = suffix("p"), rest.isEmpty, (stride ?? 1) >= 1 else { return nil }
            return .conv2d(filters: filters, window: ImageWindow(height: kh, width: kw, strideHeight: stride ?? 1,
                                                                 strideWidth: stride ?? 1, paddingHeight: padding ?? 0,
                                                                 paddingWidth: padding ?? 0))
        }
        if rest.hasPrefix("pool") {
            rest = rest.dropFirst(4)
            guard let size = number(), size >= 1, let stride = suffix("s"), rest.isEmpty, (stride ?? size) >= 1 else { return nil }
            return .maxpool(window: ImageWindow(size: size, stride: stride ?? size))
        }
        return nil
    }

    /// The layers back as an `--encoder` string (`parse` reads it back to the same layers).
    public static func describe(_ layers: [Layer]) -> String {
        layers.map { layer in
            switch layer {
            case .conv2d(let filters, let w):
                "conv\(filters)x\(w.height)" + (w.width != w.height ? "x\(w.width)" : "")
                    + (w.strideHeight != 1 ? "s\(w.strideHeight)" : "") + (w.paddingHeight != 0 ? "p\(w.paddingHeight)" : "")
            case .relu:
                "relu"
            case .maxpool(let w):
                "pool\(w.height)" + (w.strideHeight != w.height ? "s\(w.strideHeight)" : "")
            }
        }.joined(separator: ",")
    }
}
