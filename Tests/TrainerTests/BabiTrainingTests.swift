import Foundation
import Testing
@testable import Trainer

/// `BabiTraining.train` on the committed bAbI fixture: linear start ends by the rule
/// `--linear-patience` states, and the network returned is the best validation epoch's.
@Suite struct BabiTrainingTests {
    static let fixtures: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/babi").path

    static func settings(linearPatience: Int) -> BabiSettings {
        var s = BabiSettings()
        s.data = fixtures
        s.dim = 8
        s.epochs = 12
        s.linearStart = true
        s.linearPatience = linearPatience
        return s
    }

    /// The epoch whose end switches the softmax on: the first at which the validation loss has not
    /// fallen below its best for `patience` epochs in a row (nil: linear to the end).
    static func expectedSwitch(_ history: [BabiTraining.Epoch], patience: Int) -> Int? {
        var best = Double.infinity, stale = 0
        for (epoch, e) in history.enumerated() {
            if e.validationLoss < best { best = e.validationLoss; stale = 0 } else { stale += 1 }
            if stale >= patience { return epoch }
        }
        return nil
    }

    @Test(arguments: [1, 3]) func linearStartEndsAfterItsPatience(patience: Int) throws {
        let settings = Self.settings(linearPatience: patience)
        let data = try BabiData.load(settings)
        let run = BabiTraining.train(data, settings: settings) { _, _ in }
        let linearEpochs = run.history.prefix { $0.linear }.count
        #expect(run.history.dropFirst(linearEpochs).allSatisfy { !$0.linear })
        let switchEpoch = try #require(Self.expectedSwitch(Array(run.history.prefix(linearEpochs)), patience: patience))
        #expect(linearEpochs == switchEpoch + 1)
        #expect(linearEpochs >= patience + 1)
        #expect(run.best >= linearEpochs)   // a linear epoch is never the one kept
    }

    @Test func linearPatienceBelowOneIsRefused() {
        var s = Self.settings(linearPatience: 0)
        s.data = Self.fixtures
        #expect(throws: BabiDataError.self) { try s.validate() }
    }

    /// `recur eval` reads only the tasks from a file's settings record, so files written before a
    /// later setting existed (babi-qa1.rnnz has no linearPatience) still evaluate.
    @Test func storedTasksReadOldAndNewRecords() {
        let old = #"{"batch":32,"data":"","dim":20,"epochs":60,"halvingEpochs":15,"hops":3,"learningRate":0.01,"linearStart":false,"maxNorm":40,"maxWords":32,"memory":50,"noise":0.1,"patience":0,"seed":1,"tasks":[1],"validationFraction":0.1}"#
        #expect(MemoryExport.storedTasks(json: old) == [1])
        #expect(MemoryExport.storedTasks(json: MemoryExport.settingsJSON(Self.settings(linearPatience: 2))) == [1])
        #expect(MemoryExport.storedTasks(json: #"{"tasks":[3,20]}"#) == [3, 20])
        #expect(MemoryExport.storedTasks(json: #"{"tasks":[0]}"#) == nil)
        #expect(MemoryExport.storedTasks(json: #"{"tasks":[]}"#) == nil)
        #expect(MemoryExport.storedTasks(json: "not json") == nil)
    }
}
