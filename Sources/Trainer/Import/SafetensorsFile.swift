import Foundation

/// A safetensors file (the format `safetensors.torch.save_file` writes), read from untrusted bytes.
///
/// Layout (little-endian):
///
/// ```
/// offset  size  field
/// 0       8     u64 N: the header's length in bytes (at most `maximumHeaderBytes`)
/// 8       N     UTF-8 JSON object: tensor name → {"dtype": "F32", "shape": [rows, cols],
///               "data_offsets": [begin, end]}, plus an optional "__metadata__" of string → string
/// 8+N     ...   the data section; a tensor's bytes are data[begin..<end], row-major,
///               little-endian, and the tensors cover the section exactly (no gap, no overlap)
/// ```
///
/// Every size, shape and offset is checked before anything is read: the tensor's element
/// count times its dtype's size must equal `end - begin` (with overflow checks), and `end`
/// must lie inside the data section. Nothing is allocated beyond the bytes given and the
/// header's parsed form. Errors name the tensor.
///
/// ```swift
/// let file = try SafetensorsFile(bytes: bytes)
/// let weights = try file.floats(of: file.tensor(named: "lstm.weight_ih_l0"))
/// ```
public struct SafetensorsFile: Sendable {
    /// The longest header accepted (the limit of the reference implementation).
    public static let maximumHeaderBytes = 100_000_000
    /// Most dimensions in a tensor's shape.
    public static let maximumRank = 8

    /// One tensor's entry in the header.
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let dtype: SafetensorsDType
        /// PyTorch's shape, outermost first (`[rows, cols]` for a matrix); `[]` is a scalar.
        public let shape: [Int]
        /// Where the tensor's bytes are, relative to the start of the data section.
        public let byteRange: Range<Int>

        /// Elements: the product of `shape` (1 for a scalar).
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The tensors in data order (by `byteRange.lowerBound`).
    public let tensors: [Tensor]
    /// `__metadata__` (empty when absent).
    public let metadata: [String: String]
    /// The data section.
    private let data: [UInt8]

    /// Parses and validates `bytes`.
    ///
    /// - Throws: `SafetensorsError` naming what is wrong and, where there is one, the tensor.
    public init(bytes: [UInt8]) throws(SafetensorsError) {
        guard bytes.count >= 8 else { throw .truncated("the file is \(bytes.count) bytes; it starts with an 8-byte header length") }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(Self.maximumHeaderBytes) else {
            throw .badHeader("the header length \(length) is over the limit of \(Self.maximumHeaderBytes) bytes")
        }
        let headerEnd = 8 + Int(length)
        guard headerEnd <= bytes.count else {
            throw .truncated("the header is \(length) bytes but the file has only \(bytes.count - 8) after the length")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[8..<headerEnd]))
        } catch let error as DecodingError {
            throw Self.headerError(error)
        } catch {
            throw .badHeader("the header is not valid JSON (\(error))")
        }
        let dataCount = bytes.count - headerEnd
        var tensors: [Tensor] = []
        for (name, entry) in header.entries {
            tensors.append(try Self.tensor(name, entry, dataCount: dataCount))
        }
        tensors.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name) }
        // The tensors tile the data section: each starts where the previous one ended.
        var position = 0
        for tensor in tensors {
            if tensor.byteRange.lowerBound < position {
                throw .badOffsets(tensor: tensor.name, "bytes \(tensor.byteRange) overlap the previous tensor's, which end at \(position)")
            }
            if tensor.byteRange.lowerBound > position {
                throw .badOffsets(tensor: tensor.name, "bytes \(tensor.byteRange) leave a gap after offset \(position)")
            }
            position = tensor.byteRange.upperBound
        }
        if position != dataCount {
            throw .badOffsets(tensor: tensors.last?.name ?? "(none)",
                              "the tensors end at data offset \(position) but the data section has \(dataCount) bytes")
        }
        self.tensors = tensors
        self.metadata = header.metadata
        self.data = Array(bytes[headerEnd...])
    }

    /// The header: tensor entries and `__metadata__`, typed by JSONDecoder. Numbers are read as
    /// Double (so that 1.5 or 1e30 is an error naming the tensor, not a bare "invalid JSON"),
    /// then must be whole and at most 2^53 (`wholeNumbers`); true and "3" are type errors.
    private struct Header: Decodable {
        struct Entry: Decodable {
            var dtype: String
            var shape: [Double]
            var data_offsets: [Double]
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if key.stringValue == "__metadata__" {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
                }
            }
        }
    }

    /// A decoding failure as an error naming the tensor (the first key of its path).
    private static func headerError(_ error: DecodingError) -> SafetensorsError {
        let (path, detail): ([any CodingKey], String) = switch error {
        case .typeMismatch(let type, let context): (context.codingPath, "expected \(type) (\(context.debugDescription))")
        case .valueNotFound(let type, let context): (context.codingPath, "expected \(type), found null")
        case .keyNotFound(let key, let context): (context.codingPath, "no \"\(key.stringValue)\" field")
        case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
        @unknown default: ([], "\(error)")
        }
        if path.isEmpty, case .typeMismatch = error { return .badHeader("the header is not a JSON object") }
        guard let tensor = path.first?.stringValue else {
            return .badHeader("the header is not a JSON object of tensor entries (\(detail))")
        }
        let field = path.dropFirst().map(\.stringValue).joined(separator: ".")
        return .badEntry(tensor: tensor, field.isEmpty ? detail : "\(field): \(detail)")
    }

    /// One header entry, checked against the data section's size.
    private static func tensor(_ name: String, _ entry: Header.Entry, dataCount: Int) throws(SafetensorsError) -> Tensor {
        guard let dtype = SafetensorsDType(rawValue: entry.dtype) else { throw .unknownDType(tensor: name, dtype: entry.dtype) }
        guard entry.shape.count <= maximumRank else {
            throw .badEntry(tensor: name, "the shape has \(entry.shape.count) dimensions; at most \(maximumRank)")
        }
        guard let shape = wholeNumbers(entry.shape) else {
            throw .badEntry(tensor: name, "shape \(entry.shape) holds a number that is not a whole number up to 2^53")
        }
        guard let offsets = wholeNumbers(entry.data_offsets) else {
            throw .badEntry(tensor: name, "data_offsets \(entry.data_offsets) holds a number that is not a whole number up to 2^53")
        }
        var elements = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw .badEntry(tensor: name, "shape \(shape) holds a negative dimension")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= dataCount else {
                throw .badOffsets(tensor: name, "shape \(shape) needs more bytes than the data section's \(dataCount)")
            }
            elements = product
        }
        guard offsets.count == 2 else {
            throw .badEntry(tensor: name, "data_offsets has \(offsets.count) values, expected [begin, end]")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, end >= begin else { throw .badOffsets(tensor: name, "data_offsets [\(begin), \(end)] are not an ascending pair") }
        guard end <= dataCount else {
            throw .badOffsets(tensor: name, "data_offsets [\(begin), \(end)] end past the data section's \(dataCount) bytes")
        }
        let bytes = elements * dtype.size  // elements ≤ dataCount, so no overflow
        guard end - begin == bytes else {
            throw .badOffsets(tensor: name, "shape \(shape) of \(dtype.rawValue) is \(bytes) bytes but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return Tensor(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// `values` as Ints when every one is a whole number of magnitude at most 2^53 (exact in a Double).
    private static func wholeNumbers(_ values: [Double]) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard value.rounded() == value, abs(value) <= 9_007_199_254_740_992 else { return nil }
            result.append(Int(value))
        }
        return result
    }

    /// The tensor called `name`.
    ///
    /// - Throws: `missingTensor` when there is none.
    public func tensor(named name: String) throws(SafetensorsError) -> Tensor {
        guard let tensor = tensors.first(where: { $0.name == name }) else { throw .missingTensor(name) }
        return tensor
    }

    /// The tensor's values as Float: F32 as stored, F16 and BF16 converted exactly.
    ///
    /// - Throws: `unsupportedDType` for any other dtype.
    public func floats(of tensor: Tensor) throws(SafetensorsError) -> [Float] {
        let start = tensor.byteRange.lowerBound
        let count = tensor.elementCount
        var values = [Float](repeating: 0, count: count)
        switch tensor.dtype {
        case .f32:
            for i in 0..<count { values[i] = Float(bitPattern: littleEndian32(start + 4 * i)) }
        case .f16:
            for i in 0..<count { values[i] = Float(Float16(bitPattern: littleEndian16(start + 2 * i))) }
        case .bf16:
            // bfloat16 is the top half of a binary32.
            for i in 0..<count { values[i] = Float(bitPattern: UInt32(littleEndian16(start + 2 * i)) << 16) }
        default:
            throw .unsupportedDType(tensor: tensor.name, dtype: tensor.dtype.rawValue)
        }
        return values
    }

    private func littleEndian16(_ offset: Int) -> UInt16 {
        UInt16(data[offset]) | UInt16(data[offset + 1]) << 8
    }

    private func littleEndian32(_ offset: Int) -> UInt32 {
        UInt32(data[offset]) | UInt32(data[offset + 1]) << 8 | UInt32(data[offset + 2]) << 16 | UInt32(data[offset + 3]) << 24
    }
}
