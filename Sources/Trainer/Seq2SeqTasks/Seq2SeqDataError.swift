/// Bad seq2seq task data or options: what was wrong and where.
public struct Seq2SeqDataError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
