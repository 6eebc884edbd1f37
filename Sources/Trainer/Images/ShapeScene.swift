/// A generated captioning scene: one or two coloured shapes on a light, noisy background, 64 × 64
/// RGB, with an English caption computed from where the shapes are.
///
/// Captions (a vocabulary of 21 words; one phrasing per scene, so the target is a function of the
/// image):
///
///     a large red circle on the left            one shape: on the left/right, at the top/bottom, in the middle
///     a small blue square above a large yellow triangle
///     a large green triangle left of a small red circle
///
/// With two shapes the left one (when they are side by side) or the upper one (when stacked) is
/// named first, so "right of" and "below" never occur. The data is generated: no photograph or
/// human caption is involved.
public struct ShapeScene: Equatable, Sendable {
    public enum Shape: String, CaseIterable, Sendable { case circle, square, triangle }
    public enum Colour: String, CaseIterable, Sendable { case red, green, blue, yellow }
    public enum Size: String, CaseIterable, Sendable { case small, large }

    /// One shape: a circle of `radius`, a square of side 2·radius + 1, or an upward triangle in
    /// that square, centred on pixel (centerX, centerY), painted in `rgb` (its colour jittered).
    public struct Item: Equatable, Sendable {
        public var shape: Shape
        public var colour: Colour
        public var size: Size
        public var centerX: Int
        public var centerY: Int
        public var radius: Int
        public var rgb: ImageCanvas.Color

        public init(shape: Shape, colour: Colour, size: Size, centerX: Int, centerY: Int, radius: Int, rgb: ImageCanvas.Color) {
            self.shape = shape
            self.colour = colour
            self.size = size
            self.centerX = centerX
            self.centerY = centerY
            self.radius = radius
            self.rgb = rgb
        }
    }

    public static let width = 64
    public static let height = 64
    /// Radii: small 5–7 pixels, large 10–13.
    public static let smallRadii = 5...7
    public static let largeRadii = 10...13

    /// One or two shapes, in the order they were drawn (not the caption's order).
    public var items: [Item]
    /// The background's base colour; each pixel adds noise of ±`noise` per channel.
    public var background: ImageCanvas.Color
    public var noise: Int
    /// Seeds the background noise, so that `render()` is a pure function of the scene.
    public var noiseSeed: UInt64

    public init(items: [Item], background: ImageCanvas.Color, noise: Int, noiseSeed: UInt64) {
        self.items = items
        self.background = background
        self.noise = noise
        self.noiseSeed = noiseSeed
    }

    /// The nominal RGB of each colour name before jitter.
    public static func nominal(_ colour: Colour) -> ImageCanvas.Color {
        switch colour {
        case .red: ImageCanvas.Color(red: 210, green: 40, blue: 40)
        case .green: ImageCanvas.Color(red: 40, green: 170, blue: 60)
        case .blue: ImageCanvas.Color(red: 40, green: 70, blue: 210)
        case .yellow: ImageCanvas.Color(red: 235, green: 210, blue: 40)
        }
    }

    /// Where a lone shape is: by its centre's offset from the image centre, "in the middle"
    /// within 4.5 pixels on both axes, else along the axis with the larger offset.
    public static func region(of item: Item) -> [String] {
        // Doubled coordinates: the centre of a 64-pixel image is 31.5, i.e. 63 doubled.
        let dx = 2 * item.centerX - (width - 1), dy = 2 * item.centerY - (height - 1)
        if abs(dx) <= 9 && abs(dy) <= 9 { return ["in", "the", "middle"] }
        if abs(dx) >= abs(dy) { return dx < 0 ? ["on", "the", "left"] : ["on", "the", "right"] }
        return dy < 0 ? ["at", "the", "top"] : ["at", "the", "bottom"]
    }

    /// The caption's words, recomputed from the items' positions.
    public var caption: [String] {
        func phrase(_ item: Item) -> [String] { ["a", item.size.rawValue, item.colour.rawValue, item.shape.rawValue] }
        guard items.count == 2 else { return items.first.map { phrase($0) + Self.region(of: $0) } ?? [] }
        let (a, b) = (items[0], items[1])
        if abs(a.centerX - b.centerX) >= abs(a.centerY - b.centerY) {
            let (left, right) = a.centerX < b.centerX ? (a, b) : (b, a)
            return phrase(left) + ["left", "of"] + phrase(right)
        }
        let (upper, lower) = a.centerY < b.centerY ? (a, b) : (b, a)
        return phrase(upper) + ["above"] + phrase(lower)
    }

    /// The caption as a manifest target: words separated by single spaces.
    public var text: String { caption.joined(separator: " ") }

    /// Every word a caption can use.
    public static var vocabulary: [String] {
        ["a", "of", "the", "on", "at", "in", "left", "right", "top", "bottom", "middle", "above"]
            + Size.allCases.map(\.rawValue) + Colour.allCases.map(\.rawValue) + Shape.allCases.map(\.rawValue)
    }

    /// The scene as a 64 × 64 RGB image: the noisy background, then the shapes.
    public func render() -> ImageCanvas {
        var canvas = ImageCanvas(width: Self.width, height: Self.height, channels: 3)
        var random = SeededRandom(seed: noiseSeed)
        func jitter(_ value: UInt8) -> UInt8 {
            UInt8(clamping: Int(value) + random.integer(in: -noise...noise))
        }
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                canvas.set(x: x, y: y, ImageCanvas.Color(red: jitter(background.red), green: jitter(background.green),
                                                         blue: jitter(background.blue)))
            }
        }
        for item in items {
            let (x, y, r) = (item.centerX, item.centerY, item.radius)
            switch item.shape {
            case .circle: canvas.fillDisc(centerX: x, centerY: y, radius: r, item.rgb)
            case .square: canvas.fillRectangle(x: x - r, y: y - r, width: 2 * r + 1, height: 2 * r + 1, item.rgb)
            case .triangle: canvas.fillTriangle((x, y - r), (x - r, y + r), (x + r, y + r), item.rgb)
            }
        }
        return canvas
    }
}
