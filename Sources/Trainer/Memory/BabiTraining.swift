import Foundation
import RecurRuntime

/// What `recur train babi` trains: the tasks, the network's size and the optimisation.
public struct BabiSettings: Codable, Sendable, Equatable {
    /// The folder of the bAbI v1.2 `en` files (or one holding `en` or `tasks_1-20_v1-2/en`).
    public var data = ""
    /// The tasks (1…20); several: one joint model.
    public var tasks: [Int] = [1]
    public var hops = 3
    /// Memory capacity M: the most recent sentences the model reads.
    public var memory = 50
    /// Embedding width d.
    public var dim = 20
    public var epochs = 60
    public var batch = 32
    /// Adam's learning rate; halved every `halvingEpochs` epochs.
    public var learningRate: Float = 0.01
    public var halvingEpochs = 15
    /// Gradient clipping: the global norm's limit.
    public var maxNorm: Float = 40
    /// Training stories drawn (with the seed) for validation, per task.
    public var validationFraction = 0.1
    /// Empty memories added while training, per sentence (the paper's random noise).
    public var noise = 0.1
    /// Start without the hops' softmax, switch it on when the validation loss stops falling.
    public var linearStart = false
    /// Linear start ends after this many epochs in a row without a lower validation loss.
    public var linearPatience = 1
    /// Stop after this many epochs without a better validation accuracy (0: never).
    public var patience = 0
    public var seed: UInt64 = 1
    /// Longest sentence (words) the exported model accepts.
    public var maxWords = 32

    public init() {}

    public func validate() throws(BabiDataError) {
        if tasks.isEmpty || tasks.contains(where: { !(1...20).contains($0) }) {
            throw BabiDataError("--task: 1…20 or all")
        }
        if !(1...16).contains(hops) { throw BabiDataError("--hops \(hops): expected 1…16") }
        if !(1...4096).contains(memory) { throw BabiDataError("--memory \(memory): expected 1…4096") }
        if !(1...1024).contains(dim) { throw BabiDataError("--dim \(dim): expected 1…1024") }
        if epochs < 1 || batch < 1 { throw BabiDataError("--epochs and --batch must be at least 1") }
        if !(learningRate > 0) { throw BabiDataError("--lr must be positive") }
        if linearPatience < 1 { throw BabiDataError("--linear-patience \(linearPatience): expected at least 1") }
        if !(0..<1).contains(noise) { throw BabiDataError("--noise \(noise): expected 0 ≤ noise < 1") }
        if !(0..<1).contains(validationFraction) { throw BabiDataError("validation fraction must be in [0, 1)") }
    }
}

/// bAbI stories split three ways, per task.
public struct BabiData: Sendable {
    public struct Part: Sendable {
        public var task: Int
        public var train: [BabiStory]
        public var validation: [BabiStory]
        public var test: [BabiStory]
    }
    public var parts: [Part]
    /// `<unk>`, then the training stories' words and answers, sorted.
    public var vocabulary: [String]

    /// Reads the tasks' files and carves the validation stories out of the training stories.
    public static func load(_ settings: BabiSettings) throws(BabiDataError) -> BabiData {
        var parts: [Part] = []
        var random = SeededRandom(seed: settings.seed ^ 0xBAB1)
        for task in settings.tasks {
            let files = try BabiReader.files(task: task, in: settings.data)
            var train = try BabiReader.stories(ofFile: files.train)
            let test = try BabiReader.stories(ofFile: files.test)
            train.shuffle(using: &random)
            let held = Int((Double(train.count) * settings.validationFraction).rounded())
            parts.append(Part(task: task, train: Array(train[held...]), validation: Array(train[..<held]), test: test))
        }
        var words = Set<String>()
        for part in parts {
            for story in part.train {
                for sentence in story.sentences { words.formUnion(sentence) }
                for question in story.questions {
                    words.formUnion(question.words)
                    words.insert(question.answer)
                }
            }
        }
        words.remove(MemoryNetwork.unknownWord)
        return BabiData(parts: parts, vocabulary: [MemoryNetwork.unknownWord] + words.sorted())
    }

    /// The data's size, printed before training.
    public var summary: [String] {
        let count = { (stories: [BabiStory]) in stories.reduce(0) { $0 + $1.questions.count } }
        var lines = parts.map { part in
            "task \(part.task): \(part.train.count) training stories (\(count(part.train)) questions), "
                + "\(part.validation.count) validation (\(count(part.validation))), \(part.test.count) test (\(count(part.test)))"
        }
        lines.append("vocabulary: \(vocabulary.count) words and answers (<unk> included)")
        return lines
    }
}

/// Training and scoring a `MemoryNetwork` on bAbI.
public enum BabiTraining {
    /// The questions of `stories` as examples: each question with the last `capacity` sentences
    /// before it; with `noise` > 0 and a generator, empty memories are inserted after sentences
    /// at that rate (training only).
    public static func examples(_ stories: [BabiStory], network: MemoryNetwork, noise: Double = 0,
                                random: inout SeededRandom) -> [MemoryNetwork.Example] {
        var result: [MemoryNetwork.Example] = []
        for story in stories {
            let ids = story.sentences.map { $0.map(network.id) }
            for question in story.questions {
                var memory: [[Int]] = []
                for sentence in ids[..<question.context] {
                    memory.append(sentence)
                    if noise > 0 && Double(random.unit()) < noise { memory.append([]) }
                }
                if memory.count > network.capacity { memory.removeFirst(memory.count - network.capacity) }
                result.append(MemoryNetwork.Example(sentences: memory, question: question.words.map(network.id),
                                                    answer: network.id(question.answer)))
            }
        }
        return result
    }

    /// Accuracy and mean loss of `network` on `examples`.
    public static func score(_ network: MemoryNetwork, _ examples: [MemoryNetwork.Example]) -> (accuracy: Double, loss: Double) {
        var correct = 0
        var loss = 0.0
        for example in examples {
            let p = network.probabilities(example)
            var best = 0
            for v in 1..<p.count where p[v] > p[best] { best = v }
            if best == example.answer { correct += 1 }
            loss -= Math.log(max(Double(p[example.answer]), 1e-30))
        }
        let n = Double(max(examples.count, 1))
        return (Double(correct) / n, loss / n)
    }

    /// One epoch's figures.
    public struct Epoch: Sendable {
        public var trainLoss: Double
        public var trainAccuracy: Double
        public var validationLoss: Double
        public var validationAccuracy: Double
        public var linear: Bool
    }

    /// Trains a new network on `data`'s training stories; returns the network at its best
    /// validation accuracy (ties: the lower validation loss) and the history.
    public static func train(_ data: BabiData, settings: BabiSettings, report: (Int, Epoch) -> Void)
        -> (network: MemoryNetwork, history: [Epoch], best: Int)
    {
        let network = MemoryNetwork(vocabulary: data.vocabulary, dim: settings.dim, hops: settings.hops,
                                    capacity: settings.memory, seed: settings.seed)
        network.linear = settings.linearStart
        var random = SeededRandom(seed: settings.seed &+ 17)
        var none = SeededRandom(seed: 0)
        let trainStories = data.parts.flatMap(\.train)
        let validation = examples(data.parts.flatMap(\.validation), network: network, random: &none)
        var adam = Adam(learningRate: settings.learningRate)
        var history: [Epoch] = []
        var best = -1
        var bestKey = (accuracy: -1.0, loss: Double.infinity)
        var bestWeights: [[Float]] = []
        var linearBestLoss = Double.infinity
        var linearStale = 0
        for epoch in 0..<settings.epochs {
            adam.learningRate = settings.learningRate
                / Float(1 << min(20, epoch / max(1, settings.halvingEpochs)))
            var train = examples(trainStories, network: network, noise: settings.noise, random: &random)
            train.shuffle(using: &random)
            var loss = 0.0, correct = 0
            var start = 0
            while start < train.count {
                let end = min(start + settings.batch, train.count)
                for p in network.parameters { p.zeroGrad() }
                let scale = 1 / Float(end - start)
                for k in start..<end {
                    let (l, right) = network.accumulate(train[k], scale: scale)
                    loss += l
                    if right { correct += 1 }
                }
                _ = GradientClipping.clip(network.parameters, maxNorm: settings.maxNorm)
                adam.step(network.parameters)
                start = end
            }
            let checked = score(network, validation)
            let summary = Epoch(trainLoss: loss / Double(max(train.count, 1)),
                                trainAccuracy: Double(correct) / Double(max(train.count, 1)),
                                validationLoss: checked.loss, validationAccuracy: checked.accuracy, linear: network.linear)
            history.append(summary)
            report(epoch, summary)
            if network.linear {
                // Linear start: the softmax goes in when the validation loss has not fallen for
                // `linearPatience` epochs in a row.
                if checked.loss < linearBestLoss {
                    linearBestLoss = checked.loss
                    linearStale = 0
                } else {
                    linearStale += 1
                    if linearStale >= settings.linearPatience { network.linear = false }
                }
                continue
            }
            if checked.accuracy > bestKey.accuracy || (checked.accuracy == bestKey.accuracy && checked.loss < bestKey.loss) {
                bestKey = (checked.accuracy, checked.loss)
                best = epoch
                bestWeights = network.parameters.map(\.value)
            } else if settings.patience > 0 && epoch - best >= settings.patience {
                break
            }
        }
        if best >= 0 {
            for (p, w) in zip(network.parameters, bestWeights) { p.value = w }
        }
        network.linear = false
        return (network, history, best)
    }
}
