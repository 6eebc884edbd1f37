import FuzzSupport

/// Uncompressed seq2seq files: the seq2seq loader (vocabularies, encoder, decoder, attention,
/// limits), then self-tests, greedy decoding and a beam of two.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeq2Seq(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Exercise.load(UnsafeRawBufferPointer(start: data, count: size), compressed: false)
    return 0
}
