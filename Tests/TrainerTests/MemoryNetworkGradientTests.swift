import Testing
@testable import Trainer

/// Finite differences against `MemoryNetwork.accumulate`'s analytic gradients: every word table
/// and temporal table, with softmax hops and with the linear start, repeated words, an empty
/// memory slot and a one-word sentence.
@Suite struct MemoryNetworkGradientTests {
    func network(linear: Bool) -> MemoryNetwork {
        let model = MemoryNetwork(vocabulary: ["<unk>", "a", "b", "c", "d", "e"], dim: 4, hops: 3, capacity: 5, seed: 3)
        // Larger weights than the N(0, 0.1) start, so the attention is far from uniform.
        for p in model.parameters { p.value = p.value.map { $0 * 5 } }
        model.linear = linear
        return model
    }

    let example = MemoryNetwork.Example(sentences: [[1, 2, 3], [], [4, 4, 5, 1], [2]], question: [3, 1], answer: 4)

    @Test(arguments: [false, true]) func gradientsMatchFiniteDifferences(linear: Bool) {
        let model = network(linear: linear)
        for p in model.parameters { p.zeroGrad() }
        model.accumulate(example, scale: 1)
        let worst = GradientCheck().check(model.parameters) { model.loss(example) }
        #expect(worst <= 1)
    }

    @Test func scaleMultipliesTheGradient() {
        let model = network(linear: false)
        for p in model.parameters { p.zeroGrad() }
        model.accumulate(example, scale: 1)
        let once = model.parameters.map(\.grad)
        for p in model.parameters { p.zeroGrad() }
        model.accumulate(example, scale: 0.25)
        for (p, g) in zip(model.parameters, once) {
            for (a, b) in zip(p.grad, g) { #expect(abs(a - 0.25 * b) <= 1e-6 * max(1, abs(b))) }
        }
    }
}
