/// The version of Recur: what `recur --version`, `recur-run --version` and the C API's
/// `recur_version()` print, and the git tag a release carries (`0.1.0`). The one source of
/// truth: scripts/check-dependency reads it from here to tag its test clone.
public enum RecurVersion {
    public static let string: StaticString = "0.1.0"
}
