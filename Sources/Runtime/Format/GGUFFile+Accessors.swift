/// Typed access to metadata for the model loader.
///
/// The required forms throw ``RecurError/missingKey(_:)`` when the key is absent; every
/// form throws ``RecurError/wrongKeyType(key:expected:found:)`` ("expected u32, found string")
/// when it is present with another type. No conversions between types happen: a key the
/// format declares u32 must be stored as u32.
extension GGUFFile {
    /// The value stored under `key`, if any.
    public func value(_ key: String) -> GGUFValue? {
        metadata[key]
    }

    /// The value under `key`, or `missingKey`.
    public func requiredValue(_ key: String) throws(RecurError) -> GGUFValue {
        guard let value = metadata[key] else {
            throw .missingKey(key)
        }
        return value
    }

    /// The `key` value as u32, or nil when absent.
    public func optionalUInt32(_ key: String) throws(RecurError) -> UInt32? {
        try lookup(key, "u32") { value in if case let .uint32(result) = value { return result }; return nil }
    }

    /// The `key` value as u32; `missingKey` when absent.
    public func uint32(_ key: String) throws(RecurError) -> UInt32 {
        try required(key, optionalUInt32(key))
    }

    /// The `key` value as i32, or nil when absent.
    public func optionalInt32(_ key: String) throws(RecurError) -> Int32? {
        try lookup(key, "i32") { value in if case let .int32(result) = value { return result }; return nil }
    }

    /// The `key` value as i32; `missingKey` when absent.
    public func int32(_ key: String) throws(RecurError) -> Int32 {
        try required(key, optionalInt32(key))
    }

    /// The `key` value as f32, or nil when absent.
    public func optionalFloat(_ key: String) throws(RecurError) -> Float? {
        try lookup(key, "f32") { value in if case let .float32(result) = value { return result }; return nil }
    }

    /// The `key` value as f32; `missingKey` when absent.
    public func float(_ key: String) throws(RecurError) -> Float {
        try required(key, optionalFloat(key))
    }

    /// The `key` value as bool, or nil when absent.
    public func optionalBool(_ key: String) throws(RecurError) -> Bool? {
        try lookup(key, "bool") { value in if case let .bool(result) = value { return result }; return nil }
    }

    /// The `key` value as bool; `missingKey` when absent.
    public func bool(_ key: String) throws(RecurError) -> Bool {
        try required(key, optionalBool(key))
    }

    /// The `key` value as string, or nil when absent.
    public func optionalString(_ key: String) throws(RecurError) -> String? {
        try lookup(key, "string") { value in if case let .string(result) = value { return result }; return nil }
    }

    /// The `key` value as string; `missingKey` when absent.
    public func string(_ key: String) throws(RecurError) -> String {
        try required(key, optionalString(key))
    }

    /// The `key` value as string[], or nil when absent.
    public func optionalStrings(_ key: String) throws(RecurError) -> [String]? {
        try lookup(key, "string[]") { value in if case let .array(.string(result)) = value { return result }; return nil }
    }

    /// The `key` value as string[]; `missingKey` when absent.
    public func strings(_ key: String) throws(RecurError) -> [String] {
        try required(key, optionalStrings(key))
    }

    /// The `key` value as f32[], or nil when absent.
    public func optionalFloats(_ key: String) throws(RecurError) -> [Float]? {
        try lookup(key, "f32[]") { value in if case let .array(.float32(result)) = value { return result }; return nil }
    }

    /// The `key` value as f32[]; `missingKey` when absent.
    public func floats(_ key: String) throws(RecurError) -> [Float] {
        try required(key, optionalFloats(key))
    }

    /// The `key` value as u32[], or nil when absent.
    public func optionalUInt32s(_ key: String) throws(RecurError) -> [UInt32]? {
        try lookup(key, "u32[]") { value in if case let .array(.uint32(result)) = value { return result }; return nil }
    }

    /// The `key` value as u32[]; `missingKey` when absent.
    public func uint32s(_ key: String) throws(RecurError) -> [UInt32] {
        try required(key, optionalUInt32s(key))
    }

    /// The value under `key` passed through `extract`; `wrongKeyType` when `extract` rejects it.
    private func lookup<Result>(_ key: String, _ expected: String,
                                _ extract: (GGUFValue) -> Result?) throws(RecurError) -> Result? {
        guard let value = metadata[key] else { return nil }
        guard let result = extract(value) else {
            throw .wrongKeyType(key: key, expected: expected, found: value.typeName)
        }
        return result
    }

    private func required<Result>(_ key: String, _ value: Result?) throws(RecurError) -> Result {
        guard let value else { throw .missingKey(key) }
        return value
    }
}
