import CRuntime

/// Loading an image-to-text model (docs/FORMAT.md, "Image-to-text models"): the image size,
/// the convolution stack and its shapes, then the target side exactly as a seq2seq model's.
/// Every shape is chained and checked by the C core's own validation here, so encoding an
/// image of the model's size never fails on the model.
extension ModelLoader {
    /// Largest image side accepted.
    static let maximumImageSide = 4096

    mutating func loadImageToText() throws(RecurError) {
        let height = try size("recur.image.height", maximum: Self.maximumImageSide)
        let width = try size("recur.image.width", maximum: Self.maximumImageSide)
        let channels = try size("recur.image.channels", maximum: 3)
        if channels == 2 {
            throw .badKeyValue(key: "recur.image.channels", reason: "is 2; an image is grey (1) or RGB (3)")
        }
        var shape = ImageConfiguration.Shape(height: height, width: width, channels: channels)
        if shape.count > Self.maximumMemoryFloats {
            throw .badKeyValue(
                key: "recur.image.height",
                reason: "\(height)×\(width)×\(channels) is over the limit of \(Self.maximumMemoryFloats) values")
        }
        let count = try size("recur.enc.count", maximum: Self.maximumLayers)
        var layers: [ImageConfiguration.Layer] = []
        var computes: [ImageCompute.Layer] = []
        var largest = shape.count
        var scratchBytes = 0
        for index in 0..<count {
            let key = "recur.enc.\(index)."
            let typeName = try file.string(key + "type")
            if index == 0 && typeName != "conv2d" {
                throw .badKeyValue(key: key + "type", reason: "an image encoder starts with conv2d, found \"\(typeName)\"")
            }
            let kind: ImageConfiguration.Layer.Kind
            let next: ImageConfiguration.Shape
            switch typeName {
            case "conv2d":
                let (conv, weightType) = try convolution(index, input: shape)
                var outHeight: UInt32 = 0, outWidth: UInt32 = 0
                var layer = conv
                _ = rc_conv2d_out_shape(&layer, &outHeight, &outWidth)
                next = ImageConfiguration.Shape(height: Int(outHeight), width: Int(outWidth), channels: Int(conv.filters))
                kind = .conv2d(
                    filters: Int(conv.filters), kernelHeight: Int(conv.kernel_h), kernelWidth: Int(conv.kernel_w),
                    strideHeight: Int(conv.stride_h), strideWidth: Int(conv.stride_w), padHeight: Int(conv.pad_h),
                    padWidth: Int(conv.pad_w), weightType: weightType)
                scratchBytes = max(scratchBytes, rc_conv2d_scratch_bytes(&layer))
                computes.append(.conv2d(conv))
            case "relu":
                next = shape
                kind = .relu
                computes.append(.relu(count: shape.count))
            case "maxpool":
                var pool = rc_pool2d(
                    height: UInt32(shape.height), width: UInt32(shape.width), channels: UInt32(shape.channels),
                    size_h: UInt32(try size(key + "size_h", maximum: Self.maximumImageSide)),
                    size_w: UInt32(try size(key + "size_w", maximum: Self.maximumImageSide)),
                    stride_h: UInt32(try size(key + "stride_h", maximum: Self.maximumImageSide)),
                    stride_w: UInt32(try size(key + "stride_w", maximum: Self.maximumImageSide)))
                var outHeight: UInt32 = 0, outWidth: UInt32 = 0
                if rc_pool2d_out_shape(&pool, &outHeight, &outWidth) != RC_OK {
                    throw .badKeyValue(
                        key: key + "size_h",
                        reason: "a \(pool.size_h)×\(pool.size_w) window does not fit the \(shape.height)×\(shape.width) input")
                }
                next = ImageConfiguration.Shape(height: Int(outHeight), width: Int(outWidth), channels: shape.channels)
                kind = .maxPool(
                    height: Int(pool.size_h), width: Int(pool.size_w), strideHeight: Int(pool.stride_h),
                    strideWidth: Int(pool.stride_w))
                computes.append(.maxPool(pool))
            default:
                throw .badKeyValue(
                    key: key + "type", reason: "an image encoder layer is conv2d, relu or maxpool, found \"\(typeName)\"")
            }
            if next.count > Self.maximumMemoryFloats {
                throw .badKeyValue(
                    key: key + "type",
                    reason: "its \(next.height)×\(next.width)×\(next.channels) output is over the limit of \(Self.maximumMemoryFloats) values")
            }
            layers.append(ImageConfiguration.Layer(index: index, kind: kind, input: shape, output: next))
            largest = max(largest, next.count)
            shape = next
        }
        // The last map's positions are the attention memory's rows.
        let memoryRows = shape.height * shape.width
        if memoryRows > Self.maximumSequenceLength {
            throw .badKeyValue(
                key: "recur.enc.\(count - 1).type",
                reason: "the encoder's output has \(shape.height)×\(shape.width) = \(memoryRows) positions, over the attention's limit of \(Self.maximumSequenceLength)")
        }
        let encoder = ImageCompute(layers: computes, largestMap: largest, scratchBytes: scratchBytes)
        try loadTargetSide(SourceSide(
            memoryRows: memoryRows, width: shape.channels, memoryKey: "recur.image.height", recurrentLayers: nil,
            compute: .image(encoder)))
        parts.image = ImageConfiguration(
            input: ImageConfiguration.Shape(height: height, width: width, channels: channels), layers: layers,
            render: try renderTable())
    }

    /// Conv2d layer `index` over `input`: its keys, `enc.{index}.weight` (F × KH·KW·C) and
    /// `.bias` (F), checked by `rc_conv2d_validate`.
    private mutating func convolution(
        _ index: Int, input: ImageConfiguration.Shape
    ) throws(RecurError) -> (rc_conv2d, WeightType) {
        let key = "recur.enc.\(index)."
        try expectSize(
            key + "input", input.channels,
            index == 0 ? "the image's channels (recur.image.channels)" : "layer \(index - 1)'s output channels")
        let filters = try size(key + "output")
        let kernelHeight = try size(key + "kernel_h", maximum: Self.maximumImageSide)
        let kernelWidth = try size(key + "kernel_w", maximum: Self.maximumImageSide)
        let strideHeight = try size(key + "stride_h", maximum: Self.maximumImageSide)
        let strideWidth = try size(key + "stride_w", maximum: Self.maximumImageSide)
        let padHeight = try padding(key + "pad_h")
        let padWidth = try padding(key + "pad_w")
        if kernelHeight > input.height + 2 * padHeight || kernelWidth > input.width + 2 * padWidth {
            throw .badKeyValue(
                key: key + "kernel_h",
                reason: "a \(kernelHeight)×\(kernelWidth) kernel does not fit the \(input.height)×\(input.width) input padded by \(padHeight)×\(padWidth)")
        }
        let patch = kernelHeight * kernelWidth * input.channels
        if patch > 65_536 {
            throw .badKeyValue(
                key: key + "kernel_h", reason: "a filter of \(patch) weights is over the C core's limit of 65536")
        }
        let (weight, weightType) = try weightMatrix("enc.\(index).weight", rows: filters, columns: patch)
        let bias = try floatVector("enc.\(index).bias", count: filters)
        var conv = rc_conv2d(
            height: UInt32(input.height), width: UInt32(input.width), channels: UInt32(input.channels),
            filters: UInt32(filters), kernel_h: UInt32(kernelHeight), kernel_w: UInt32(kernelWidth),
            stride_h: UInt32(strideHeight), stride_w: UInt32(strideWidth), pad_h: UInt32(padHeight),
            pad_w: UInt32(padWidth), w: weight, bias: bias)
        if rc_conv2d_validate(&conv) != RC_OK {
            throw .badKeyValue(key: key + "type", reason: "the C core refuses this conv2d's shape")
        }
        return (conv, weightType)
    }

    /// A zero-padding size: 0…maximumImageSide.
    private func padding(_ key: String) throws(RecurError) -> Int {
        let value = Int(try file.uint32(key))
        if value > Self.maximumImageSide {
            throw .badKeyValue(key: key, reason: "\(value) is not in 0...\(Self.maximumImageSide)")
        }
        return value
    }

    /// `recur.target.render.before`, `.tokens`, `.after`: all three or none; one text per target token.
    private func renderTable() throws(RecurError) -> ImageConfiguration.Render? {
        let before = try file.optionalString("recur.target.render.before")
        let after = try file.optionalString("recur.target.render.after")
        let tokens = try file.optionalStrings("recur.target.render.tokens")
        if before == nil && after == nil && tokens == nil { return nil }
        guard let before else { throw .missingKey("recur.target.render.before") }
        guard let after else { throw .missingKey("recur.target.render.after") }
        guard let tokens else { throw .missingKey("recur.target.render.tokens") }
        let vocabulary = parts.seq2seq?.targetVocabulary.count ?? 0
        if tokens.count != vocabulary {
            throw .badKeyValue(
                key: "recur.target.render.tokens",
                reason: "has \(tokens.count) texts for a target vocabulary of \(vocabulary)")
        }
        return ImageConfiguration.Render(before: before, tokens: tokens, after: after)
    }
}
