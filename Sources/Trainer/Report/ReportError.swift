/// A report that cannot be written, with the message naming the file or directory and why.
public struct ReportError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
