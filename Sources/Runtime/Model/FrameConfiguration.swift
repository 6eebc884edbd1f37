/// What a frame model's file says (classifier, regressor; docs/FORMAT.md): the frames it
/// reads, how they are prepared, how they are windowed, and what a result holds.
///
/// `Model.frames` is non-nil exactly when `Model.task` is `.classifier` or `.regressor`; a
/// `FrameSession` (`Model.makeFrameSession`) runs it. Everything here was checked when the
/// model loaded.
public struct FrameConfiguration: Sendable {
    /// What a result's outputs are.
    public enum Outputs: Sendable, Equatable {
        /// A classifier: one probability per label (`recur.labels`).
        case labels([String])
        /// A regressor: `recur.output.size` numbers.
        case values(Int)
    }

    /// Features per frame the network reads (`recur.input.size`, after any preprocessing):
    /// what `FrameSession.step` takes.
    public let inputSize: Int
    /// `recur.input.names`, empty when absent.
    public let inputNames: [String]
    /// The stream computation the file asks for on every raw frame (`recur.preprocess`,
    /// docs/HAR.md); nil when the network reads raw frames. A session keeps its own running
    /// copy (`FrameSession.stepRaw`).
    public let preprocessor: StreamPreprocessor?
    /// Values per raw frame: what a stdin line carries and `FrameSession.stepRaw` takes.
    /// The preprocessor's input size, or `inputSize` without one.
    public let rawInputSize: Int
    /// Names of the raw frame's values (`recur.preprocess.input_names`, else
    /// `recur.input.names`); empty when the file has none.
    public let rawInputNames: [String]
    /// `recur.input.mean` / `.std`: the session feeds `(x - mean) / std`. Empty when the file
    /// has none (no normalization).
    public let mean: [Float]
    public let std: [Float]
    /// Default windowing: `window` 0 is one continuous stream with a result every `hop` frames.
    public let window: Int
    public let hop: Int
    /// `recur.segments`: the model classifies whole variable-length segments. A session then
    /// gives no result per frame; `FrameSession.endSegment()` gives the segment's result and
    /// starts the next segment from a zero state (recur-run: a blank line).
    public let segments: Bool
    /// `recur.sample_rate_hz`, when present.
    public let sampleRate: Float?
    /// Labels (classifier) or the number of values (regressor).
    public let outputs: Outputs

    /// A classifier's labels; empty for a regressor.
    public var labels: [String] {
        if case .labels(let names) = outputs { return names }
        return []
    }

    /// Values per result: labels (classifier) or outputs (regressor).
    public var outputSize: Int {
        switch outputs {
        case .labels(let names): return names.count
        case .values(let count): return count
        }
    }
}
