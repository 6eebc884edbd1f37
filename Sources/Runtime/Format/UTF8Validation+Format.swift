// Merge resolution (runtime branch): the format and io branches each added an
// enum UTF8Validation to the Runtime module. io's public one (IO/UTF8Validation.swift)
// is kept; the format reader's `isValid` is expressed through it.
extension UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        firstInvalidOffset(bytes) == nil
    }
}
