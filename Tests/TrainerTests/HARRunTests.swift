import Foundation
import RecurRuntime
import Testing
@testable import Trainer

/// Metrics arithmetic, and train → export → Runtime scoring on the fixture.
@Suite("HAR run and metrics")
struct HARRunTests {
    @Test("Metrics: accuracy, precision, recall, F1 and confusion counted by hand")
    func metrics() {
        // true:      0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        let m = HARMetrics(predicted: [0, 0, 1, 1, 2, 2], actual: [0, 0, 0, 1, 1, 2], classNames: ["a", "b", "c"])
        #expect(m.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(m.accuracy == 4.0 / 6.0)
        #expect(m.precision == [1, 0.5, 0.5])
        #expect(m.recall == [2.0 / 3.0, 0.5, 1])
        #expect(abs(m.f1[0] - 0.8) < 1e-12 && m.f1[1] == 0.5 && abs(m.f1[2] - 2.0 / 3.0) < 1e-12)
        let report = m.report(title: "t")
        #expect(report.hasPrefix("t: accuracy 66.67% (4/6)"))
        // A class never predicted and never present scores 0, not NaN.
        let empty = HARMetrics(predicted: [0], actual: [0], classNames: ["a", "b"])
        #expect(empty.precision == [1, 0] && empty.recall == [1, 0] && empty.macroF1 == 1)
    }

    @Test("`recur train har` is the frames path: the same windows as HARDataset, a file `recur har eval` scores alike")
    func trainExportEvaluate() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("recur-har-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var settings = TrainSettings.defaults(for: .frames, out: scratch + "/har.rnnz")
        settings.frames = .har(data: HARFixtures.hapt)
        settings.writeF32 = true
        settings.hidden = 8
        settings.epochs = 2
        settings.batchSize = 4

        // The preset's examples are HARDataset's windows, in the same order, with the same values.
        let data = try FramesTrainTask.makeData(settings)
        let windows = try HARDataset.load(directory: HARFixtures.hapt,
                                          options: HARWindowOptions(features: .gravitySplitButterworth))
        for (frames, har) in [(data.split.train, windows.train), (data.split.validation, windows.validation), (data.split.test, windows.test)] {
            #expect(frames.frames == har.frames && frames.labels == har.labels)
        }
        #expect(data.split.train.count == 5 && data.split.validation.count == 1 && data.split.test.count == 3)
        #expect(data.classNames == HARClassSet.basic.classNames)

        let report = try TaskRunner(settings: settings, progress: Progress(quiet: true)).run()
        #expect(report.int8.classification?.total == 3 && report.f32.classification?.total == 3)
        #expect(FileManager.default.fileExists(atPath: settings.f32Path))
        let file = try ModelFile.load(settings.out)
        #expect(try file.string("recur.preprocess") == "gravity_split_iir2")
        #expect(try file.uint32("recur.window") == 128 && file.uint32("recur.hop") == 64)
        #expect(try file.strings("recur.labels") == HARClassSet.basic.classNames)
        let again = try HARRun.evaluate(modelPath: settings.out, data: HARFixtures.hapt)
        #expect(again.metrics == report.int8.classification && again.steps == 3 * 128)
    }
}
