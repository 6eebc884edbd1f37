/// One continuous raw IMU recording with its labelled segments.
///
/// Samples are the model's input contract: six values per timestep at 50 Hz,
/// `acc_x acc_y acc_z` (g, gravity included) then `gyro_x gyro_y gyro_z` (rad/s).
public struct HARRecording: Sendable, Equatable {
    /// Values per sample (acc xyz, gyro xyz).
    public static let channels = 6
    /// Names of the six raw channels, in order.
    public static let channelNames = ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"]

    /// HAPT experiment number (`expXX`).
    public var experiment: Int
    /// Subject (user) id, 1–30.
    public var subject: Int
    /// `[count × 6]` row-major.
    public var samples: [Float]
    /// Labelled segments in the order of the label file, sorted by start.
    public var segments: [HARSegment]

    public init(experiment: Int, subject: Int, samples: [Float], segments: [HARSegment]) {
        precondition(samples.count % HARRecording.channels == 0, "samples must be [count × 6]")
        self.experiment = experiment
        self.subject = subject
        self.samples = samples
        self.segments = segments
    }

    /// Number of samples (timesteps).
    public var count: Int { samples.count / HARRecording.channels }
}

/// A run of samples that all carry one activity.
public struct HARSegment: Sendable, Equatable {
    /// HAPT activity id, 1–12.
    public var activity: Int
    /// First sample, 0-based (line 1 of the signal files is sample 0).
    public var first: Int
    /// Last sample, 0-based, inclusive.
    public var last: Int

    public init(activity: Int, first: Int, last: Int) {
        self.activity = activity
        self.first = first
        self.last = last
    }

    /// Samples in the segment (`last − first + 1`).
    public var length: Int { last - first + 1 }
}
