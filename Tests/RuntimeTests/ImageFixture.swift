import RecurRuntime
import TestSupport
import Trainer

/// A small image-to-text model described in the test (docs/FORMAT.md, "Image-to-text
/// models"): a convolution encoder in front of the decoder of a `Seq2SeqFixture` (`target`,
/// used through `decoder`, whose E is the memory's width).
struct ImageFixture: FixtureFile {
    /// One encoder layer as the file states it.
    enum Layer {
        case conv(filters: Int, kernel: (Int, Int), stride: (Int, Int), pad: (Int, Int))
        case relu
        case pool(size: (Int, Int), stride: (Int, Int))
    }

    var height = 7
    var width = 6
    var channels = 1
    var layers: [Layer] = [.conv(filters: 3, kernel: (3, 3), stride: (1, 1), pad: (1, 1)), .relu,
                           .pool(size: (2, 2), stride: (2, 2)), .conv(filters: 4, kernel: (2, 2), stride: (1, 1), pad: (0, 0))]
    var target = Seq2SeqFixture()
    var render: (before: String, tokens: [String], after: String)? = nil
    var seed: UInt64 = 7

    var overrides: [(String, GGUFValue)] = []
    var omittedKeys: Set<String> = []
    var omittedTensors: Set<String> = []
    var replacedTensors: [String: (GGUFTensorType, [Int], [UInt8])] = [:]
    var extraTensors: [(String, GGUFTensorType, [Int], [UInt8])] = []

    /// `target` with E = the memory's width (its `hidden`, one direction).
    var decoder: Seq2SeqFixture {
        var fixture = target
        fixture.hidden = memoryShape.channels
        fixture.bidirectional = false
        return fixture
    }

    /// (height, width, channels) after each layer, the input first.
    var shapes: [(Int, Int, Int)] {
        var shape = (height, width, channels)
        var all = [shape]
        for layer in layers {
            switch layer {
            case let .conv(filters, kernel, stride, pad):
                shape = ((shape.0 + 2 * pad.0 - kernel.0) / stride.0 + 1, (shape.1 + 2 * pad.1 - kernel.1) / stride.1 + 1, filters)
            case .relu:
                break
            case let .pool(size, stride):
                shape = ((shape.0 - size.0) / stride.0 + 1, (shape.1 - size.1) / stride.1 + 1, shape.2)
            }
            all.append(shape)
        }
        return all
    }

    var memoryShape: (height: Int, width: Int, channels: Int) {
        let last = shapes[shapes.count - 1]
        return (last.0, last.1, last.2)
    }

    func tensors() -> [FixtureTensor] {
        var generator = FixtureTensorGenerator(seed: seed, weightScale: 1, cell: "lstm")
        var all: [FixtureTensor] = []
        for (i, layer) in layers.enumerated() {
            guard case let .conv(filters, kernel, _, _) = layer else { continue }
            let input = shapes[i].2
            all.append(generator.matrix("enc.\(i).weight", filters, kernel.0 * kernel.1 * input, scale: 0.75))
            all.append(generator.vector("enc.\(i).bias", filters))
        }
        return all + decoder.tensors().filter { !$0.name.hasPrefix("enc.") }
    }

    func keys() -> [(String, GGUFValue)] {
        func u32(_ value: Int) -> GGUFValue { .uint32(UInt32(value)) }
        var keys: [(String, GGUFValue)] = [
            ("general.architecture", .string("recur")),
            ("general.name", .string("image-fixture")),
            ("recur.format_version", .uint32(1)),
            ("recur.task", .string("image_to_text")),
            ("recur.image.height", u32(height)),
            ("recur.image.width", u32(width)),
            ("recur.image.channels", u32(channels)),
            ("recur.enc.count", u32(layers.count)),
        ]
        for (i, layer) in layers.enumerated() {
            let key = "recur.enc.\(i)."
            switch layer {
            case let .conv(filters, kernel, stride, pad):
                keys += [(key + "type", .string("conv2d")), (key + "input", u32(shapes[i].2)), (key + "output", u32(filters)),
                         (key + "kernel_h", u32(kernel.0)), (key + "kernel_w", u32(kernel.1)),
                         (key + "stride_h", u32(stride.0)), (key + "stride_w", u32(stride.1)),
                         (key + "pad_h", u32(pad.0)), (key + "pad_w", u32(pad.1))]
            case .relu:
                keys.append((key + "type", .string("relu")))
            case let .pool(size, stride):
                keys += [(key + "type", .string("maxpool")), (key + "size_h", u32(size.0)), (key + "size_w", u32(size.1)),
                         (key + "stride_h", u32(stride.0)), (key + "stride_w", u32(stride.1))]
            }
        }
        // The target side: everything of the seq2seq fixture but its source and encoder keys.
        let sourceKeys: Set<String> = ["general.architecture", "general.name", "recur.format_version", "recur.task",
                                       "recur.vocab", "recur.tokenizer", "recur.token.unk", "recur.text.lowercase",
                                       "recur.source.max_length"]
        keys += decoder.keys().filter { !sourceKeys.contains($0.0) && !$0.0.hasPrefix("recur.enc.") }
        if let render {
            keys += [("recur.target.render.before", .string(render.before)),
                     ("recur.target.render.tokens", .array(.string(render.tokens))),
                     ("recur.target.render.after", .string(render.after))]
        }
        return keys
    }

    /// A seeded image of the fixture's size: values k/255 for random bytes k.
    func image(seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<(height * width * channels)).map { _ in Float(rng.next() % 256) / 255 }
    }

    /// This fixture with `images` embedded as self-tests whose outputs the Runtime computed.
    func withSelfTests(_ images: [[Float]], _ storage: WeightStorage) throws -> ImageFixture {
        let model = try self.model(storage)
        var fixture = self
        for (k, image) in images.enumerated() {
            let outputs = try model.selfTestOutputs(for: .image(image))
            fixture.extraTensors.append((
                "selftest.\(k).input", .f32, [image.count], ModelFixture.littleEndianBytes(image.map(\.bitPattern))))
            fixture.extraTensors.append((
                "selftest.\(k).output", .f32, [outputs.count], ModelFixture.littleEndianBytes(outputs.map(\.bitPattern))))
        }
        fixture.overrides.append(("recur.selftest.count", .uint32(UInt32(images.count))))
        return fixture
    }
}

/// The encoder of an `ImageFixture` in Doubles, written from FORMAT.md's definitions with
/// plain loops (zero padding, windows that fit, NaN-free inputs), independent of the C core.
struct ImageReference {
    let fixture: ImageFixture

    /// The memory: one row of channels per output position, row-major.
    func memory(_ image: [Float]) -> [[Double]] {
        let tensors = Dictionary(uniqueKeysWithValues: fixture.tensors().map { ($0.name, $0) })
        var map = image.map(Double.init)
        var (h, w, c) = (fixture.height, fixture.width, fixture.channels)
        for (i, layer) in fixture.layers.enumerated() {
            switch layer {
            case let .conv(filters, kernel, stride, pad):
                let weight = tensors["enc.\(i).weight"]!, bias = tensors["enc.\(i).bias"]!
                let oh = (h + 2 * pad.0 - kernel.0) / stride.0 + 1, ow = (w + 2 * pad.1 - kernel.1) / stride.1 + 1
                var out = [Double](repeating: 0, count: oh * ow * filters)
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        for f in 0..<filters {
                            var sum = Double(bias.values[f])
                            for ky in 0..<kernel.0 {
                                for kx in 0..<kernel.1 {
                                    let y = oy * stride.0 + ky - pad.0, x = ox * stride.1 + kx - pad.1
                                    if y < 0 || y >= h || x < 0 || x >= w { continue }
                                    for ch in 0..<c {
                                        let wv = weight.values[f * weight.cols + (ky * kernel.1 + kx) * c + ch]
                                        sum += Double(wv) * map[(y * w + x) * c + ch]
                                    }
                                }
                            }
                            out[(oy * ow + ox) * filters + f] = sum
                        }
                    }
                }
                map = out
                (h, w, c) = (oh, ow, filters)
            case .relu:
                map = map.map { max($0, 0) }
            case let .pool(size, stride):
                let oh = (h - size.0) / stride.0 + 1, ow = (w - size.1) / stride.1 + 1
                var out = [Double](repeating: 0, count: oh * ow * c)
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        for ch in 0..<c {
                            var m = -Double.infinity
                            for ky in 0..<size.0 {
                                for kx in 0..<size.1 {
                                    m = max(m, map[((oy * stride.0 + ky) * w + ox * stride.1 + kx) * c + ch])
                                }
                            }
                            out[(oy * ow + ox) * c + ch] = m
                        }
                    }
                }
                map = out
                (h, w) = (oh, ow)
            }
        }
        return (0..<(h * w)).map { Array(map[($0 * c)..<(($0 + 1) * c)]) }
    }

    /// log p(· | image, BOS, prefix): this encoder, then the seq2seq reference's decoder from zeros.
    func logProbabilities(image: [Float], prefix: [Int]) -> [Double] {
        let memory = self.memory(image)
        let target = fixture.decoder
        let decoder = Seq2SeqReference(target)
        var state = Seq2SeqReference.State(
            h: Array(repeating: Array(repeating: 0, count: target.decoderWidth), count: target.decoderLayers),
            c: Array(repeating: Array(repeating: 0, count: target.decoderWidth), count: target.decoderLayers),
            attentional: Array(repeating: 0, count: target.combine))
        var logP: [Double] = []
        for token in [Seq2SeqFixture.bos] + prefix {
            (logP, state) = decoder.step(token, state, memory: memory)
        }
        return logP
    }
}
