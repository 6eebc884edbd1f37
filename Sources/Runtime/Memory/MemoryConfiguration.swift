/// What a memory-network file says (`recur.task = memory_qa`, docs/FORMAT.md "memory_qa"): an
/// end-to-end memory network with adjacent weight tying, position and temporal encoding
/// (docs/MEMORY.md).
///
/// `Model.memory` is non-nil exactly when `Model.task` is `.memoryQA`; a `MemorySession`
/// (`Model.makeMemorySession`) runs it. The network has no layer stack (`Model.layers` is
/// empty): its word and temporal tables are read here. Everything was checked when the model
/// loaded.
public struct MemoryConfiguration: Sendable, Equatable {
    /// `recur.vocab`: word id → word (or answer token); `unknownToken` is `<unk>`.
    public let vocabulary: [String]
    /// `recur.token.unk`: what a word outside the vocabulary becomes.
    public let unknownToken: Int
    /// d (`recur.memory.dim`): the embedding width.
    public let dim: Int
    /// K (`recur.memory.hops`): memory hops per question.
    public let hops: Int
    /// M (`recur.memory.capacity`): sentences the memory holds.
    public let capacity: Int
    /// `recur.memory.max_words`: the longest sentence (words) a line may have.
    public let maxWords: Int
    /// I8 or F32: the type every word table has in the file.
    public let weightType: WeightType

    /// The K + 1 word tables and K + 1 temporal tables.
    public var parameterCount: Int { (hops + 1) * (vocabulary.count + capacity) * dim }
}
