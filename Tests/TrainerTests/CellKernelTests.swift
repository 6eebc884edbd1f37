import CTrainer
import Foundation
import Testing
import TestSupport

/// The cells' row kernels (CTrainer's cells.c) against their formulas in Double with libm's exp
/// and tanh, and every path this CPU runs against the portable one, bit for bit. Widths leave
/// partial 8-lane blocks; pre-activations reach the clamp of exp (|x| > 87) and both branches of
/// tanh (|x| below and above 0.625, within one block). The finite-difference tests
/// (LayerGradientTests) check that the kernels and the products form the gradient.
@Suite struct CellKernelTests {
    static let paths = [RT_PATH_PORTABLE, RT_PATH_AVX2_FMA].filter { rt_path_available($0) != 0 }
    static let widths = [1, 7, 8, 13, 24, 33]
    static let rows = 5
    static let biasRows = 2

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Pre-activations: mostly in [-3, 3], some near 0, some far out (the clamp), mixed in one block.
    static func preActivations(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<count).map { k in
            switch k % 7 {
            case 0: rng.uniform(-0.6, 0.6)
            case 3: rng.uniform(-120, 120)
            default: rng.uniform(-3, 3)
            }
        }
    }

    /// |got − want| ≤ 4e-6 · (1 + |want|) everywhere; returns the worst case for the message.
    static func expectClose(_ got: [Float], _ want: [Double], _ what: String) {
        #expect(got.count == want.count)
        var worst = 0.0
        for (g, w) in zip(got, want) { worst = max(worst, abs(Double(g) - w) / (1 + abs(w))) }
        #expect(worst <= 4e-6, "\(what): worst relative error \(worst)")
    }

    static func expectSameBits(_ a: [Float], _ b: [Float], _ what: String) {
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(what): the paths differ")
    }

    @Test("LSTM rows: the formula, and the same bits on every path")
    func lstm() {
        var rng = SeededGenerator(seed: 11)
        for h in Self.widths {
            let (b, g4) = (Self.rows, 4 * h)
            let a0 = Self.preActivations(b * g4, &rng), bias = rng.uniforms(g4, -0.5, 0.5)
            let cPrev = rng.uniforms(b * h, -2, 2), dh = rng.uniforms(b * h), dc0 = rng.uniforms(b * h)
            let dBias0 = rng.uniforms(((b + Self.biasRows - 1) / Self.biasRows) * g4)
            var results: [[Float]] = []
            for path in Self.paths {
                var gates = a0, cNext = [Float](repeating: 0, count: b * h), tanhC = cNext, hNext = cNext
                rt_lstm_forward_rows(path, b, h, &gates, bias, cPrev, &cNext, &tanhC, &hNext)
                var dc = dc0, dGates = [Float](repeating: 0, count: b * g4), dBias = dBias0
                rt_lstm_backward_rows(path, b, h, gates, cPrev, tanhC, dh, &dc, &dGates, &dBias, Self.biasRows)
                results.append(gates + cNext + tanhC + hNext + dc + dGates + dBias)
                if path == RT_PATH_PORTABLE {
                    // The formula in Double, from the same inputs.
                    var wGates = [Double](), wC = [Double](), wTanh = [Double](), wH = [Double]()
                    var wDc = [Double](), wDGates = [Double](repeating: 0, count: b * g4), wDBias = dBias0.map(Double.init)
                    for r in 0..<b {
                        let pre = (0..<g4).map { Double(a0[r * g4 + $0]) + Double(bias[$0]) }
                        let act = (0..<g4).map { $0 / h == 2 ? tanh(pre[$0]) : Self.sigmoid(pre[$0]) }
                        wGates += act
                        for j in 0..<h {
                            let (i, f, g, o) = (act[j], act[h + j], act[2 * h + j], act[3 * h + j])
                            let c = f * Double(cPrev[r * h + j]) + i * g
                            wC.append(c); wTanh.append(tanh(c)); wH.append(o * tanh(c))
                            // backward from the kernel's own forward values (its error is checked above)
                            let (gi, gf, gg, go) = (Double(gates[r * g4 + j]), Double(gates[r * g4 + h + j]),
                                                    Double(gates[r * g4 + 2 * h + j]), Double(gates[r * g4 + 3 * h + j]))
                            let tc = Double(tanhC[r * h + j]), dhv = Double(dh[r * h + j])
                            let dcv = Double(dc0[r * h + j]) + dhv * go * (1 - tc * tc)
                            let d = [dcv * gg * gi * (1 - gi), dcv * Double(cPrev[r * h + j]) * gf * (1 - gf),
                                     dcv * gi * (1 - gg * gg), dhv * tc * go * (1 - go)]
                            for k in 0..<4 {
                                wDGates[r * g4 + k * h + j] = d[k]
                                wDBias[(r / Self.biasRows) * g4 + k * h + j] += d[k]
                            }
                            wDc.append(dcv * gf)
                        }
                    }
                    Self.expectClose(gates, wGates, "LSTM gates h=\(h)")
                    Self.expectClose(cNext, wC, "LSTM c h=\(h)")
                    Self.expectClose(tanhC, wTanh, "LSTM tanh c h=\(h)")
                    Self.expectClose(hNext, wH, "LSTM h h=\(h)")
                    Self.expectClose(dc, wDc, "LSTM dc h=\(h)")
                    Self.expectClose(dGates, wDGates, "LSTM dGates h=\(h)")
                    Self.expectClose(dBias, wDBias, "LSTM dBias h=\(h)")
                }
            }
            for k in results.indices.dropFirst() { Self.expectSameBits(results[k], results[0], "LSTM h=\(h)") }
        }
    }

    @Test("GRU rows: the formula, and the same bits on every path")
    func gru() {
        var rng = SeededGenerator(seed: 12)
        for h in Self.widths {
            let (b, g3) = (Self.rows, 3 * h)
            let u0 = Self.preActivations(b * g3, &rng), v0 = Self.preActivations(b * g3, &rng)
            let bias = rng.uniforms(g3, -0.5, 0.5), biasHN = rng.uniforms(h, -0.5, 0.5)
            let hPrev = rng.uniforms(b * h), dh0 = rng.uniforms(b * h)
            let biasCount = ((b + Self.biasRows - 1) / Self.biasRows) * g3
            let dBiasIH0 = rng.uniforms(biasCount), dBiasHH0 = rng.uniforms(biasCount)
            var results: [[Float]] = []
            for path in Self.paths {
                var u = u0, v = v0, hNext = [Float](repeating: 0, count: b * h)
                rt_gru_forward_rows(path, b, h, &u, &v, bias, biasHN, hPrev, &hNext)
                var dh = dh0, dGx = [Float](repeating: 0, count: b * g3), dGh = dGx
                var dBiasIH = dBiasIH0, dBiasHH = dBiasHH0
                rt_gru_backward_rows(path, b, h, u, v, hPrev, &dh, &dGx, &dGh, &dBiasIH, &dBiasHH, Self.biasRows)
                results.append(u + v + hNext + dh + dGx + dGh + dBiasIH + dBiasHH)
                if path == RT_PATH_PORTABLE {
                    var wGates = [Double](repeating: 0, count: b * g3), wH = [Double](), wDh = [Double]()
                    var wDGx = [Double](repeating: 0, count: b * g3), wDGh = wDGx
                    var wDBiasIH = dBiasIH0.map(Double.init), wDBiasHH = dBiasHH0.map(Double.init)
                    for r in 0..<b {
                        for j in 0..<h {
                            let at = { (k: Int) in r * g3 + k * h + j }
                            let rg = Self.sigmoid(Double(u0[at(0)]) + Double(bias[j]) + Double(v0[at(0)]))
                            let z = Self.sigmoid(Double(u0[at(1)]) + Double(bias[h + j]) + Double(v0[at(1)]))
                            let vn = Double(v0[at(2)]) + Double(biasHN[j])
                            let n = tanh(Double(u0[at(2)]) + Double(bias[2 * h + j]) + rg * vn)
                            (wGates[at(0)], wGates[at(1)], wGates[at(2)]) = (rg, z, n)
                            wH.append((1 - z) * n + z * Double(hPrev[r * h + j]))
                            let (kr, kz, kn) = (Double(u[at(0)]), Double(u[at(1)]), Double(u[at(2)]))
                            let dhv = Double(dh0[r * h + j])
                            let dan = dhv * (1 - kz) * (1 - kn * kn)
                            let dar = dan * Double(v[at(2)]) * kr * (1 - kr)
                            let daz = dhv * (Double(hPrev[r * h + j]) - kn) * kz * (1 - kz)
                            (wDGx[at(0)], wDGx[at(1)], wDGx[at(2)]) = (dar, daz, dan)
                            (wDGh[at(0)], wDGh[at(1)], wDGh[at(2)]) = (dar, daz, dan * kr)
                            for k in 0..<3 {
                                wDBiasIH[(r / Self.biasRows) * g3 + k * h + j] += wDGx[at(k)]
                                wDBiasHH[(r / Self.biasRows) * g3 + k * h + j] += wDGh[at(k)]
                            }
                            wDh.append(dhv * kz)
                        }
                    }
                    Self.expectClose(u, wGates, "GRU gates h=\(h)")
                    Self.expectClose(hNext, wH, "GRU h h=\(h)")
                    Self.expectClose(dh, wDh, "GRU dh h=\(h)")
                    Self.expectClose(dGx, wDGx, "GRU dGx h=\(h)")
                    Self.expectClose(dGh, wDGh, "GRU dGh h=\(h)")
                    Self.expectClose(dBiasIH, wDBiasIH, "GRU dBiasIH h=\(h)")
                    Self.expectClose(dBiasHH, wDBiasHH, "GRU dBiasHH h=\(h)")
                }
            }
            for k in results.indices.dropFirst() { Self.expectSameBits(results[k], results[0], "GRU h=\(h)") }
        }
    }

    @Test("RNN rows, tanh and relu: the formula, and the same bits on every path", arguments: [false, true])
    func rnn(relu: Bool) {
        var rng = SeededGenerator(seed: relu ? 14 : 13)
        for h in Self.widths {
            let b = Self.rows
            let a0 = Self.preActivations(b * h, &rng), bias = rng.uniforms(h, -0.5, 0.5), dh = rng.uniforms(b * h)
            let dBias0 = rng.uniforms(((b + Self.biasRows - 1) / Self.biasRows) * h)
            var results: [[Float]] = []
            for path in Self.paths {
                var a = a0, dA = [Float](repeating: 0, count: b * h), dBias = dBias0
                rt_rnn_forward_rows(path, b, h, &a, bias, relu ? 1 : 0)
                rt_rnn_backward_rows(path, b, h, a, dh, &dA, &dBias, Self.biasRows, relu ? 1 : 0)
                results.append(a + dA + dBias)
                if path == RT_PATH_PORTABLE {
                    var wA = [Double](), wDA = [Double](), wDBias = dBias0.map(Double.init)
                    for r in 0..<b {
                        for j in 0..<h {
                            let x = Double(a0[r * h + j]) + Double(bias[j])
                            wA.append(relu ? max(x, 0) : tanh(x))
                            let y = Double(a[r * h + j]), d = Double(dh[r * h + j])
                            let da = relu ? (y > 0 ? d : 0) : d * (1 - y * y)
                            wDA.append(da)
                            wDBias[(r / Self.biasRows) * h + j] += da
                        }
                    }
                    Self.expectClose(a, wA, "RNN h=\(h)")
                    Self.expectClose(dA, wDA, "RNN dA h=\(h)")
                    Self.expectClose(dBias, wDBias, "RNN dBias h=\(h)")
                }
            }
            for k in results.indices.dropFirst() { Self.expectSameBits(results[k], results[0], "RNN h=\(h) relu=\(relu)") }
        }
    }

    @Test("tanh and exp for the rest of the trainer: libm's within 4e-6, the same bits on every path")
    func elementwise() {
        var rng = SeededGenerator(seed: 15)
        for n in Self.widths {
            let x = Self.preActivations(n, &rng), shift = rng.uniform(-2, 2)
            var results: [[Float]] = []
            for path in Self.paths {
                var t = x, e = [Float](repeating: 0, count: n)
                rt_tanh_in_place(path, &t, n)
                rt_exp_shifted(path, x, shift, &e, n)
                var inPlace = x
                inPlace.withUnsafeMutableBufferPointer { rt_exp_shifted(path, $0.baseAddress, shift, $0.baseAddress, n) }
                #expect(inPlace == e, "exp in place n=\(n)")
                results.append(t + e)
                // exp clamps its argument to [-87, 88]
                Self.expectClose(t, x.map { tanh(Double($0)) }, "tanh n=\(n)")
                Self.expectClose(e, x.map { exp(min(max(Double($0 - shift), -87), 88)) }, "exp n=\(n)")
            }
            for k in results.indices.dropFirst() { Self.expectSameBits(results[k], results[0], "tanh/exp n=\(n)") }
        }
    }
}
