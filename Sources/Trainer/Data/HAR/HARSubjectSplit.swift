/// Which subjects are held out for testing and for validation (early stopping).
public struct HARSubjectSplit: Sendable, Equatable, Codable {
    /// Subjects whose windows form the test set.
    public var test: Set<Int>
    /// Subjects, all outside `test`, whose windows form the validation set.
    public var validation: Set<Int>

    public init(test: Set<Int>, validation: Set<Int>) {
        precondition(test.isDisjoint(with: validation), "a subject is either test or validation")
        self.test = test
        self.validation = validation
    }

    /// UCI HAR's (and HAPT's) published test subjects.
    public static let uciTestSubjects: Set<Int> = [2, 4, 9, 10, 12, 13, 18, 20, 24]

    /// UCI HAR's split, with validation subjects 11, 22 and 30: every seventh of the
    /// 21 training subjects in ascending order (1 3 5 6 7 8 **11** 14 15 16 17 19 21
    /// **22** 23 25 26 27 28 29 **30**), a fixed choice spread over the subject range.
    public static let standard = HARSubjectSplit(test: uciTestSubjects, validation: [11, 22, 30])

    /// The part a subject's windows go to.
    public func part(ofSubject subject: Int) -> HARSplitPart {
        if test.contains(subject) { return .test }
        if validation.contains(subject) { return .validation }
        return .train
    }
}

/// One of the three parts of a split.
public enum HARSplitPart: String, Sendable, CaseIterable {
    case train, validation, test
}

/// Training, validation and test windows.
public struct HARSplit: Sendable, Equatable {
    public var train: HARWindowSet
    public var validation: HARWindowSet
    public var test: HARWindowSet

    /// The set for one part.
    public subscript(part: HARSplitPart) -> HARWindowSet {
        get {
            switch part {
            case .train: train
            case .validation: validation
            case .test: test
            }
        }
        set {
            switch part {
            case .train: train = newValue
            case .validation: validation = newValue
            case .test: test = newValue
            }
        }
    }
}
