import Testing
import TestSupport
@testable import Trainer

/// Finite-difference checks of the image layers (conv2d, ReLU, max-pool, global average pool,
/// flatten), their forward passes against direct loops, and their shape rules.
@Suite struct ImageLayerGradientTests {
    let check = GradientCheck()

    /// conv2d computed straight from its formula, in double: the reference im2col + GEMM must match.
    func directConvolution(_ layer: Conv2DLayer, _ x: [Float], batch: Int) -> [Double] {
        let (h, w, c) = (layer.inputShape.height, layer.inputShape.width, layer.inputShape.channels)
        let out = layer.outputShape, win = layer.window
        let weights = layer.weight.value, biases = layer.bias.value
        var y = [Double]()
        for n in 0..<batch {
            for oy in 0..<out.height {
                for ox in 0..<out.width {
                    for f in 0..<layer.filters {
                        var sum = Double(biases[f])
                        for ky in 0..<win.height {
                            for kx in 0..<win.width {
                                let iy = oy * win.strideHeight + ky - win.paddingHeight
                                let ix = ox * win.strideWidth + kx - win.paddingWidth
                                if iy < 0 || iy >= h || ix < 0 || ix >= w { continue }
                                for k in 0..<c {
                                    sum += Double(weights[f * layer.patchSize + (ky * win.width + kx) * c + k])
                                        * Double(x[((n * h + iy) * w + ix) * c + k])
                                }
                            }
                        }
                        y.append(sum)
                    }
                }
            }
        }
        return y
    }

    /// Windows that cover the padding on every side, uneven kernels and strides, a 1×1 kernel,
    /// a kernel larger than the image (some outputs see padding and a single pixel only), and a
    /// single 1×1 filter on one channel.
    static let convolutions: [(ImageShape, Int, ImageWindow)] = [
        (ImageShape(height: 5, width: 7, channels: 3), 4, ImageWindow(size: 3, stride: 2, padding: 1)),
        (ImageShape(height: 6, width: 5, channels: 2), 3,
         ImageWindow(height: 2, width: 3, strideHeight: 1, strideWidth: 2, paddingHeight: 1, paddingWidth: 0)),
        (ImageShape(height: 3, width: 5, channels: 5), 3, ImageWindow(size: 1)),
        (ImageShape(height: 3, width: 3, channels: 1), 2, ImageWindow(size: 5, stride: 2, padding: 2)),
        // One filter of one value: every product of forward and backward has a single column (sgemv).
        (ImageShape(height: 4, width: 3, channels: 1), 1, ImageWindow(size: 1, stride: 2)),
    ]

    @Test("conv2d: forward equals the direct formula; dW, db and dX match finite differences",
          arguments: 0..<convolutions.count)
    func convolution(_ index: Int) throws {
        let (shape, filters, window) = Self.convolutions[index]
        var rng = SeededGenerator(seed: 31 + UInt64(index))
        var random = SeededRandom(seed: 7)
        let layer = try Conv2DLayer(index: 1, input: shape, filters: filters, window: window, random: &random)
        let batch = 2
        let x = Tensor(rng.uniforms(batch * shape.count))
        layer.forward(x.data, batch: batch)
        #expect(layer.output.count == batch * layer.outputShape.count)
        let direct = directConvolution(layer, x.array, batch: batch)
        let worstForward = zip(layer.output.array, direct).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(worstForward < 1e-5, "conv \(index): forward differs from the direct formula by \(worstForward)")

        let r = rng.uniforms(layer.output.count)
        let dx = Tensor(count: x.count)
        layer.backward(r, dInput: dx.data)
        let loss = { () -> Double in
            layer.forward(x.data, batch: batch)
            return projection(layer.output.data, r)
        }
        var worst = check.check(layer.parameters, loss: loss)
        worst = max(worst, check.worst("dx", values: x.data, count: x.count, analytic: dx.array, loss: loss))
        #expect(worst <= 1, "conv \(index): worst ratio \(worst)")
        #expect(layer.weight.rows == filters && layer.weight.cols == window.height * window.width * shape.channels)
        #expect(layer.weight.name == "enc.1.weight" && layer.bias.name == "enc.1.bias")
    }

    @Test("conv2d: backward accumulates into dW, db and dX; without dX it leaves the input gradient alone")
    func convolutionAccumulates() throws {
        var rng = SeededGenerator(seed: 40)
        var random = SeededRandom(seed: 8)
        let shape = ImageShape(height: 4, width: 5, channels: 2)
        let layer = try Conv2DLayer(index: 0, input: shape, filters: 3, window: ImageWindow(size: 3, stride: 2, padding: 1),
                                    random: &random)
        let x = Tensor(rng.uniforms(shape.count))
        layer.forward(x.data, batch: 1)
        let r = rng.uniforms(layer.output.count)
        let dx = Tensor(count: x.count)
        layer.backward(r, dInput: dx.data)
        let once = (layer.weight.grad, layer.bias.grad, dx.array)
        layer.backward(r, dInput: dx.data)
        layer.backward(r, dInput: nil)
        #expect(zip(layer.weight.grad, once.0).allSatisfy { abs($0 - 3 * $1) <= 1e-5 * max(1, abs($0)) })
        #expect(zip(layer.bias.grad, once.1).allSatisfy { abs($0 - 3 * $1) <= 1e-5 * max(1, abs($0)) })
        #expect(zip(dx.array, once.2).allSatisfy { abs($0 - 2 * $1) <= 1e-5 * max(1, abs($0)) })
        #expect(once.2.contains { $0 != 0 })
    }

    /// Runs backward with a random dY and checks the resulting dX: the worst finite-difference ratio.
    /// `forward` recomputes the layer and returns its output; the input gradient starts at zero.
    func inputWorst(_ x: Tensor, outputs: Int, _ rng: inout SeededGenerator, forward: () -> UnsafePointer<Float>,
                    backward: ([Float], UnsafeMutablePointer<Float>) -> Void) -> Double {
        let r = rng.uniforms(outputs)
        let dx = Tensor(count: x.count)
        backward(r, dx.data)
        return check.worst("dx", values: x.data, count: x.count, analytic: dx.array) { projection(forward(), r) }
    }

    /// `count` distinct values in [-1, 1), at least 0.01 apart, in seeded random order: finite
    /// differences of ±1e-3 never change which value of a pooling window is the largest.
    func separatedValues(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        var values = (0..<count).map { Float($0) * (2 / Float(count)) - 1 }
        values.shuffle(using: &rng)
        return values
    }

    @Test("max-pool: forward takes each window's maximum; dX goes to the argmax alone (overlapping and dropped edges)",
          arguments: [ImageWindow(size: 2, stride: 2), ImageWindow(size: 3, stride: 2),
                      ImageWindow(height: 2, width: 3, strideHeight: 1, strideWidth: 3)])
    func maxPool(_ window: ImageWindow) throws {
        var rng = SeededGenerator(seed: 41)
        let shape = ImageShape(height: 5, width: 7, channels: 3)
        let layer = try MaxPoolLayer(index: 2, input: shape, window: window)
        let batch = 2
        let x = Tensor(separatedValues(batch * shape.count, &rng))
        layer.forward(x.data, batch: batch)
        let out = layer.outputShape
        var expected = [Float]()
        for n in 0..<batch {
            for oy in 0..<out.height {
                for ox in 0..<out.width {
                    for c in 0..<shape.channels {
                        var m = -Float.infinity
                        for ky in 0..<window.height {
                            for kx in 0..<window.width {
                                let iy = oy * window.strideHeight + ky, ix = ox * window.strideWidth + kx
                                m = max(m, x[((n * shape.height + iy) * shape.width + ix) * shape.channels + c])
                            }
                        }
                        expected.append(m)
                    }
                }
            }
        }
        #expect(layer.output.array == expected)

        var touched = 0
        let worst = inputWorst(x, outputs: layer.output.count, &rng) {
            layer.forward(x.data, batch: batch)
            return UnsafePointer(layer.output.data)
        } backward: { r, dx in
            layer.backward(r, dInput: dx)
            touched = (0..<x.count).filter { dx[$0] != 0 }.count
        }
        #expect(worst <= 1, "max-pool \(window): worst ratio \(worst)")
        // Only the winners get a gradient: at most one input per output (fewer when windows overlap).
        #expect(touched > 0 && touched <= layer.output.count)
    }

    @Test("max-pool: ties go to the first maximum in the window's row-major scan, as in the C core")
    func maxPoolTies() throws {
        let layer = try MaxPoolLayer(index: 0, input: ImageShape(height: 2, width: 2, channels: 1),
                                     window: ImageWindow(size: 2, stride: 2))
        let x = Tensor([0.5, 0.9, 0.9, 0.1])
        layer.forward(x.data, batch: 1)
        let dx = Tensor(count: 4)
        layer.backward([2], dInput: dx.data)
        #expect(layer.output.array == [0.9])
        #expect(dx.array == [0, 2, 0, 0])
    }

    @Test("global average pool: forward is the per-channel mean; dX matches finite differences")
    func globalAveragePool() throws {
        var rng = SeededGenerator(seed: 42)
        let shape = ImageShape(height: 3, width: 5, channels: 4)
        let layer = try GlobalAveragePoolLayer(index: 3, input: shape)
        let batch = 3
        let x = Tensor(rng.uniforms(batch * shape.count))
        layer.forward(x.data, batch: batch)
        #expect(layer.output.count == batch * 4 && layer.features == 4)
        for n in 0..<batch {
            for c in 0..<4 {
                var sum = 0.0
                for p in 0..<shape.pixels { sum += Double(x[(n * shape.pixels + p) * 4 + c]) }
                #expect(abs(Double(layer.output[n * 4 + c]) - sum / 15) < 1e-6)
            }
        }
        let worst = inputWorst(x, outputs: layer.output.count, &rng) {
            layer.forward(x.data, batch: batch)
            return UnsafePointer(layer.output.data)
        } backward: { layer.backward($0, dInput: $1) }
        #expect(worst <= 1)
    }

    @Test("ReLU: forward clamps negatives to zero; dX matches finite differences away from the kink")
    func relu() {
        var rng = SeededGenerator(seed: 43)
        // |x| ≥ 0.05, so ±1e-3 never crosses zero.
        let x = Tensor(rng.uniforms(37, 0.05, 1).enumerated().map { $0.offset % 3 == 0 ? -$0.element : $0.element })
        let layer = ReLULayer()
        layer.forward(x.data, count: x.count)
        #expect(layer.output.array == x.array.map { max($0, 0) })
        let worst = inputWorst(x, outputs: x.count, &rng) {
            layer.forward(x.data, count: x.count)
            return UnsafePointer(layer.output.data)
        } backward: { layer.backward($0, dInput: $1) }
        #expect(worst <= 1)
    }

    @Test("conv → ReLU → max-pool → flatten → dense: every parameter and the input image match finite differences")
    func stack() throws {
        var rng = SeededGenerator(seed: 44)
        var random = SeededRandom(seed: 9)
        let shape = ImageShape(height: 7, width: 5, channels: 2)
        let conv = try Conv2DLayer(index: 0, input: shape, filters: 3, window: ImageWindow(size: 3, stride: 2, padding: 1),
                                   random: &random)
        let relu = ReLULayer()
        let pool = try MaxPoolLayer(index: 2, input: conv.outputShape, window: ImageWindow(size: 2, stride: 1))
        let flatten = try FlattenLayer(index: 3, input: pool.outputShape)
        let dense = DenseLayer(index: 4, inputSize: flatten.features, outputSize: 3, activation: .none, random: &random)
        let batch = 2
        let x = Tensor(rng.uniforms(batch * shape.count))
        func forward() {
            conv.forward(x.data, batch: batch)
            relu.forward(conv.output.data, count: conv.output.count)
            pool.forward(relu.output.data, batch: batch)
            dense.forward(flatten.forward(pool.output.data), rows: batch)
        }
        forward()
        #expect(flatten.features == pool.outputShape.count)
        let r = rng.uniforms(dense.output.count)
        let dPool = Tensor(count: pool.output.count), dRelu = Tensor(count: relu.output.count)
        let dConv = Tensor(count: conv.output.count), dx = Tensor(count: x.count)
        let dFlat = Tensor(count: pool.output.count)
        dense.backward(r, dInput: dFlat.data)
        flatten.backward(dFlat.data, dInput: dPool.data, batch: batch)
        pool.backward(dPool.data, dInput: dRelu.data)
        relu.backward(dRelu.data, dInput: dConv.data)
        conv.backward(dConv.data, dInput: dx.data)
        let loss = { () -> Double in
            forward()
            return projection(dense.output.data, r)
        }
        var worst = check.check(conv.parameters + dense.parameters, loss: loss)
        worst = max(worst, check.worst("dx", values: x.data, count: x.count, analytic: dx.array, loss: loss))
        #expect(worst <= 1, "stack: worst ratio \(worst)")
    }

    @Test("shapes: output sizes follow (L + 2P − K) / S + 1; layers that cannot be built say which and why")
    func shapes() throws {
        var random = SeededRandom(seed: 10)
        let image = ImageShape(height: 5, width: 8, channels: 3)
        #expect(try ImageWindow(size: 3, stride: 2, padding: 1).outputSize(over: image, layer: "t") == (3, 4))
        #expect(try ImageWindow(size: 2, stride: 2).outputSize(over: image, layer: "t") == (2, 4))
        let conv = try Conv2DLayer(index: 0, input: image, filters: 6,
                                   window: ImageWindow(height: 3, width: 1, paddingHeight: 1, paddingWidth: 0), random: &random)
        #expect(conv.outputShape == ImageShape(height: 5, width: 8, channels: 6))

        func message(_ build: () throws -> Void) -> String {
            do {
                try build()
                return "built"
            } catch let error as TrainerError {
                return error.description
            } catch {
                return "not a TrainerError: \(error)"
            }
        }
        let tooLarge = message { _ = try Conv2DLayer(index: 4, input: image, filters: 2, window: ImageWindow(size: 6), random: &random) }
        #expect(tooLarge.contains("conv2d enc.4.") && tooLarge.contains("larger than the padded input 5×8"))
        let noFilters = message { _ = try Conv2DLayer(index: 1, input: image, filters: 0, window: ImageWindow(size: 3), random: &random) }
        #expect(noFilters.contains("0 filters"))
        let stride = message { _ = try Conv2DLayer(index: 1, input: image, filters: 1, window: ImageWindow(size: 3, stride: 0), random: &random) }
        #expect(stride.contains("stride 0×0"))
        let negative = message { _ = try Conv2DLayer(index: 1, input: image, filters: 1, window: ImageWindow(size: 3, padding: -1), random: &random) }
        #expect(negative.contains("negative"))
        let padded = message { _ = try MaxPoolLayer(index: 5, input: image, window: ImageWindow(size: 2, stride: 2, padding: 1)) }
        #expect(padded.contains("max-pool enc.5.") && padded.contains("takes none"))
        let empty = message { _ = try GlobalAveragePoolLayer(index: 6, input: ImageShape(height: 0, width: 4, channels: 1)) }
        #expect(empty.contains("global average pool enc.6.") && empty.contains("0×4×1"))
        let flat = message { _ = try FlattenLayer(index: 7, input: ImageShape(height: 2, width: 2, channels: 0)) }
        #expect(flat.contains("flatten enc.7."))
    }
}
