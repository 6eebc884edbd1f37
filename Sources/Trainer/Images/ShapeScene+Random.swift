/// Random scenes: half with one shape, half with two; every attribute uniform.
extension ShapeScene {
    /// A random scene whose caption is unambiguous: a lone shape sits well inside one region; two
    /// shapes do not overlap and are clearly side by side or clearly stacked.
    public static func random(_ random: inout SeededRandom) -> ShapeScene {
        let count = random.integer(in: 1...2)
        var items: [Item] = []
        if count == 1 {
            var item = randomItem(&random)
            let r = item.radius, low = r + 1, high = width - 2 - r
            // Regions as `region(of:)` reads them, with margin: the lateral axis stays within
            // 26–37 (offset ≤ 5.5 pixels), the main axis beyond 11.5 pixels from the centre.
            switch random.below(5) {
            case 0: (item.centerX, item.centerY) = (random.integer(in: low...20), random.integer(in: 26...37))
            case 1: (item.centerX, item.centerY) = (random.integer(in: 43...high), random.integer(in: 26...37))
            case 2: (item.centerX, item.centerY) = (random.integer(in: 26...37), random.integer(in: low...20))
            case 3: (item.centerX, item.centerY) = (random.integer(in: 26...37), random.integer(in: 43...high))
            default: (item.centerX, item.centerY) = (random.integer(in: 28...35), random.integer(in: 28...35))
            }
            items = [item]
        } else {
            var a = randomItem(&random), b = randomItem(&random)
            let sideBySide = random.below(2) == 0
            // Rejection: the boxes apart by ≥ 2 pixels along the main axis, the cross offset at
            // most half the main one. Two large shapes always fit (26 + 2 + 26 ≤ 64 − 2·1).
            while true {
                for item in [0, 1] {
                    let r = item == 0 ? a.radius : b.radius
                    let x = random.integer(in: (r + 1)...(width - 2 - r)), y = random.integer(in: (r + 1)...(height - 2 - r))
                    if item == 0 { (a.centerX, a.centerY) = (x, y) } else { (b.centerX, b.centerY) = (x, y) }
                }
                let dx = abs(a.centerX - b.centerX), dy = abs(a.centerY - b.centerY)
                let (main, cross) = sideBySide ? (dx, dy) : (dy, dx)
                if main >= a.radius + b.radius + 3 && 2 * cross <= main { break }
            }
            items = [a, b]
        }
        let background = ImageCanvas.Color(red: UInt8(random.integer(in: 205...245)), green: UInt8(random.integer(in: 205...245)),
                                           blue: UInt8(random.integer(in: 205...245)))
        return ShapeScene(items: items, background: background, noise: 10, noiseSeed: random.next())
    }

    /// A shape of random kind, colour (nominal ± 15 per channel) and size; centre still (0, 0).
    static func randomItem(_ random: inout SeededRandom) -> Item {
        let colour = random.element(of: Colour.allCases)
        let size = random.element(of: Size.allCases)
        let nominal = nominal(colour)
        func jitter(_ value: UInt8) -> UInt8 { UInt8(clamping: Int(value) + random.integer(in: -15...15)) }
        let rgb = ImageCanvas.Color(red: jitter(nominal.red), green: jitter(nominal.green), blue: jitter(nominal.blue))
        return Item(shape: random.element(of: Shape.allCases), colour: colour, size: size, centerX: 0, centerY: 0,
                    radius: random.integer(in: size == .small ? smallRadii : largeRadii), rgb: rgb)
    }
}
