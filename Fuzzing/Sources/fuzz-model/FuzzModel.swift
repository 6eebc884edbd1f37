import FuzzSupport

/// A `.rnnz` after `zstd -d`: the GGUF parser, the Recur header and int8 checks, model validation
/// of classifiers, regressors and lms (the seeds), then self-tests and a few steps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Exercise.load(UnsafeRawBufferPointer(start: data, count: size), compressed: false)
    return 0
}
