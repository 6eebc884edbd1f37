extension StreamPreprocessor {
    /// The preprocessor a model file asks for, or nil when it has none.
    ///
    /// Keys (docs/HAR.md): `recur.preprocess` (string) names the computation;
    /// `recur.preprocess.coefficients` (f32[]) its parameters; `recur.preprocess.input_size`
    /// (u32) the raw values per stdin line, and `recur.preprocess.output_size` (u32) the values
    /// it produces, which must equal `recur.input.size` (the network's input, the length of
    /// `recur.input.mean`/`std`, both applied after preprocessing).
    ///
    /// - Parameter file: a decoded `.rnnz`.
    /// - Throws: `missingKey` / `wrongKeyType` / `badKeyValue` naming the key at fault.
    public static func fromMetadata(of file: GGUFFile) throws(RecurError) -> StreamPreprocessor? {
        guard let name = try file.optionalString(PreprocessKind.key) else { return nil }
        let kind = try PreprocessKind(name: name)
        let preprocessor = try StreamPreprocessor(kind: kind, coefficients: try file.floats(PreprocessKind.coefficientsKey))
        let declaredInput = try file.uint32(PreprocessKind.inputSizeKey)
        guard Int(declaredInput) == kind.inputSize else {
            throw .badKeyValue(
                key: PreprocessKind.inputSizeKey,
                reason: "\(kind.name) reads \(kind.inputSize) values per frame, the file says \(declaredInput)")
        }
        if let names = try file.optionalStrings(PreprocessKind.inputNamesKey), names.count != kind.inputSize {
            throw .badKeyValue(
                key: PreprocessKind.inputNamesKey,
                reason: "has \(names.count) names for \(kind.inputSize) raw values")
        }
        let declaredOutput = try file.uint32(PreprocessKind.outputSizeKey)
        guard Int(declaredOutput) == kind.outputSize else {
            throw .badKeyValue(
                key: PreprocessKind.outputSizeKey,
                reason: "\(kind.name) writes \(kind.outputSize) values per frame, the file says \(declaredOutput)")
        }
        let networkInput = try file.uint32("recur.input.size")
        guard networkInput == declaredOutput else {
            throw .badKeyValue(
                key: "recur.input.size",
                reason: "the network reads \(networkInput) values per step but \(kind.name) writes \(declaredOutput)")
        }
        return preprocessor
    }
}
