import Testing
import TestSupport
@testable import Trainer

/// A tiny CNN (conv → ReLU → max-pool → global average pool → dense → softmax) learns to tell a
/// horizontal bar from a vertical one: the image layers train end to end, not only differentiate.
@Suite struct BarsCNNTrainingTests {
    static let side = 8

    /// `count` seeded 8×8×1 images of one bar on noise, alternating labels: 0 a horizontal bar (part of
    /// a row), 1 a vertical bar (part of a column), 4 to 8 pixels long at a random place.
    static func bars(count: Int, seed: UInt64) -> (images: [Float], labels: [Int32]) {
        var random = SeededRandom(seed: seed)
        let n = side
        var images = [Float](), labels = [Int32]()
        for i in 0..<count {
            let label = Int32(i % 2)
            var image = (0..<(n * n)).map { _ in random.uniform(0, 0.4) }
            let line = Int(random.next() % UInt64(n))
            let length = 4 + Int(random.next() % 5)
            let start = Int(random.next() % UInt64(n - length + 1))
            for k in start..<(start + length) {
                image[label == 0 ? line * n + k : k * n + line] = 1
            }
            images += image
            labels.append(label)
        }
        return (images, labels)
    }

    /// The layers of the CNN and the buffers its backward pass needs.
    final class BarsCNN {
        let conv: Conv2DLayer
        let relu = ReLULayer()
        let pool: MaxPoolLayer
        let average: GlobalAveragePoolLayer
        let dense: DenseLayer
        let probabilities = Tensor(), dLogits = Tensor(), dAverage = Tensor()
        let dPool = Tensor(), dRelu = Tensor(), dConv = Tensor()

        init(seed: UInt64) throws {
            var random = SeededRandom(seed: seed)
            conv = try Conv2DLayer(index: 0, input: ImageShape(height: side, width: side, channels: 1), filters: 4,
                                   window: ImageWindow(size: 3, padding: 1), random: &random)
            pool = try MaxPoolLayer(index: 2, input: conv.outputShape, window: ImageWindow(size: 2, stride: 2))
            average = try GlobalAveragePoolLayer(index: 3, input: pool.outputShape)
            dense = DenseLayer(index: 4, inputSize: average.features, outputSize: 2, activation: .none, random: &random)
        }

        var parameters: [Parameter] { conv.parameters + dense.parameters }

        /// Loss and correct count over the batch; with `train`, also the gradients of every parameter.
        func evaluate(_ images: [Float], _ labels: [Int32], train: Bool) -> LossValue {
            let batch = labels.count
            conv.forward(images, batch: batch)
            relu.forward(conv.output.data, count: conv.output.count)
            pool.forward(relu.output.data, batch: batch)
            average.forward(pool.output.data, batch: batch)
            dense.forward(average.output.data, rows: batch)
            probabilities.resize(batch * 2)
            dLogits.resize(batch * 2)
            let value = SoftmaxCrossEntropy.evaluate(logits: dense.output.data, rows: batch, classes: 2, targets: labels,
                                                     mask: nil, probabilities: probabilities.data,
                                                     gradient: train ? dLogits.data : nil)
            guard train else { return value }
            for p in parameters { p.zeroGrad() }
            dAverage.resize(average.output.count, zero: true)
            dPool.resize(pool.output.count, zero: true)
            dRelu.resize(relu.output.count, zero: true)
            dConv.resize(conv.output.count, zero: true)
            dense.backward(dLogits.data, dInput: dAverage.data)
            average.backward(dAverage.data, dInput: dPool.data)
            pool.backward(dPool.data, dInput: dRelu.data)
            relu.backward(dRelu.data, dInput: dConv.data)
            conv.backward(dConv.data, dInput: nil)
            return value
        }
    }

    /// Trains a fresh CNN full-batch with Adam; returns it with the first and last training losses.
    static func train(_ data: (images: [Float], labels: [Int32]), steps: Int) throws -> (BarsCNN, first: Double, last: Double) {
        BLAS.setThreads(1)  // process-wide, as every other training test asks
        let model = try BarsCNN(seed: 5)
        var adam = Adam(learningRate: 0.03)
        var first = 0.0, last = 0.0
        for step in 0..<steps {
            let value = model.evaluate(data.images, data.labels, train: true)
            if step == 0 { first = value.loss }
            last = value.loss
            adam.step(model.parameters)
        }
        return (model, first, last)
    }

    @Test("conv → ReLU → max-pool → GAP → dense learns horizontal vs vertical bars; same seed, same bytes")
    func learnsBars() throws {
        let training = Self.bars(count: 64, seed: 1)
        let (model, first, last) = try Self.train(training, steps: 150)
        let fit = model.evaluate(training.images, training.labels, train: false)
        let heldOut = Self.bars(count: 200, seed: 2)
        let unseen = model.evaluate(heldOut.images, heldOut.labels, train: false)
        #expect(first > 0.6, "an untrained model is near chance: loss \(first)")
        #expect(last < 0.1 * first, "training loss \(first) → \(last)")
        #expect(fit.metricSum / fit.weight >= 0.98, "training accuracy \(fit.metricSum / fit.weight)")
        #expect(unseen.metricSum / unseen.weight >= 0.95, "held-out accuracy \(unseen.metricSum / unseen.weight)")

        let again = try Self.train(training, steps: 150).0
        #expect(again.parameters.map { $0.value.map(\.bitPattern) } == model.parameters.map { $0.value.map(\.bitPattern) })
    }

    @Test("the generated bars: balanced labels, values in [0, 1], a different set for another seed")
    func barsData() {
        let a = Self.bars(count: 10, seed: 1), b = Self.bars(count: 10, seed: 2)
        #expect(a.images.count == 10 * 64 && a.labels == [0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
        #expect(a.images.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Every image has at least one full-strength bar of 4 or more pixels.
        #expect((0..<10).allSatisfy { i in a.images[(i * 64)..<((i + 1) * 64)].filter { $0 == 1 }.count >= 4 })
        #expect(a.images != b.images)
        #expect(Self.bars(count: 10, seed: 1).images == a.images)
    }
}
