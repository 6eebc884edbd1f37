import RecurRuntime

/// `recur_status` (include/recur.h).
enum CStatus: Int32 {
    case ok = 0
    case invalidArgument = 1
    case fileError = 2
    case badModel = 3
    case badInput = 4
    case wrongTask = 5
    case selfTestFailed = 6
    case kernelUnavailable = 7
    case internalError = 8

    /// The status a Runtime error becomes: the one place that maps them.
    init(_ error: RecurError) {
        switch error {
        case .fileUnreadable: self = .fileError
        case .wrongInputSize, .tokenOutOfRange, .badWindow, .emptyInput, .inputTooLong, .noKnownToken,
             .badBeamWidth, .badImage, .wrongImageSize: self = .badInput
        case .wrongTask: self = .wrongTask
        case .selfTestMismatch: self = .selfTestFailed
        case .kernelUnavailable: self = .kernelUnavailable
        case .internalError, .readFailed, .outputClosed, .writeFailed: self = .internalError
        default: self = .badModel
        }
    }
}

/// Writes `text` NUL-terminated into `buffer` (at most `capacity` bytes, cut on a UTF-8
/// boundary), when the caller gave a buffer.
func writeMessage(_ text: String, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) {
    guard let buffer, capacity > 0 else { return }
    var length = 0
    var utf8 = Array(text.utf8)
    if utf8.count > capacity - 1 {
        var end = capacity - 1
        while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a multi-byte scalar
        utf8.removeSubrange(end...)
    }
    for byte in utf8 {
        buffer[length] = CChar(bitPattern: byte)
        length += 1
    }
    buffer[length] = 0
}

/// Reports `error` into the message buffer and returns its status.
func fail(_ error: RecurError, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    writeMessage(error.description, buffer, capacity)
    return CStatus(error).rawValue
}

/// Reports an argument problem and returns `invalidArgument`.
func invalidArgument(_ text: String, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int32 {
    writeMessage(text, buffer, capacity)
    return CStatus.invalidArgument.rawValue
}

/// A NUL-terminated copy of `text` that the C side may keep (freed by `CStrings.deinit`).
final class CStrings {
    private(set) var pointers: [UnsafeMutablePointer<CChar>] = []

    func add(_ text: String) {
        let utf8 = Array(text.utf8)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
        for (i, byte) in utf8.enumerated() { pointer[i] = CChar(bitPattern: byte) }
        pointer[utf8.count] = 0
        pointers.append(pointer)
    }

    subscript(index: Int) -> UnsafePointer<CChar>? {
        index >= 0 && index < pointers.count ? UnsafePointer(pointers[index]) : nil
    }

    deinit {
        for pointer in pointers { pointer.deallocate() }
    }
}
