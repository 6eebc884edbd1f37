/// Random turns and gains of a frame model's xyz channels, drawn afresh for every training
/// example (`--augment-rotation`, `--augment-scale`).
///
/// A phone worn a little differently turns every vector it measures by the same rotation, and
/// a sensor's gain or a person's vigour scales them. Each training example gets
///
///     v' = s · R v        for every xyz triple v of the example, at every frame,
///
/// with one R and one s per example: R turns by an angle uniform in [−θ, θ] about an axis
/// uniform on the sphere (Rodrigues: R = I + sin φ K + (1 − cos φ) K², K the axis's cross
/// product matrix), s is uniform in [1 − a, 1 + a]. A triple is three adjacent channels named
/// `P_x`, `P_y`, `P_z`; other channels are left alone. The gravity split is linear and works per
/// axis, so turning its outputs (body acc, gyro, gravity) is the same as turning the six raw
/// numbers before it. Batches hold normalised values, so a triple is denormalised, turned and
/// normalised again.
public struct FrameAugmentation: Sendable, Equatable {
    /// The first channel of each xyz triple.
    public let triples: [Int]
    /// θ in radians.
    public let maxAngle: Float
    /// a: the gain is drawn from [1 − a, 1 + a].
    public let scale: Float
    let mean: [Float]
    let std: [Float]

    /// - Throws: when no channel triple is named `…_x`, `…_y`, `…_z`, or a range is invalid.
    public init(channelNames: [String], rotationDegrees: Float, scale: Float, mean: [Float], std: [Float]) throws(SettingsError) {
        precondition(mean.count == channelNames.count && std.count == channelNames.count, "one mean and std per channel")
        guard rotationDegrees >= 0 && rotationDegrees <= 180 else {
            throw SettingsError("--augment-rotation must be in 0…180 degrees, got \(rotationDegrees)")
        }
        guard scale >= 0 && scale < 1 else { throw SettingsError("--augment-scale must be in [0, 1), got \(scale)") }
        let triples = Self.triples(in: channelNames)
        if triples.isEmpty {
            throw SettingsError("--augment-rotation/--augment-scale need xyz channels (three adjacent columns named P_x, P_y, P_z); "
                + "the inputs are " + channelNames.joined(separator: ", "))
        }
        self.triples = triples
        self.maxAngle = rotationDegrees * .pi / 180
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    /// The first channel of each run of three adjacent names `P_x`, `P_y`, `P_z` (same P).
    public static func triples(in names: [String]) -> [Int] {
        var found: [Int] = []
        var c = 0
        while c + 2 < names.count {
            let prefix = names[c].dropLast(2)
            if names[c].hasSuffix("_x") && names[c + 1] == prefix + "_y" && names[c + 2] == prefix + "_z" {
                found.append(c)
                c += 3
            } else {
                c += 1
            }
        }
        return found
    }

    /// The rotation by `angle` about the unit vector `axis`, row-major 3×3.
    static func rotation(axis u: (Float, Float, Float), angle: Float) -> [Float] {
        let s = Float(Math.sin(Double(angle))), c1 = 1 - Float(Math.cos(Double(angle)))
        // K = [[0, −z, y], [z, 0, −x], [−y, x, 0]];  K² = u uᵀ − I
        let (x, y, z) = u
        return [
            1 + c1 * (x * x - 1), -s * z + c1 * x * y, s * y + c1 * x * z,
            s * z + c1 * x * y, 1 + c1 * (y * y - 1), -s * x + c1 * y * z,
            -s * y + c1 * x * z, s * x + c1 * y * z, 1 + c1 * (z * z - 1),
        ]
    }

    /// One draw of (R, s) from `random`.
    func draw(_ random: inout SeededRandom) -> (rotation: [Float], gain: Float) {
        var axis = (random.normal(), random.normal(), random.normal())
        var length = (axis.0 * axis.0 + axis.1 * axis.1 + axis.2 * axis.2).squareRoot()
        if !(length > 1e-6) { axis = (1, 0, 0); length = 1 }
        let angle = random.uniform(-maxAngle, maxAngle)
        let gain = random.uniform(1 - scale, 1 + scale)
        return (Self.rotation(axis: (axis.0 / length, axis.1 / length, axis.2 / length), angle: angle), gain)
    }

    /// `batch` with every example turned and scaled by its own draw (frames only; tokens pass).
    public func apply(_ batch: Batch, _ random: inout SeededRandom) -> Batch {
        guard case .frames(var frames, let features) = batch.inputs else { return batch }
        precondition(features == mean.count, "the batch has \(features) channels, the augmentation \(mean.count)")
        let perExample = batch.steps * features
        for example in 0..<batch.count {
            let (r, gain) = draw(&random)
            for t in 0..<batch.steps {
                let base = example * perExample + t * features
                for c in triples {
                    let x = frames[base + c] * std[c] + mean[c]
                    let y = frames[base + c + 1] * std[c + 1] + mean[c + 1]
                    let z = frames[base + c + 2] * std[c + 2] + mean[c + 2]
                    for row in 0..<3 {
                        let turned = gain * (r[row * 3] * x + r[row * 3 + 1] * y + r[row * 3 + 2] * z)
                        frames[base + c + row] = (turned - mean[c + row]) / std[c + row]
                    }
                }
            }
        }
        var out = batch
        out.inputs = .frames(frames, features: features)
        return out
    }
}
