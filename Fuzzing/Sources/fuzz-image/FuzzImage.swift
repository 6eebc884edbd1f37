import FuzzSupport
import RecurRuntime

/// recur-run's image reader: `Netpbm.parse` over a stream of binary PGM/PPM images, and over
/// the whole input as one file.
///
/// Checks: every image the stream parse accepts has 1 or 3 channels, sizes within the reader's
/// limits, width · height · channels samples each ≤ maxval, floats in [0, 1] (1 exactly at
/// maxval), and its end lies after its start within the input; the one-file parse accepts the
/// input exactly when the stream holds one image ending at the last byte, and then gives the
/// same image.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImage(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    var start = 0
    var images: [NetpbmImage] = []
    while start < size {
        do throws(RecurError) {
            let (image, end) = try Netpbm.parse(buffer, from: start)
            check(end > start && end <= size, "an image from \(start) ends at \(end) of \(size)")
            checkImage(image)
            images.append(image)
            start = end
        } catch {
            Exercise.consume(error.description)
            break
        }
    }
    do throws(RecurError) {
        let whole = try Netpbm.parse(Array(buffer))
        check(images.count == 1 && start == size, "the one-file parse accepted what the stream parse did not read as one image")
        check(images.first == whole, "the one-file parse and the stream parse read different images")
    } catch {
        Exercise.consume(error.description)
        check(!(images.count == 1 && start == size), "the one-file parse refused a single whole image: \(error)")
    }
    return 0
}

private func checkImage(_ image: NetpbmImage) {
    check(image.channels == 1 || image.channels == 3, "\(image.channels) channels")
    check(image.width >= 1 && image.width <= Netpbm.maximumSide && image.height >= 1 && image.height <= Netpbm.maximumSide,
          "size \(image.width)×\(image.height)")
    check(image.maxval >= 1 && image.maxval <= 65_535, "maxval \(image.maxval)")
    check(image.samples.count == image.width * image.height * image.channels, "\(image.samples.count) samples")
    let floats = image.floats()
    for (k, sample) in image.samples.enumerated() {
        check(Int(sample) <= image.maxval, "sample \(k) is \(sample), over maxval \(image.maxval)")
        check(floats[k] >= 0 && floats[k] <= 1 && (Int(sample) != image.maxval || floats[k] == 1),
              "sample \(k) = \(sample)/\(image.maxval) became \(floats[k])")
    }
}
