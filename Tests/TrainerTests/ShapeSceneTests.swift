import Testing
@testable import Trainer

/// Generated captioning scenes: the caption, read back from the rendered pixels alone, is the
/// scene's caption.
@Suite struct ShapeSceneTests {
    /// A connected blob of shape pixels (some channel below 100: the background's channels are
    /// all ≥ 195, every shape colour has one ≤ 70).
    struct Blob {
        var minX = Int.max, maxX = Int.min, minY = Int.max, maxY = Int.min, count = 0
        var colour = ImageCanvas.Color.white
    }

    func blobs(_ canvas: ImageCanvas) -> [Blob] {
        func isShape(_ x: Int, _ y: Int) -> Bool {
            let p = canvas.pixel(x: x, y: y)
            return min(p.red, p.green, p.blue) < 100
        }
        var seen = Set<[Int]>(), out: [Blob] = []
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where isShape(x, y) && !seen.contains([x, y]) {
                var blob = Blob(colour: canvas.pixel(x: x, y: y))
                var stack = [[x, y]]
                seen.insert([x, y])
                while let p = stack.popLast() {
                    blob.count += 1
                    blob.minX = min(blob.minX, p[0]); blob.maxX = max(blob.maxX, p[0])
                    blob.minY = min(blob.minY, p[1]); blob.maxY = max(blob.maxY, p[1])
                    for q in [[p[0] + 1, p[1]], [p[0] - 1, p[1]], [p[0], p[1] + 1], [p[0], p[1] - 1]]
                    where q[0] >= 0 && q[0] < canvas.width && q[1] >= 0 && q[1] < canvas.height && isShape(q[0], q[1]) && !seen.contains(q) {
                        seen.insert(q)
                        stack.append(q)
                    }
                }
                out.append(blob)
            }
        }
        return out
    }

    /// "a <size> <colour> <shape>" from a blob: size from the box width, kind from how much of
    /// the box is filled (square 1, disc ≈ 0.8, triangle ≈ 0.5), colour the nearest nominal one.
    func phrase(_ blob: Blob) -> [String] {
        let side = blob.maxX - blob.minX + 1
        let fill = Double(blob.count) / Double(side * (blob.maxY - blob.minY + 1))
        let shape = fill > 0.95 ? "square" : fill > 0.65 ? "circle" : "triangle"
        func distance(_ c: ShapeScene.Colour) -> Int {
            let n = ShapeScene.nominal(c)
            let d = [Int(n.red) - Int(blob.colour.red), Int(n.green) - Int(blob.colour.green), Int(n.blue) - Int(blob.colour.blue)]
            return d.map { $0 * $0 }.reduce(0, +)
        }
        let colour = ShapeScene.Colour.allCases.min { distance($0) < distance($1) }!
        return ["a", side <= 15 ? "small" : "large", colour.rawValue, shape]
    }

    /// The caption a reader of the image would write, by the rules of docs/IMAGES.md.
    func captionFromPixels(_ canvas: ImageCanvas) -> [String] {
        let found = blobs(canvas)
        // Doubled box centres, relative to the doubled image centre 63.
        func centre(_ b: Blob) -> (x: Int, y: Int) { (b.minX + b.maxX - 63, b.minY + b.maxY - 63) }
        if found.count == 1 {
            let (dx, dy) = centre(found[0])
            let region = abs(dx) <= 9 && abs(dy) <= 9 ? ["in", "the", "middle"]
                : abs(dx) >= abs(dy) ? (dx < 0 ? ["on", "the", "left"] : ["on", "the", "right"])
                : (dy < 0 ? ["at", "the", "top"] : ["at", "the", "bottom"])
            return phrase(found[0]) + region
        }
        guard found.count == 2 else { return ["\(found.count) blobs"] }
        let (a, b) = (centre(found[0]), centre(found[1]))
        if abs(a.x - b.x) >= abs(a.y - b.y) {
            let (left, right) = a.x < b.x ? (found[0], found[1]) : (found[1], found[0])
            return phrase(left) + ["left", "of"] + phrase(right)
        }
        let (upper, lower) = a.y < b.y ? (found[0], found[1]) : (found[1], found[0])
        return phrase(upper) + ["above"] + phrase(lower)
    }

    @Test("the caption read back from the pixels equals the scene's caption (600 scenes)")
    func captionsMatchPixels() {
        var master = SeededRandom(seed: 11)
        var counts = [Int: Int]()
        for _ in 0..<600 {
            var random = master.split()
            let scene = ShapeScene.random(&random)
            counts[scene.items.count, default: 0] += 1
            #expect(captionFromPixels(scene.render()) == scene.caption, "\(scene)")
            #expect(scene.caption.allSatisfy(ShapeScene.vocabulary.contains))
        }
        #expect(counts[1, default: 0] > 200 && counts[2, default: 0] > 200)
    }

    @Test("captions use every word, all five regions and both relations")
    func coverage() {
        let captions = ImageDataset.examples(.scenes, seed: 4, count: 400).map(\.target)
        let words = Set(captions.flatMap { $0.split(separator: " ").map(String.init) })
        #expect(words == Set(ShapeScene.vocabulary))
        #expect(!words.contains("below") && !words.contains("right of"))
    }

    @Test("the caption names the lone shape's region and the pair's left or upper shape first")
    func captionRules() {
        let red = ImageCanvas.Color(red: 210, green: 40, blue: 40)
        let blue = ImageCanvas.Color(red: 40, green: 70, blue: 210)
        let circle = ShapeScene.Item(shape: .circle, colour: .red, size: .large, centerX: 50, centerY: 30, radius: 11, rgb: red)
        let square = ShapeScene.Item(shape: .square, colour: .blue, size: .small, centerX: 12, centerY: 34, radius: 6, rgb: blue)
        func scene(_ items: [ShapeScene.Item]) -> ShapeScene {
            ShapeScene(items: items, background: .grey(230), noise: 10, noiseSeed: 1)
        }
        #expect(scene([circle]).text == "a large red circle on the right")
        #expect(scene([circle, square]).text == "a small blue square left of a large red circle")
        var low = square
        (low.centerX, low.centerY) = (45, 55)
        #expect(scene([low, circle]).text == "a large red circle above a small blue square")
        var middle = circle
        (middle.centerX, middle.centerY) = (36, 27)
        #expect(scene([middle]).text == "a large red circle in the middle")
        #expect(scene([circle]).render().pixel(x: 50, y: 30) == red)
    }
}
