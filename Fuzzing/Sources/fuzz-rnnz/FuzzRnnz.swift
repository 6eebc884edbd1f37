import FuzzSupport

/// The `.rnnz` loader from the file's bytes: the zstd frame checks and decompression, the GGUF
/// parser, the Recur header and int8 checks, model validation for every task, then the
/// self-tests and a few steps (FuzzSupport.Exercise). Mutated compressed bytes mostly fail the
/// frame's checksum: fuzz-model and fuzz-seq2seq reach the layers below it directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRnnz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Exercise.load(UnsafeRawBufferPointer(start: data, count: size), compressed: true)
    return 0
}
