extension Model {
    /// Makes a session with all its state and scratch memory.
    ///
    /// - Parameters:
    ///   - window: frames per window, overriding the file's `recur.window` (frame tasks;
    ///     0 = one continuous stream with a result every `hop` frames).
    ///   - hop: frames between window starts, overriding `recur.hop`.
    ///   - kernels: the kernel path the session computes with.
    /// - Throws: `badWindow` for a window/hop the session cannot run,
    ///   `kernelUnavailable` when this CPU lacks the path.
    public func makeSession(
        window: Int? = nil, hop: Int? = nil, kernels: KernelPath = .best
    ) throws(RecurError) -> Session {
        var sessionWindow = self.window
        var sessionHop = self.hop
        if task != .lm {
            sessionWindow = window ?? self.window
            sessionHop = hop ?? self.hop
            if let reason = Windowing.problem(window: sessionWindow, hop: sessionHop) {
                throw .badWindow(window: sessionWindow, hop: sessionHop, reason: reason)
            }
        }
        return try Session(model: self, window: sessionWindow, hop: sessionHop, kernels: kernels)
    }
}
