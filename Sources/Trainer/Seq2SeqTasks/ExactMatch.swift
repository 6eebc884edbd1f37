/// The fraction of hypotheses that equal their reference token for token.
public enum ExactMatch {
    /// In 0…1; 0 for an empty corpus.
    public static func accuracy(hypotheses: [[String]], references: [[String]]) -> Double {
        precondition(hypotheses.count == references.count, "exact match needs one reference per hypothesis")
        if hypotheses.isEmpty { return 0 }
        let equal = zip(hypotheses, references).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(equal) / Double(hypotheses.count)
    }
}
