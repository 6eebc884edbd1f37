import Foundation

/// Number and duration formatting shared by the progress bar, reports and the CLI.
public enum Format {
    /// `1.234e-03`
    public static func scientific(_ value: Float, digits: Int = 3) -> String {
        String(format: "%.\(digits)e", Double(value))
    }

    /// `0.1234`
    public static func fixed(_ value: Double, digits: Int = 4) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `1h02m`, `3m07s`, `12s`; `--` for an unknown duration.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60) }
        if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return "\(total)s"
    }

    /// `12.3 KiB`
    public static func bytes(_ count: Int) -> String {
        if count < 1024 { return "\(count) B" }
        if count < 1 << 20 { return String(format: "%.1f KiB", Double(count) / 1024) }
        return String(format: "%.2f MiB", Double(count) / Double(1 << 20))
    }
}

extension String {
    /// The string padded with spaces on the right to at least `length` characters.
    public func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
