/// The rules for a frame task's window and hop, shared by the file's defaults
/// and a session's overrides.
///
/// `window` 0 is one continuous stateful stream with a result every `hop` frames.
/// `window` W > 0 with hop H gives a result for every window of W frames starting
/// at frames 0, H, 2H, …, computed as if that window were classified alone; the
/// session keeps `ceil(W / H)` staggered states for it. A hop longer than the window
/// would skip frames between windows and is refused.
public enum Windowing {
    /// Longest window accepted.
    static let maximumWindow = 1 << 20
    /// Most staggered window states (`ceil(window / hop)`) a session allocates.
    static let maximumStates = 4096

    /// Why `window`/`hop` cannot run, or nil when they can.
    public static func problem(window: Int, hop: Int) -> String? {
        if hop < 1 { return "hop must be at least 1" }
        if window < 0 || window > maximumWindow { return "window must be in 0...\(maximumWindow)" }
        if window > 0 && hop > window { return "hop \(hop) is longer than window \(window)" }
        if hop > maximumWindow { return "hop must be at most \(maximumWindow)" }
        if states(window: window, hop: hop) > maximumStates {
            return "window/hop needs \(states(window: window, hop: hop)) window states (at most \(maximumStates))"
        }
        return nil
    }

    /// Number of staggered states: `ceil(window / hop)`, 1 for a continuous stream.
    static func states(window: Int, hop: Int) -> Int {
        window == 0 ? 1 : (window + hop - 1) / hop
    }
}
