/// What an image-to-text model's file says about its input and its encoder
/// (docs/FORMAT.md, "Image-to-text models"): the image size, the convolution stack whose
/// output map is the attention memory, and the optional render table.
///
/// `Model.image` is non-nil exactly when `Model.task` is `.imageToText`; the decoder,
/// attention and target side are `Model.seq2seq` as for a seq2seq model. Everything here
/// was checked when the model loaded.
public struct ImageConfiguration: Sendable, Equatable {
    /// One encoder layer, with the shapes it maps between.
    public struct Layer: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// `filters` filters of kernel × kernel… over the input's channels.
            case conv2d(filters: Int, kernelHeight: Int, kernelWidth: Int, strideHeight: Int, strideWidth: Int,
                        padHeight: Int, padWidth: Int, weightType: WeightType)
            /// x > 0 ? x : 0.
            case relu
            /// The maximum of each window, no padding.
            case maxPool(height: Int, width: Int, strideHeight: Int, strideWidth: Int)

            /// The file's `recur.enc.{i}.type`.
            public var name: String {
                switch self {
                case .conv2d: return "conv2d"
                case .relu: return "relu"
                case .maxPool: return "maxpool"
                }
            }
        }

        public let index: Int
        public let kind: Kind
        /// H × W × C in, H' × W' × C' out.
        public let input: Shape
        public let output: Shape

        /// Weights and biases (conv2d: F · (KH · KW · C + 1)).
        public var parameterCount: Int {
            guard case let .conv2d(filters, kernelHeight, kernelWidth, _, _, _, _, _) = kind else { return 0 }
            return filters * (kernelHeight * kernelWidth * input.channels + 1)
        }
    }

    /// Height × width × channels of one image or feature map (NHWC, channels fastest).
    public struct Shape: Sendable, Equatable {
        public let height: Int
        public let width: Int
        public let channels: Int

        public init(height: Int, width: Int, channels: Int) {
            self.height = height
            self.width = width
            self.channels = channels
        }

        /// height · width · channels.
        public var count: Int { height * width * channels }
    }

    /// How a decoded token sequence becomes text when rendered (`recur.target.render.*`):
    /// `before`, then each token's text, then `after`, with nothing between them.
    public struct Render: Sendable, Equatable {
        public let before: String
        /// Per target token id.
        public let tokens: [String]
        public let after: String

        /// The rendered text of `ids` (target ids without EOS; each checked by the caller).
        public func text(_ ids: [Int32]) -> String {
            var text = before
            for id in ids where id >= 0 && Int(id) < tokens.count { text += tokens[Int(id)] }
            return text + after
        }
    }

    /// `recur.image.height`, `.width`, `.channels` (1: grey, 3: RGB): the only size the model takes.
    public let input: Shape
    /// `recur.enc.*` in order.
    public let layers: [Layer]
    /// The last layer's output: its height · width positions are the memory's rows, its
    /// channels their width E.
    public var memory: Shape { layers[layers.count - 1].output }
    /// The render table, when the file has one.
    public let render: Render?

    /// Weights and biases of the encoder.
    public var parameterCount: Int {
        var total = 0
        for layer in layers { total += layer.parameterCount }
        return total
    }
}
