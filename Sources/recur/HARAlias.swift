/// The spellings of the HAR commands, rewritten to `recur har …` before parsing:
///
/// ```
/// recur train har --data DIR …        →  recur har train --data DIR …
/// recur eval MODEL… --data DIR        →  recur har eval MODEL… --data DIR
/// ```
///
/// Only `eval` with `--data` is rewritten: the built-in tasks' `recur eval MODEL` is unchanged.
enum HARAlias {
    /// `arguments` without the program name; returns them rewritten, or unchanged.
    static func rewrite(_ arguments: [String]) -> [String] {
        guard let command = arguments.first else { return arguments }
        let rest = Array(arguments.dropFirst())
        if command == "train", rest.first == "har" {
            return ["har", "train"] + rest.dropFirst()
        }
        if command == "eval", rest.contains(where: { $0 == "--data" || $0.hasPrefix("--data=") }) {
            return ["har", "eval"] + rest
        }
        return arguments
    }
}
