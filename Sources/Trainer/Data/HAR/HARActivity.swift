/// The activities of HAPT (ids 1–12) and UCI HAR (ids 1–6), and which of them a model learns.
public enum HARClassSet: String, Sendable, Codable, CaseIterable {
    /// The six basic activities (UCI HAR's classes): ids 1–6.
    case basic
    /// All twelve HAPT activities, the six basic ones plus six postural transitions: ids 1–12.
    case withTransitions

    /// HAPT / UCI HAR activity ids in class order: class index `k` is `activityIDs[k]`.
    public var activityIDs: [Int] {
        switch self {
        case .basic: Array(1...6)
        case .withTransitions: Array(1...12)
        }
    }

    /// Class names in class order (the model's `recur.labels`).
    public var classNames: [String] {
        activityIDs.map { HARClassSet.activityNames[$0 - 1] }
    }

    /// The class index of an activity id, or nil when this set leaves it out.
    public func classIndex(ofActivity id: Int) -> Int? {
        activityIDs.contains(id) ? id - 1 : nil
    }

    /// HAPT's `activity_labels.txt`, id 1 first (UCI HAR's file is the first six).
    public static let activityNames = [
        "WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING", "STANDING", "LAYING",
        "STAND_TO_SIT", "SIT_TO_STAND", "SIT_TO_LIE", "LIE_TO_SIT", "STAND_TO_LIE", "LIE_TO_STAND",
    ]
}
