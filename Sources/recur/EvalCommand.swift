import ArgumentParser
import Foundation
import RecurRuntime
import Trainer

/// `recur eval`: a model's held-out score through the Runtime, and its self-tests.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a model made by `recur train` on its task's held-out data, through the Runtime.",
        discussion: """
            The test split is rebuilt from the training settings stored in the file
            (recur.train.settings): the same seed gives the same data. The embedded self-tests are
            recomputed and compared bit for bit.

            Every kind of model `recur train` makes: sine, adding (test MSE, MAE), charlm (bits per
            character), addition and translate (exact match and BLEU of the Runtime's greedy
            decoding, and of a beam with --beam K; a translate model needs --pairs FILE, checked
            against the file's vocabularies), HAR (with --data DIR, as `recur har eval`), babi
            (with --data DIR: every test question of the file's tasks, answered as recur-run
            answers them), image2text (with --data DIR: a dataset directory, decoded greedily and
            with --beam K).

            Examples:
              recur eval adding.rnnz
              recur eval anna.rnnz --text anna.txt      (if the text has moved)
              recur eval sine.rnnz --kernels scalar
              recur eval addition.rnnz --beam 5
              recur eval en-es.rnnz --pairs spa-eng/spa.txt --beam 5
              recur eval har.rnnz mnist-rows.rnnz          (models from recur train frames/har/mnist)
              recur eval har.rnnz har.f32.rnnz --data "HAPT Data Set"   (= recur har eval …)
              recur eval news-zh.rnnz --data dev.txt --data-test test.txt   (accuracy, macro F1, confusion matrix)
              recur eval babi.rnnz --data tasks_1-20_v1-2/en     (memory networks: test accuracy per task)
              recur eval gui2html.rnnz --data gui/test --beam 3  (image2text: exact match and BLEU)
            """)

    @Argument(help: "The .rnnz model file(s).")
    var models: [String]

    @Option(help: "har, mnist: the data folder, when it is no longer where training read it (HAR files of any age: the same as `recur har eval MODEL… --data DIR`); textclass: the --data file.")
    var data: String?

    @Option(help: "textclass: the --data-test file, when it is no longer where training read it.")
    var dataTest: String?

    @Option(help: "charlm: the text file, when it is no longer where training read it.")
    var text: String?

    @Option(help: "translate: the pairs file the model was trained on (the file stores only its name).")
    var pairs: String?

    @Option(help: "addition, translate: also decode with a beam of this width (default: greedy only).")
    var beam: Int?

    @Option(help: "Kernel path: best, scalar, avx2, avx512-vnni, neon, neon-dotprod, armv7-neon.")
    var kernels: String = "best"

    func run() throws {
        if let data, !models.allSatisfy({ Self.readsDataOption(Self.origin($0)) }) {
            // HAR files made before `recur train har` stored its settings: the HAPT test subjects' windows.
            return try HAREvalCommand.evaluate(models, data: data)
        }
        for model in models { try evaluate(model) }
    }

    /// Which trainer made a file, as far as `--data` is concerned: read from the file once.
    enum Origin {
        case memory
        case imageToText
        case task(TrainSettings)
        case other
    }

    static func origin(_ path: String) -> Origin {
        guard let file = try? ModelFile.load(path) else { return .other }
        if (try? file.optionalString(MemoryExport.settingsKey)) != nil { return .memory }
        if (try? file.optionalString("recur.task")) == ModelTask.imageToText.rawValue { return .imageToText }
        guard let json = try? file.optionalString(TaskRunner.settingsKey),
              let settings = try? JSONDecoder().decode(TrainSettings.self, from: Data(json.utf8)) else { return .other }
        return .task(settings)
    }

    /// Files whose own evaluation reads --data: from `recur train frames|har|mnist` (not CSV
    /// frames), `recur train textclass` and `recur train babi`. Any other file with --data is an
    /// HAR file of any age, scored as `recur har eval` scores it.
    static func readsDataOption(_ origin: Origin) -> Bool {
        switch origin {
        case .memory, .imageToText: return true
        case .task(let settings):
            return (settings.task == .frames && settings.frames?.source != .csv) || settings.task == .textclass
        case .other: return false
        }
    }

    func evaluate(_ model: String) throws {
        let file: GGUFFile
        let loaded: Model
        do {
            file = try ModelFile.load(model)
            loaded = try Model(file: file)
        } catch {
            throw CLIError("\(model): \(error)")
        }
        guard let path = KernelPath(name: kernels) else {
            throw ValidationError("--kernels: unknown path \"\(kernels)\" (best, scalar, avx2, avx512-vnni, neon, neon-dotprod, armv7-neon)")
        }
        let report = try loaded.verifySelfTests(kernels: path)
        print("self-tests   \(report.cases) case(s), \(report.values) values bit-exact on \(report.kernelName)")
        if let json = try file.optionalString(MemoryExport.settingsKey) {
            try evaluateMemory(model, file: file, model: loaded, json: json)
            return
        }
        if loaded.task == .imageToText {
            try evaluateImageToText(model, file: file, model: loaded)
            return
        }
        guard let json = try file.optionalString(TaskRunner.settingsKey) else {
            throw CLIError("\(model) has no \(TaskRunner.settingsKey): only models from `recur train` can be scored here (HAR models: add --data <HAPT folder>)")
        }
        if let stored = Seq2SeqEvaluation.settings(json: json) {
            try evaluateSeq2Seq(model, file: file, model: loaded, stored: stored)
            return
        }
        guard var settings = try? JSONDecoder().decode(TrainSettings.self, from: Data(json.utf8)) else {
            throw CLIError("\(model): \(TaskRunner.settingsKey) is not the settings of a task this recur knows")
        }
        if pairs != nil || beam != nil {
            throw ValidationError("--pairs and --beam apply to seq2seq models (addition, translate), not \(settings.task.rawValue)")
        }
        if let text { settings.text = text }
        if let data {
            settings.frames?.data = data
            settings.textclass?.data = data
        }
        if let dataTest {
            guard settings.task == .textclass else { throw ValidationError("--data-test applies to textclass models, not \(settings.task.rawValue)") }
            settings.textclass?.dataTest = dataTest
        }
        let started = Date()
        let (score, summary) = try TaskRunner.evaluate(loaded, settings: settings)
        print("task         \(settings.modelName) (seed \(settings.seed))")
        for line in summary { print(line) }
        print("test \(score.metricName)  \(Format.fixed(score.value))  "
            + "(\(Format.duration(Date().timeIntervalSince(started))))")
        if let classification = score.classification { print(classification.report(title: model)) }
    }
}

extension EvalCommand {
    /// image2text: the Runtime's greedy (and beam) decoding of a dataset directory's images,
    /// scored for exact match and BLEU against its manifest. The file does not store the data's path.
    func evaluateImageToText(_ model: String, file: GGUFFile, model loaded: Model) throws {
        if pairs != nil || dataTest != nil || text != nil {
            throw ValidationError("an image → text model (recur train image2text) takes only --data DIR, --beam and --kernels")
        }
        guard let data else {
            throw ValidationError("\(model) is an image → text model: give a dataset directory (manifest.tsv + images) with --data")
        }
        let result: ImageToTextEvaluation.Result
        do { result = try ImageToTextEvaluation.evaluate(loaded, directory: data, beam: beam) } catch let error as Seq2SeqDataError {
            throw CLIError("\(model): \(error.description)")
        }
        let kind = file.tensors.contains { $0.type == .i8 } ? "int8" : "f32"
        print("task         image2text, \(result.testCount) images of \(data)")
        print(TrainImageToText.scoreLine("test, runtime \(kind), greedy:", result.greedy)
            + String(format: "  (%.0f images/s)", result.greedyPerSecond))
        if let beamScores = result.beam, let beam {
            print(TrainImageToText.scoreLine("test, runtime \(kind), beam \(beam):", beamScores))
        }
    }

    /// addition, translate: the Runtime's greedy (and --beam) decoding of the rebuilt test split,
    /// printed as `recur train` printed it for the same file.
    func evaluateSeq2Seq(_ model: String, file: GGUFFile, model loaded: Model, stored: Seq2SeqSettings) throws {
        if pairs != nil && stored.task != .translate {
            throw ValidationError("--pairs applies to translate models; \(model) is \(stored.task.rawValue)")
        }
        let result: Seq2SeqEvaluation.Result
        do {
            result = try Seq2SeqEvaluation.evaluate(file: file, model: loaded, stored: stored, pairs: pairs, beam: beam)
        } catch let error as Seq2SeqDataError {
            throw CLIError("\(model): \(error.description)")
        }
        let kind = file.tensors.contains { $0.type == .i8 } ? "int8" : "f32"
        print("task         \(stored.task.rawValue) (seed \(stored.seed)), \(result.testCount) test pairs")
        for line in Seq2SeqOptions.runtimeLines(kind: kind, result.scores, settings: result.settings) { print(line) }
    }
}

extension EvalCommand {
    /// babi: the Runtime's answers to every test question of the tasks the file was trained on,
    /// read line by line as recur-run reads them. The file does not store the data's path.
    func evaluateMemory(_ model: String, file: GGUFFile, model loaded: Model, json: String) throws {
        if pairs != nil || beam != nil || dataTest != nil || text != nil {
            throw ValidationError("a memory network (recur train babi) takes only --data <bAbI en folder> and --kernels")
        }
        guard let tasks = MemoryExport.storedTasks(json: json) else {
            throw CLIError("\(model): \(MemoryExport.settingsKey) names no bAbI tasks (1…20)")
        }
        guard let data else {
            throw ValidationError("\(model) is a memory network: give the bAbI v1.2 `en` folder with --data (the file does not store its path)")
        }
        let started = Date()
        let kind = file.tensors.contains { $0.type == .i8 } ? "int8" : "f32"
        print("task         babi \(tasks.count == 20 ? "all" : tasks.map(String.init).joined(separator: ",")), \(kind), through the Runtime")
        var correct = 0, total = 0
        for task in tasks {
            let stories: [BabiStory]
            do {
                stories = try BabiReader.stories(ofFile: BabiReader.files(task: task, in: data).test)
            } catch {
                throw CLIError("\(model): \(error.description)")
            }
            let score = try MemoryExport.runtimeScore(loaded, stories: stories)
            correct += score.correct
            total += score.total
            print("task \(task)\(task < 10 ? " " : "")      \(Self.percent(score.correct, score.total)) (\(score.correct)/\(score.total))")
        }
        if tasks.count > 1 {
            print("all          \(Self.percent(correct, total)) (\(correct)/\(total))")
        }
        print("time         \(Format.duration(Date().timeIntervalSince(started)))")
    }

    static func percent(_ correct: Int, _ total: Int) -> String {
        String(format: "%.2f%%", 100 * Double(correct) / Double(max(total, 1)))
    }
}
