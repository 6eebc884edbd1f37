import Testing
import TestSupport
@testable import Trainer

/// Finite-difference checks of every layer's backward pass, parameters and inputs.
@Suite struct LayerGradientTests {
    let check = GradientCheck()

    @Test("Dense: dW, db and dX match finite differences for none, relu and tanh")
    func dense() {
        for activation in DenseLayer.Activation.allCases {
            var rng = SeededGenerator(seed: 21)
            var random = SeededRandom(seed: 3)
            let layer = DenseLayer(index: 2, inputSize: 5, outputSize: 3, activation: activation, random: &random)
            let rows = 4
            let x = Tensor(rng.uniforms(rows * 5))
            let r = rng.uniforms(rows * 3)
            let dx = Tensor(count: rows * 5)
            layer.forward(x.data, rows: rows)
            layer.backward(r, dInput: dx.data)
            let loss = { () -> Double in
                layer.forward(x.data, rows: rows)
                return projection(layer.output.data, r)
            }
            var worst = check.check(layer.parameters, loss: loss)
            worst = max(worst, check.worst("dx", values: x.data, count: x.count, analytic: dx.array, loss: loss))
            #expect(worst <= 1, "\(activation)")
            #expect(layer.weight.name == "enc.2.weight" && layer.bias.name == "enc.2.bias")
        }
    }

    @Test("Embedding: rows of repeated tokens accumulate; untouched rows stay zero")
    func embedding() {
        var rng = SeededGenerator(seed: 22)
        var random = SeededRandom(seed: 4)
        let layer = EmbeddingLayer(index: 0, vocabulary: 6, dimension: 3, random: &random)
        let tokens: [Int32] = [1, 4, 1, 0, 4, 4]
        let r = rng.uniforms(tokens.count * 3)
        layer.forward(tokens)
        layer.backward(r)
        let worst = check.check(layer.parameters) {
            layer.forward(tokens)
            return projection(layer.output.data, r)
        }
        #expect(worst <= 1)
        let g = layer.weight.grad
        #expect(g[(2 * 3)..<(4 * 3)].allSatisfy { $0 == 0 } && g[(5 * 3)...].allSatisfy { $0 == 0 })
    }

    /// Builds a layer, runs forward from a random non-zero state and checks every gradient.
    func recurrent(_ make: (inout SeededRandom) -> RecurrentLayer, lstm: Bool, label: String) {
        var rng = SeededGenerator(seed: 23)
        var random = SeededRandom(seed: 5)
        let layer = make(&random)
        let (t, b, i, h) = (4, 3, layer.inputSize, layer.hidden)
        let x = Tensor(rng.uniforms(t * b * i))
        let initial = LayerState(h: rng.uniforms(b * h, -0.5, 0.5), c: lstm ? rng.uniforms(b * h, -0.5, 0.5) : [])
        let r = rng.uniforms(t * b * h)
        let dx = Tensor(count: t * b * i)
        layer.forward(x.data, steps: t, batch: b, initial: initial)
        for p in layer.parameters { p.zeroGrad() }
        layer.backward(r, dInput: dx.data)
        let loss = { () -> Double in
            layer.forward(x.data, steps: t, batch: b, initial: initial)
            return projection(layer.outputs, r)
        }
        var worst = check.check(layer.parameters, loss: loss)
        worst = max(worst, check.worst("dx", values: x.data, count: x.count, analytic: dx.array, loss: loss))
        #expect(worst <= 1, "\(label): worst ratio \(worst)")
    }

    @Test("RNN tanh: dW_ih, dW_hh, biases and dX match finite differences")
    func rnnTanh() {
        recurrent({ RecurrentLayer(cell: .rnnTanh, index: 1, inputSize: 3, hidden: 5, random: &$0) }, lstm: false, label: "rnn_tanh")
    }

    @Test("RNN relu: dW_ih, dW_hh, biases and dX match finite differences")
    func rnnRelu() {
        recurrent({ RecurrentLayer(cell: .rnnRelu, index: 1, inputSize: 3, hidden: 5, random: &$0) }, lstm: false, label: "rnn_relu")
    }

    @Test("GRU (b_hn inside r ⊙ (W_hn h + b_hn)): every gradient matches finite differences")
    func gru() {
        recurrent({ RecurrentLayer(cell: .gru, index: 1, inputSize: 3, hidden: 5, random: &$0) }, lstm: false, label: "gru")
    }

    @Test("LSTM: every gradient matches finite differences (hidden 9 hits the SIMD body and the tail)")
    func lstm() {
        recurrent({ RecurrentLayer(cell: .lstm, index: 1, inputSize: 3, hidden: 9, random: &$0) }, lstm: true, label: "lstm")
    }

    /// The seq2seq use of the same layer: inputs written one step at a time into the layer's
    /// own slots, a gradient into each sequence's state at its own last step (the `copy`
    /// bridge's), per-step input gradients (input feeding's), and the gradient into the initial
    /// state that `dh`/`dc` hold after the last backward step.
    @Test("step path (seq2seq): parameters, per-step inputs, final-state and initial-state gradients match finite differences",
          arguments: ModelSpec.Cell.allCases)
    func stepPath(cell: ModelSpec.Cell) {
        var rng = SeededGenerator(seed: 26)
        var random = SeededRandom(seed: 7)
        // hidden 9 runs the SIMD body and the scalar tail of every row kernel
        let layer = RecurrentLayer(cell: cell, inputSize: 3, hidden: 9, prefix: "dec.1.", random: &random)
        let lstm = cell == .lstm
        let (t, b, i, h) = (4, 3, 3, 9)
        let last = [3, 1, 2]   // each sequence's last real step
        let x = Tensor(rng.uniforms(t * b * i))
        let h0 = Tensor(rng.uniforms(b * h, -0.5, 0.5)), c0 = Tensor(rng.uniforms(b * h, -0.5, 0.5))
        let r = rng.uniforms(t * b * h)
        let qh = rng.uniforms(b * h), qc = rng.uniforms(b * h)
        func run() {
            layer.start(steps: t, batch: b, initialH: h0.data, initialC: lstm ? c0.data : nil)
            for s in 0..<t {
                layer.inputSlot(s).update(from: x.data + s * b * i, count: b * i)
                layer.projectInput(s)
                layer.step(s)
            }
        }
        // Σ r · h_t over every step + Σ q · (h, c) of each sequence at its last step
        let loss = { () -> Double in
            run()
            var total = 0.0
            for s in 0..<t { total += projection(layer.output(s), Array(r[(s * b * h)..<((s + 1) * b * h)])) }
            for n in 0..<b {
                total += projection(layer.output(last[n]) + n * h, Array(qh[(n * h)..<((n + 1) * h)]))
                if lstm { total += projection(layer.cellState(last[n]) + n * h, Array(qc[(n * h)..<((n + 1) * h)])) }
            }
            return total
        }
        run()
        for p in layer.parameters { p.zeroGrad() }
        let dx = Tensor(count: t * b * i)
        layer.startBackward()
        for s in stride(from: t - 1, through: 0, by: -1) {
            for n in 0..<b where last[n] == s {
                qh.withUnsafeBufferPointer { dH in
                    qc.withUnsafeBufferPointer { dC in
                        layer.addStateGradient(row: n, h: dH.baseAddress! + n * h, c: dC.baseAddress! + n * h)
                    }
                }
            }
            r.withUnsafeBufferPointer { layer.backwardStep(s, $0.baseAddress! + s * b * h) }
            layer.inputGradient(s, into: dx.data + s * b * i)
        }
        layer.finishBackward(dInput: nil)
        let dh0 = Array(UnsafeBufferPointer(start: layer.dh.data, count: b * h))
        let dc0 = Array(UnsafeBufferPointer(start: layer.dc.data, count: b * h))
        var worst = check.check(layer.parameters, loss: loss)
        worst = max(worst, check.worst("dx", values: x.data, count: x.count, analytic: dx.array, loss: loss))
        worst = max(worst, check.worst("dh0", values: h0.data, count: h0.count, analytic: dh0, loss: loss))
        if lstm { worst = max(worst, check.worst("dc0", values: c0.data, count: c0.count, analytic: dc0, loss: loss)) }
        #expect(worst <= 1, "\(cell): worst ratio \(worst)")
        #expect(dh0.contains { $0 != 0 }, "\(cell): the initial state gets a gradient")
    }

    @Test("whole-sequence forward equals the step path step by step (one time loop)", arguments: ModelSpec.Cell.allCases)
    func sequenceIsTheStepLoop(cell: ModelSpec.Cell) {
        var rng = SeededGenerator(seed: 27)
        var random = SeededRandom(seed: 8)
        let layer = RecurrentLayer(cell: cell, index: 1, inputSize: 4, hidden: 11, random: &random)
        let (t, b) = (5, 2)
        let x = Tensor(rng.uniforms(t * b * 4))
        let initial = LayerState(h: rng.uniforms(b * 11), c: cell == .lstm ? rng.uniforms(b * 11) : [])
        layer.forward(x.data, steps: t, batch: b, initial: initial)
        let whole = Array(UnsafeBufferPointer(start: layer.outputs, count: t * b * 11))
        let final = layer.finalState()
        initial.h.withUnsafeBufferPointer { h in
            initial.c.withUnsafeBufferPointer { c in
                layer.start(steps: t, batch: b, initialH: h.baseAddress, initialC: cell == .lstm ? c.baseAddress : nil)
            }
        }
        for s in 0..<t { layer.setInput(s, x.data + s * b * 4); layer.step(s) }
        let stepped = (0..<t).flatMap { Array(UnsafeBufferPointer(start: layer.output($0), count: b * 11)) }
        // the projection of all steps at once and of one step may round differently in the GEMM
        let gap = zip(whole, stepped).map { abs($0 - $1) }.max()!
        #expect(gap < 1e-5, "\(cell): largest difference \(gap)")
        #expect(layer.finalState().h == Array(stepped.suffix(b * 11)) && final.h.count == b * 11)
        #expect(final.c.count == (cell == .lstm ? b * 11 : 0))
    }

    @Test("LSTM init: forget block of bias_ih is 1, of bias_hh 0; weights within ±1/sqrt(H)")
    func lstmInit() {
        var random = SeededRandom(seed: 6)
        let layer = RecurrentLayer(cell: .lstm, index: 0, inputSize: 2, hidden: 4, random: &random)
        #expect(layer.biasIH.value[4..<8].allSatisfy { $0 == 1 })
        #expect(layer.biasHH.value[4..<8].allSatisfy { $0 == 0 })
        #expect(layer.weightHH.value.allSatisfy { abs($0) <= 0.5 })
        #expect(layer.weightIH.rows == 16 && layer.weightIH.cols == 2 && layer.weightHH.cols == 4)
    }

    @Test("masked softmax cross-entropy: gradient matches finite differences; masked rows get none")
    func maskedCrossEntropy() {
        var rng = SeededGenerator(seed: 24)
        let (n, c) = (5, 4)
        let logits = Tensor(rng.uniforms(n * c, -2, 2))
        let targets: [Int32] = [0, 3, 2, 2, 1]
        let mask: [Float] = [1, 0, 1, 0.5, 1]
        let probabilities = Tensor(count: n * c), gradient = Tensor(count: n * c)
        let value = SoftmaxCrossEntropy.evaluate(logits: logits.data, rows: n, classes: c, targets: targets, mask: mask,
                                                 probabilities: probabilities.data, gradient: gradient.data)
        #expect(value.weight == 3.5)
        #expect((c..<(2 * c)).allSatisfy { gradient[$0] == 0 })
        let worst = check.worst("logits", values: logits.data, count: n * c, analytic: gradient.array) {
            SoftmaxCrossEntropy.evaluate(logits: logits.data, rows: n, classes: c, targets: targets, mask: mask,
                                         probabilities: probabilities.data, gradient: nil).loss
        }
        #expect(worst <= 1)
    }

    @Test("mean squared error: gradient matches finite differences; MAE is the metric")
    func meanSquaredError() {
        var rng = SeededGenerator(seed: 25)
        let predictions = Tensor(rng.uniforms(6)), targets = rng.uniforms(6)
        let gradient = Tensor(count: 6)
        let value = MeanSquaredError.evaluate(predictions: predictions.data, targets: targets, count: 6, gradient: gradient.data)
        let mae = zip(predictions.array, targets).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) }
        #expect(abs(value.metricSum - mae) < 1e-6)
        let worst = check.worst("predictions", values: predictions.data, count: 6, analytic: gradient.array) {
            MeanSquaredError.evaluate(predictions: predictions.data, targets: targets, count: 6, gradient: nil).loss
        }
        #expect(worst <= 1)
    }
}
