import ArgumentParser
import Trainer

/// `recur train frames`: a classifier or regressor from the user's CSV files.
struct TrainFrames: TaskRunnerCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Classifier or regressor from your own CSV recordings (windows or whole segments).",
        discussion: """
            Each CSV file starts with a header line (quoted fields, CRLF, blank lines and `#` comment
            lines are fine). Each row is one frame; labels are per row, class names are the label
            values sorted (numerically when all are numbers). A sequence ends where
            --sequence-column's value (or --group-column's) changes and at the end of each file;
            windows start at the first row of each run of one label and every --hop rows after, and
            never cross a sequence end or a label change (shorter runs are dropped and counted).
            The split is by group (--group-column, e.g. the subject; without it by sequence): no
            group is in two parts. --test-groups names the test groups, otherwise --test-fraction
            picks whole groups with the seed; --validation-groups / --validation-fraction likewise
            pick the groups for early stopping. Normalisation comes from the training examples.

            --segments: each labelled run (a gesture, a spoken vowel, an image's rows) is one
            example of its own length; the file says so (recur.segments) and recur-run then reads
            a blank line as the end of a segment: one result per segment, state reset.

            Regressor: --target-columns A,B,…: the targets at each window's (or segment's) last row.

            Examples:
              recur train frames --csv walk.csv --csv run.csv --label-column activity \\
                  --group-column subject --window 64 --hop 32 -o activity.rnnz
              recur train frames --csv gestures.csv --label-column gesture --sequence-column take \\
                  --segments --test-groups alice -o gestures.rnnz
              recur train frames --csv imu.csv --columns ax,ay,az,gx,gy,gz --label-column label \\
                  --group-column subject --window 128 --rate 50 --preprocess gravity-split -o har.rnnz
              recur train frames --csv plant.csv --target-columns temperature --sequence-column day \\
                  --window 32 -o plant.rnnz
            """)

    @OptionGroup var common: CommonTrainOptions
    @OptionGroup var frames: FramesOptions
    @OptionGroup var shaping: FramesTrainingOptions

    func taskSettings() throws -> TrainSettings {
        var s = TrainSettings.defaults(for: .frames, out: "model.rnnz")
        s.frames = try frames.settings()
        shaping.apply(to: &s.frames!)
        return s
    }
}

/// How `recur train frames` (and `har`, `mnist`) shape training: class weights and augmentation.
struct FramesTrainingOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Classifier: each training example's loss weight by class: `balanced` (n / (classes · n_class)) or CLASS=W,… (others 1).",
        discussion: "Validation loss, early stopping and the figures stay unweighted."))
    var classWeights: String?
    @Option(help: "Turn each training example's xyz channels (columns P_x,P_y,P_z) by a random rotation of up to this many degrees.")
    var augmentRotation: Float?
    @Option(help: "Scale each training example's xyz channels by a random gain in [1 - A, 1 + A].")
    var augmentScale: Float?

    func apply(to frames: inout FramesSettings) {
        frames.classWeights = classWeights
        frames.augmentRotation = augmentRotation
        frames.augmentScale = augmentScale
    }
}

/// The options of `recur train frames`.
struct FramesOptions: ParsableArguments {
    @Option(help: "A CSV file with a header line (repeat for more files; each file is its own sequence).")
    var csv: [String] = []
    @Option(help: "Classifier: the column holding each row's class (an empty cell: an unlabelled row).")
    var labelColumn: String?
    @Option(help: "Regressor: the columns to predict at each window's last row.")
    var targetColumns: String?
    @Option(help: "The input columns (default: every numeric column that is not the label, target, sequence or group column).")
    var columns: String?
    @Option(help: "A new sequence starts where this column's value changes.")
    var sequenceColumn: String?
    @Option(help: "The split unit (e.g. the subject): no group is in two parts.")
    var groupColumn: String?
    @Option(help: "Rows per window.")
    var window: Int?
    @Option(help: "Rows between window starts, also between results in the stream (default: window / 2).")
    var hop: Int?
    @Flag(help: "Each labelled run is one example of its own length (variable-length segment classification).")
    var segments = false
    @Option(help: "The test groups, comma-separated.")
    var testGroups: String?
    @Option(help: "The validation groups, comma-separated.")
    var validationGroups: String?
    @Option(help: "Without --test-groups: this fraction of the groups, drawn with the seed, is the test part (default 0.2).")
    var testFraction: Double?
    @Option(help: "Without --validation-groups: this fraction of the groups is the validation part (default 0.1).")
    var validationFraction: Double?
    @Option(help: "Samples per second (stored as recur.sample_rate_hz; the gravity split's filter needs it).")
    var rate: Float?
    @Option(help: "gravity-split: six columns (acc xyz in g, gyro xyz) become body acc, gyro and gravity (0.3 Hz low-pass) in the stream.")
    var preprocess: String?

    func settings() throws -> FramesSettings {
        func list(_ text: String?) -> [String] {
            text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
        }
        var s = FramesSettings(source: .csv)
        s.csv = csv
        s.labelColumn = labelColumn
        s.targetColumns = list(targetColumns)
        s.columns = list(columns)
        s.sequenceColumn = sequenceColumn
        s.groupColumn = groupColumn
        s.segments = segments
        if let window { s.window = window }
        if let hop { s.hop = hop }
        s.testGroups = list(testGroups)
        s.validationGroups = list(validationGroups)
        if let testFraction { s.testFraction = testFraction }
        if let validationFraction { s.validationFraction = validationFraction }
        s.rate = rate
        s.preprocess = preprocess
        return s
    }
}

/// `recur train mnist`: MNIST read row by row, a preset of `frames --segments`.
struct TrainMNIST: TaskRunnerCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist",
        abstract: "MNIST digits read as 28 frames of 28 pixels (a preset of frames --segments).",
        discussion: """
            --data DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
            and t10k-labels-idx1-ubyte, raw or .gz (decompressed with the system's gzip -dc). Each
            image is one segment: 28 lines of 28 pixel values (0–255), a blank line after it. The
            10,000 t10k images are the test set; 5,000 of the 60,000 training images, drawn with the
            seed, are the validation set (early stopping, model choice).

            Example:
              recur train mnist --data mnist -o mnist-rows.rnnz
            (defaults: LSTM 128, 8 epochs, batches of 128, lr 0.003 with the cosine schedule)
            """)

    @OptionGroup var common: CommonTrainOptions
    @Option(help: "The folder of MNIST's four IDX files.")
    var data: String
    @Option(help: ArgumentHelp(
        "Each training example's loss weight by class: `balanced` or CLASS=W,… (others 1).",
        discussion: "Validation loss, early stopping and the figures stay unweighted."))
    var classWeights: String?

    func taskSettings() throws -> TrainSettings {
        var s = TrainSettings.defaults(for: .frames, out: "mnist-rows.rnnz")
        s.hidden = 128
        s.epochs = 8
        s.batchSize = 128
        s.learningRate = 0.003
        s.schedule = "cosine"
        s.patience = 0
        s.frames = .mnist(data: data)
        s.frames?.classWeights = classWeights
        return s
    }
}
