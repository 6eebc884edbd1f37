import Foundation
import RecurRuntime

/// Scores an exported model on held-out data through the Runtime — what a board would compute.
public enum RuntimeEvaluation {
    /// Mean squared and mean absolute error of a regressor.
    public struct RegressionScore: Sendable, Equatable {
        public var mse: Double
        public var mae: Double
    }

    /// Runs every sequence of `data` through a fresh stream (state reset, a result every frame)
    /// and scores the result after its last frame against `targetValues`.
    ///
    /// - Throws: `RecurError` when the model does not take `data`'s frames.
    public static func regression(_ model: Model, on data: TaskDataset) throws(RecurError) -> RegressionScore {
        let session = try model.makeFrameSession(window: 0, hop: 1)
        let width = data.outputs
        var squares = 0.0, absolute = 0.0
        for n in 0..<data.count {
            session.reset()
            var last: [Float] = []
            for t in 0..<data.steps {
                let start = (n * data.steps + t) * data.features
                if let result = try session.step(Array(data.frames[start..<(start + data.features)])) {
                    last = Array(result.outputs)
                }
            }
            if last.count != width { throw .wrongInputSize(expected: width, found: last.count) }
            for j in 0..<width {
                let e = Double(last[j]) - Double(data.targetValues[n * width + j])
                squares += e * e
                absolute += abs(e)
            }
        }
        let total = Double(max(data.count * width, 1))
        return RegressionScore(mse: squares / total, mae: absolute / total)
    }

    /// Bits per token of an lm over `stream`: one session fed token by token,
    /// `−log2 p(next)` averaged over every position that has a next token.
    ///
    /// bits = (logsumexp(z) − z[next]) / ln 2, in double precision from the logits.
    public static func bitsPerToken(_ model: Model, stream: [Int32]) throws(RecurError) -> Double {
        let session = try model.makeLanguageSession()
        guard stream.count > 1 else { return 0 }
        var total = 0.0
        for i in 0..<(stream.count - 1) {
            try session.feed(Int(stream[i]))
            let z = session.logits
            var peak = -Double.infinity
            for v in z { peak = max(peak, Double(v)) }
            var sum = 0.0
            for v in z { sum += Foundation.exp(Double(v) - peak) }
            total += (peak + Foundation.log(sum) - Double(z[Int(stream[i + 1])])) / M_LN2
        }
        return total / Double(stream.count - 1)
    }
}
