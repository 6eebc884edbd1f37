import RecurRuntime

extension OutputStream {
    /// A number for JSON: six decimals, or `null` for NaN and infinities (JSON has no such numbers).
    func writeJSONNumber(_ value: Float) {
        if value.isFinite {
            write(value, decimals: 6)
        } else {
            write("null")
        }
    }
}
