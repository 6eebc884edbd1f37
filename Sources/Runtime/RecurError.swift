/// Everything that can go wrong in the Runtime, as one concrete error type.
///
/// The Runtime throws only this type (typed throws), so the same code builds as
/// Embedded Swift. Each case carries what a user needs to fix the problem: the
/// key or tensor concerned, and what was expected against what was found.
public enum RecurError: Error, Equatable, Sendable {
    // MARK: Reading files

    /// The file could not be opened or read (`errno` from the system).
    case fileUnreadable(path: String, errno: Int32)

    // MARK: Streams (stdin, stdout, stderr)

    /// Reading an input stream failed (`errno` from the system).
    case readFailed(errno: Int32)
    /// The reader of an output stream has gone (EPIPE): the board binary exits 0 quietly.
    case outputClosed
    /// Writing an output stream failed for another reason (`errno` from the system).
    case writeFailed(errno: Int32)

    // MARK: The zstd container

    /// The bytes do not start with a zstd frame.
    case notZstdFrame
    /// The frame does not record its content size.
    case frameWithoutContentSize
    /// The declared content size exceeds the reader's limit.
    case contentTooLarge(size: UInt64, limit: UInt64)
    /// The content checksum does not match.
    case checksumMismatch
    /// zstd refused the frame for another reason (its own message).
    case decompressionFailed(String)
    /// Bytes follow the single frame.
    case trailingBytes(count: Int)

    // MARK: The GGUF file

    case badMagic(found: UInt32)
    case unsupportedGGUFVersion(found: UInt32)
    /// A read of `needed` bytes at `offset` for `what` runs past the end of the buffer.
    case truncated(what: String, offset: Int, needed: Int, available: Int)
    /// A count, length, dimension or offset overflows 64-bit arithmetic or any sane bound.
    case overflow(what: String)
    case invalidUTF8(what: String)
    case duplicateKey(String)
    case duplicateTensor(String)
    case unknownValueType(key: String, type: UInt32)
    case unknownTensorType(tensor: String, type: UInt32)
    case badAlignment(UInt32)
    case tensorMisaligned(tensor: String, offset: UInt64, alignment: Int)
    case tensorOutOfBounds(tensor: String, end: UInt64, dataSize: UInt64)
    case tensorsOverlap(String, String)

    // MARK: The Recur model in the file

    case wrongArchitecture(found: String)
    case formatVersionTooNew(found: UInt32, supported: UInt32)
    case missingKey(String)
    case wrongKeyType(key: String, expected: String, found: String)
    /// A key is present and typed right but its value is unusable (reason says why).
    case badKeyValue(key: String, reason: String)
    case missingTensor(String)
    case wrongTensorType(tensor: String, expected: String, found: String)
    case wrongTensorShape(tensor: String, expected: [Int], found: [Int])
    /// An I8 weight holds -128, outside the contract's [-127, 127].
    case int8OutOfRange(tensor: String, index: Int)

    // MARK: Running

    case wrongInputSize(expected: Int, found: Int)
    case tokenOutOfRange(token: Int, vocabularySize: Int)
    case kernelUnavailable(String)
    /// A self-test case did not reproduce bit for bit.
    case selfTestMismatch(testCase: Int, index: Int, expected: Float, found: Float, maxDifference: Float)
    /// The C core refused its arguments: a bug in the Runtime, not in the input.
    case internalError(String)
}
