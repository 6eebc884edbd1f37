/// A result of a frame task: one completed window (or one hop of a continuous stream).
///
/// `outputs` points into the session's memory and stays valid until the next
/// `step` or `reset` of that session; copy it to keep it.
public struct FrameResult {
    /// Index of the window's last frame, counted over the frames stepped since the
    /// session began (or was reset), from 0.
    public let sampleIndex: Int
    /// The most probable label (classifier; lowest index on ties), nil for a regressor.
    public let label: Int?
    /// The label probabilities (classifier) or the outputs (regressor).
    public let outputs: UnsafeBufferPointer<Float>
}
