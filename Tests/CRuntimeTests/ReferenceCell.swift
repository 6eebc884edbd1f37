import CRuntime
import Foundation

/// The cell equations of recur_core.h in plain double precision, for checking
/// the f32 steps: a = W_ih x + b_ih + W_hh h + b_hh, then the gates.
enum ReferenceCell {
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// y = W x + b for a (rows, cols) row-major W.
    static func affine(_ w: [Float], _ b: [Float], _ x: [Double]) -> [Double] {
        let cols = x.count
        return (0..<b.count).map { r in
            (0..<cols).reduce(Double(b[r])) { $0 + Double(w[r * cols + $1]) * x[$1] }
        }
    }

    /// One step of `layer` from `state` ([h] or [h, c]); returns the new state.
    static func step(_ layer: TestLayer, x: [Double], state: [Double]) -> [Double] {
        let H = layer.hidden
        let h = Array(state[0..<H])
        let u = affine(layer.wIh, layer.bIh, x)      // (G*H)
        let v = affine(layer.wHh, layer.bHh, h)      // (G*H)
        switch layer.cell {
        case RC_CELL_LSTM:
            let c = Array(state[H..<2 * H])
            var hNew = [Double](repeating: 0, count: H), cNew = hNew
            for j in 0..<H {
                // i, f, g, o = σ(a_i), σ(a_f), tanh(a_g), σ(a_o); c' = f c + i g; h' = o tanh(c')
                let i = sigmoid(u[j] + v[j]), f = sigmoid(u[H + j] + v[H + j])
                let g = tanh(u[2 * H + j] + v[2 * H + j]), o = sigmoid(u[3 * H + j] + v[3 * H + j])
                cNew[j] = f * c[j] + i * g
                hNew[j] = o * tanh(cNew[j])
            }
            return hNew + cNew
        case RC_CELL_GRU:
            return (0..<H).map { j in
                // r, z = σ(u + v); n = tanh(u_n + r v_n); h' = (1 - z) n + z h
                let r = sigmoid(u[j] + v[j]), z = sigmoid(u[H + j] + v[H + j])
                let n = tanh(u[2 * H + j] + r * v[2 * H + j])
                return (1 - z) * n + z * h[j]
            }
        case RC_CELL_RNN_TANH:
            return (0..<H).map { tanh(u[$0] + v[$0]) }
        default:
            return (0..<H).map { max(0, u[$0] + v[$0]) }
        }
    }
}
