import RecurRuntime
import Testing

/// Binary PGM/PPM reading (`Netpbm`): the header grammar, 8- and 16-bit rasters, streams of
/// images, and a clear refusal for every malformed input.
@Suite("Netpbm images")
struct IONetpbmTests {
    private func bytes(_ header: String, _ raster: [UInt8]) -> [UInt8] { Array(header.utf8) + raster }

    @Test("P5 and P6 with comments and any whitespace; samples and floats in NHWC order")
    func parses() throws {
        let grey = try Netpbm.parse(bytes("P5\n# a comment\n3 2\t# width height\n255\n", [0, 1, 2, 253, 254, 255]))
        #expect(grey.width == 3 && grey.height == 2 && grey.channels == 1 && grey.maxval == 255)
        #expect(grey.samples == [0, 1, 2, 253, 254, 255])
        #expect(grey.floats() == [0, 1, 2, 253, 254, 255].map { Float($0) / 255 })
        let rgb = try Netpbm.parse(bytes("P6 2 1 15\r", [1, 2, 3, 15, 14, 13]))
        #expect(rgb.channels == 3 && rgb.maxval == 15 && rgb.samples == [1, 2, 3, 15, 14, 13])
        #expect(rgb.floats()[3] == 1)
    }

    @Test("maxval over 255: two bytes per sample, most significant first")
    func wideSamples() throws {
        let image = try Netpbm.parse(bytes("P5 2 1 1000\n", [0x03, 0xE8, 0x00, 0x01]))
        #expect(image.samples == [1000, 1])
        #expect(image.floats() == [1, Float(1) / 1000])
    }

    @Test("a stream: images one after another, each parse returning where the next starts")
    func stream() throws {
        let all = bytes("P5 1 1 255\n", [7]) + bytes("P6 1 1 255\n", [1, 2, 3])
        try all.withUnsafeBufferPointer { buffer in
            let first = try Netpbm.parse(buffer, from: 0)
            #expect(first.image.samples == [7] && first.end == 12)
            let second = try Netpbm.parse(buffer, from: first.end)
            #expect(second.image.samples == [1, 2, 3] && second.end == all.count)
        }
    }

    @Test("malformed images are refused with what is wrong", arguments: [
        ("P3 1 1 255\n1 2 3", "a plain or bitmap netpbm image (P3); binary PGM (P5) or PPM (P6) is needed"),
        ("GIF89a", "not a PGM or PPM image: it does not start with P5 or P6"),
        ("", "not a PGM or PPM image: it does not start with P5 or P6"),
        ("P5 2", "the header ends before its height"),
        ("P5 2 x 255\n", "the header's height is not a number"),
        ("P5 0 2 255\n", "the width is 0"),
        ("P5 99999 2 255\n", "the width is over 16384"),
        ("P5 2 2 65536\n", "the maxval is over 65535"),
        ("P5 2 2 255", "the header ends without the whitespace byte before the raster"),
        ("P5 2 2 255\nabc", "the raster is cut short: 4 bytes needed for 2×2, 3 present"),
        ("P5 1 1 9\n\u{0A}", "sample 0 (pixel 0, 0) is 10, over maxval 9"),
        ("P5 1 1 255\nab", "1 bytes follow the image's raster (one image per file)"),
        ("P6 16384 16384 255\n", "16384×16384 with 3 channels is over 67108864 samples"),
    ])
    func refusals(input: String, message: String) {
        #expect(throws: RecurError.badImage(message)) { _ = try Netpbm.parse(Array(input.utf8)) }
    }

    @Test("the error message names the problem")
    func message() {
        #expect("\(RecurError.badImage("the width is 0"))" == "bad image: the width is 0")
        #expect("\(RecurError.wrongImageSize(width: 5, height: 4, channels: 3, expectedWidth: 64, expectedHeight: 64, expectedChannels: 1))"
                == "the image is 5×4 with 3 channels, the model takes 64×64 with 1 channel")
    }
}
