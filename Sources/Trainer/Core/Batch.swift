/// B sequences of T timesteps with their targets — a minibatch, or a whole data set.
///
/// Layouts are batch-major, as a user would write them down: frames (B, T, F), tokens (B, T).
/// Targets: classifier (B) class ids, regressor (B, O) values, lm (B, T) next-token ids.
/// `mask` (same count as class targets, optional) weights each target; 0 marks padding, and
/// the cross-entropy is averaged over the mask's sum. A data set is a `Batch` with B = N;
/// `select` cuts minibatches out of it.
public struct Batch: Sendable, Equatable {
    public enum Inputs: Sendable, Equatable {
        /// (B, T, F) row-major.
        case frames([Float], features: Int)
        /// (B, T) token ids.
        case tokens([Int32])
    }

    public enum Targets: Sendable, Equatable {
        /// (B) for a classifier, (B, T) for an lm.
        case classes([Int32])
        /// (B, O) for a regressor.
        case values([Float], outputs: Int)
    }

    /// B.
    public var count: Int
    /// T.
    public var steps: Int
    public var inputs: Inputs
    public var targets: Targets
    /// Per-target weight (0 = padding); nil = all ones.
    public var mask: [Float]?

    public init(count: Int, steps: Int, inputs: Inputs, targets: Targets, mask: [Float]? = nil) {
        self.count = count
        self.steps = steps
        self.inputs = inputs
        self.targets = targets
        self.mask = mask
    }

    /// The samples at `indices`, in that order.
    public func select(_ indices: some Collection<Int>) -> Batch {
        let n = indices.count
        let t = steps
        func gather<E>(_ a: [E], _ width: Int) -> [E] {
            var out = [E]()
            out.reserveCapacity(n * width)
            for i in indices { out.append(contentsOf: a[(i * width)..<((i + 1) * width)]) }
            return out
        }
        let inputs: Inputs
        switch self.inputs {
        case .frames(let f, let features): inputs = .frames(gather(f, t * features), features: features)
        case .tokens(let k): inputs = .tokens(gather(k, t))
        }
        let targets: Targets
        var mask: [Float]? = nil
        switch self.targets {
        case .classes(let c):
            let width = c.count / max(count, 1)
            targets = .classes(gather(c, width))
            if let m = self.mask { mask = gather(m, width) }
        case .values(let v, let o):
            targets = .values(gather(v, o), outputs: o)
        }
        return Batch(count: n, steps: t, inputs: inputs, targets: targets, mask: mask)
    }

    /// Checks every count and id against `spec`; the message names the first problem.
    public func validate(for spec: ModelSpec) throws(TrainerError) {
        if count <= 0 || steps <= 0 { throw .invalidBatch("empty batch: \(count) sequences of \(steps) steps") }
        switch (spec.input, inputs) {
        case (.frames(let size), .frames(let f, let features)):
            if features != size { throw .invalidBatch("frames have \(features) features, the model expects \(size)") }
            if f.count != count * steps * size {
                throw .invalidBatch("frames: \(f.count) values for \(count)×\(steps)×\(size)")
            }
            if let bad = f.firstIndex(where: { !$0.isFinite }) {
                throw .invalidBatch("frame value \(bad) (sequence \(bad / (steps * size)), step \((bad / size) % steps)) is not finite")
            }
        case (.tokens(let vocabulary, _), .tokens(let k)):
            if k.count != count * steps { throw .invalidBatch("tokens: \(k.count) ids for \(count)×\(steps)") }
            if let bad = k.firstIndex(where: { $0 < 0 || Int($0) >= vocabulary }) {
                throw .invalidBatch("token \(k[bad]) at position \(bad) is outside the vocabulary [0, \(vocabulary))")
            }
        default:
            throw .invalidBatch("input kind does not match the model (\(spec.input))")
        }
        switch (spec.output, targets) {
        case (.classifier(let classes), .classes(let c)):
            if c.count != count { throw .invalidBatch("classifier targets: \(c.count) for \(count) sequences") }
            if let bad = c.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
                throw .invalidBatch("class \(c[bad]) of sequence \(bad) is outside [0, \(classes))")
            }
        case (.lm(let vocabulary), .classes(let c)):
            if c.count != count * steps { throw .invalidBatch("lm targets: \(c.count) for \(count)×\(steps)") }
            if let bad = c.firstIndex(where: { $0 < 0 || Int($0) >= vocabulary }) {
                throw .invalidBatch("target token \(c[bad]) at position \(bad) is outside [0, \(vocabulary))")
            }
        case (.regressor(let outputs), .values(let v, let o)):
            if o != outputs { throw .invalidBatch("targets have \(o) outputs, the model has \(outputs)") }
            if v.count != count * outputs { throw .invalidBatch("regressor targets: \(v.count) for \(count)×\(outputs)") }
            if let bad = v.firstIndex(where: { !$0.isFinite }) { throw .invalidBatch("target value \(bad) is not finite") }
        default:
            throw .invalidBatch("target kind does not match the model output (\(spec.output))")
        }
        if let mask {
            if case .classes(let c) = targets, mask.count == c.count {
                if let bad = mask.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                    throw .invalidBatch("mask value \(bad) must be finite and ≥ 0")
                }
            } else {
                throw .invalidBatch("mask must have one weight per class target")
            }
        }
    }
}
