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
    /// The file ends inside the zstd frame (its header or its blocks): `available` bytes in all.
    case frameTruncated(available: Int)

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
    /// Arrays nested inside arrays deeper than the reader allows (a guard against stack exhaustion).
    case arrayNestingTooDeep(key: String, limit: Int)
    /// A BOOL value byte other than 0 or 1.
    case invalidBool(key: String, value: UInt8)
    /// A key is empty or longer than GGUF's 65535 bytes (index counts pairs from 0).
    case invalidKey(index: Int, length: Int)
    /// A tensor declares a number of dimensions outside 1...4.
    case badDimensionCount(tensor: String, found: UInt32)

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
    /// Layer `layer`'s input size differs from what feeds it: the previous layer's
    /// output (or `recur.input.size` for layer 0).
    case layerSizeMismatch(layer: Int, input: Int, previousOutput: Int)

    // MARK: Running

    case wrongInputSize(expected: Int, found: Int)
    case tokenOutOfRange(token: Int, vocabularySize: Int)
    case kernelUnavailable(String)
    /// A window/hop pair a session cannot run (reason says why).
    case badWindow(window: Int, hop: Int, reason: String)
    /// The operation needs another kind of model (e.g. `feed` on a classifier).
    case wrongTask(expected: String, found: String)
    /// A self-test case did not reproduce bit for bit.
    case selfTestMismatch(testCase: Int, index: Int, expected: Float, found: Float, maxDifference: Float)
    /// The C core refused its arguments: a bug in the Runtime, not in the input.
    case internalError(String)

    // MARK: Token lines (seq2seq, text classifier)

    /// A line with no tokens: the decoder would have nothing to attend to, the classifier nothing to classify.
    case emptyInput
    /// A line of `tokens` tokens, over the model's `recur.source.max_length` (seq2seq) or
    /// `recur.text.max_length` (text classifier).
    case inputTooLong(tokens: Int, limit: Int)
    /// A text classifier's line whose `tokens` tokens are all the unknown token.
    case noKnownToken(tokens: Int)
    /// A beam width outside 1...maximum (or an N-best count larger than the beam).
    case badBeamWidth(width: Int, maximum: Int)

    // MARK: Images (image_to_text)

    /// The bytes are not a binary PGM/PPM image the reader accepts (reason says what and where).
    case badImage(String)
    /// An image of another size or channel count than the model's `recur.image.*`.
    case wrongImageSize(width: Int, height: Int, channels: Int, expectedWidth: Int, expectedHeight: Int, expectedChannels: Int)
}

// MARK: - Messages

extension RecurError: CustomStringConvertible {
    /// One line that names what was wrong, where, and what was expected against what was found.
    public var description: String {
        switch self {
        case let .fileUnreadable(path, errno):
            return "cannot read \(path) (errno \(errno))"
        case let .readFailed(errno):
            return "reading the input failed (errno \(errno))"
        case .outputClosed:
            return "the reader of the output has gone (broken pipe)"
        case let .writeFailed(errno):
            return "writing the output failed (errno \(errno))"
        case .notZstdFrame:
            return "not a .rnnz file: the bytes do not start with a zstd frame"
        case .frameWithoutContentSize:
            return "the zstd frame does not record its content size (a .rnnz writer must set it)"
        case let .contentTooLarge(size, limit):
            return "the decompressed content would be \(size) bytes, over the limit of \(limit) bytes"
        case .checksumMismatch:
            return "the zstd content checksum does not match: the file is corrupted"
        case let .decompressionFailed(reason):
            return "zstd could not decompress the frame: \(reason)"
        case let .trailingBytes(count):
            return "\(count) unexpected bytes follow the zstd frame (a .rnnz file is exactly one frame)"
        case let .frameTruncated(available):
            return "the zstd frame is cut short: the file ends after \(available) bytes (an incomplete download or copy?)"
        case let .badMagic(found):
            return "not a GGUF file: magic is 0x\(hex(found)), expected 0x46554747 (\"GGUF\")"
        case let .unsupportedGGUFVersion(found):
            return "GGUF version \(found) is not supported: expected version 3"
        case let .truncated(what, offset, needed, available):
            return "truncated \(what): \(needed) bytes needed at offset \(offset), \(available) available"
        case let .overflow(what):
            return "\(what) is too large (overflows 64-bit arithmetic or runs past the file)"
        case let .invalidUTF8(what):
            return "\(what) is not valid UTF-8"
        case let .duplicateKey(key):
            return "key '\(key)' appears more than once"
        case let .duplicateTensor(name):
            return "tensor '\(name)' appears more than once"
        case let .unknownValueType(key, type):
            return "key '\(key)' has unknown GGUF value type \(type) (expected 0...12)"
        case let .unknownTensorType(tensor, type):
            return "tensor '\(tensor)' has unsupported ggml type \(type) (expected F32=0, F16=1, I8=24 or I32=26)"
        case let .badAlignment(value):
            return "general.alignment is \(value), expected a power of two"
        case let .tensorMisaligned(tensor, offset, alignment):
            return "tensor '\(tensor)' starts at data offset \(offset), not a multiple of the alignment \(alignment)"
        case let .tensorOutOfBounds(tensor, end, dataSize):
            return "tensor '\(tensor)' ends at data offset \(end), past the data section of \(dataSize) bytes"
        case let .tensorsOverlap(first, second):
            return "tensors '\(first)' and '\(second)' overlap in the data section"
        case let .arrayNestingTooDeep(key, limit):
            return "key '\(key)' nests arrays deeper than \(limit) levels"
        case let .invalidBool(key, value):
            return "key '\(key)' holds BOOL byte \(value), expected 0 or 1"
        case let .invalidKey(index, length):
            return "key #\(index) is \(length) bytes long, expected 1 to 65535"
        case let .badDimensionCount(tensor, found):
            return "tensor '\(tensor)' has \(found) dimensions, expected 1 to 4"
        case let .wrongArchitecture(found):
            return "general.architecture is '\(found)', expected 'recur'"
        case let .formatVersionTooNew(found, supported):
            return "recur.format_version: found v\(found), this reader supports up to \(supported)"
        case let .missingKey(key):
            return "required key '\(key)' is missing"
        case let .wrongKeyType(key, expected, found):
            return "key '\(key)' has type \(found), expected \(expected)"
        case let .badKeyValue(key, reason):
            return "key '\(key)': \(reason)"
        case let .missingTensor(name):
            return "required tensor '\(name)' is missing"
        case let .wrongTensorType(tensor, expected, found):
            return "tensor '\(tensor)' has type \(found), expected \(expected)"
        case let .wrongTensorShape(tensor, expected, found):
            return "tensor '\(tensor)' has shape \(found), expected \(expected)"
        case let .int8OutOfRange(tensor, index):
            return "tensor '\(tensor)' holds -128 at element \(index), outside the int8 range [-127, 127]"
        case let .layerSizeMismatch(layer, input, previousOutput):
            return layer == 0
                ? "layer 0 takes \(input) inputs but recur.input.size is \(previousOutput)"
                : "layer \(layer) takes \(input) inputs but layer \(layer - 1) outputs \(previousOutput)"
        case let .wrongInputSize(expected, found):
            return "input has \(found) values, expected \(expected)"
        case let .tokenOutOfRange(token, vocabularySize):
            return "token id \(token) is outside the vocabulary of \(vocabularySize)"
        case let .kernelUnavailable(name):
            return "kernel path \(name) is not available on this CPU"
        case let .badWindow(window, hop, reason):
            return "window \(window), hop \(hop): \(reason)"
        case let .wrongTask(expected, found):
            return "this needs a \(expected) model, the model is \(found)"
        case let .selfTestMismatch(testCase, index, expected, found, maxDifference):
            return "self-test \(testCase) differs at output \(index): expected \(expected), found \(found) (largest difference \(maxDifference))"
        case let .internalError(message):
            return "internal error: \(message)"
        case .emptyInput:
            return "empty input: the line has no tokens"
        case let .inputTooLong(tokens, limit):
            return "the input has \(tokens) tokens, over the model's limit of \(limit) (its max_length; --truncate keeps the first \(limit))"
        case let .noKnownToken(tokens):
            return "no known token: all \(tokens) tokens of the line are outside the vocabulary"
        case let .badBeamWidth(width, maximum):
            return "beam width \(width) is not in 1...\(maximum)"
        case let .badImage(reason):
            return "bad image: \(reason)"
        case let .wrongImageSize(width, height, channels, expectedWidth, expectedHeight, expectedChannels):
            return "the image is \(width) wide, \(height) high, \(channels) channel\(channels == 1 ? "" : "s"); "
                + "the model takes \(expectedWidth) wide, \(expectedHeight) high, \(expectedChannels) channel\(expectedChannels == 1 ? "" : "s")"
        }
    }
}

/// Upper-case hexadecimal digits of `value`, eight of them (no Foundation).
private func hex(_ value: UInt32) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
    var text = ""
    var shift = 28
    while shift >= 0 {
        text.append(digits[Int((value >> UInt32(shift)) & 0xF)])
        shift -= 4
    }
    return text
}
