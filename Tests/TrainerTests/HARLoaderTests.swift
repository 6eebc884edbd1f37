import Foundation
import Testing
@testable import Trainer

/// The HAPT and UCI HAR loaders on small fixtures in the datasets' exact layouts,
/// and every malformed-file case with the file and line it must name.
@Suite("HAR loaders")
struct HARLoaderTests {
    // MARK: HAPT

    @Test("HAPT fixture: three experiments, values in file order, acc then gyro")
    func haptLoads() throws {
        let recordings = try HAPTLoader.load(directory: HARFixtures.hapt)
        #expect(recordings.map(\.experiment) == [1, 2, 3])
        #expect(recordings.map(\.subject) == [1, 2, 11])
        #expect(recordings.map(\.count) == [700, 400, 300])
        // Fixture rows: acc = (n, experiment, 1), gyro = (−n/100, user, 0.5) for sample n.
        let third = recordings[2]
        for n in [0, 1, 150, 299] {
            let row = Array(third.samples[(n * 6)..<(n * 6 + 6)])
            #expect(row == [Float(n), 3, 1, Float(-Double(n) / 100), 11, 0.5], "sample \(n)")
        }
    }

    @Test("HAPT labels are 1-based inclusive; segments become 0-based inclusive")
    func haptSegments() throws {
        let recordings = try HAPTLoader.load(directory: HARFixtures.hapt)
        // labels.txt line "1 1 5 1 128" → samples 0…127; "3 11 3 150 300" ends on the last sample.
        #expect(recordings[0].segments.first == HARSegment(activity: 5, first: 0, last: 127))
        #expect(recordings[0].segments.map(\.length) == [128, 72, 255, 245])
        #expect(recordings[2].segments.last == HARSegment(activity: 3, first: 149, last: 299))
    }

    @Test("HAPT: the RawData folder itself and the folder above 'HAPT Data Set' are accepted")
    func haptFolderVariants() throws {
        let fromTop = try HAPTLoader.load(directory: HARFixtures.hapt)
        #expect(try HAPTLoader.load(directory: HARFixtures.hapt + "/RawData") == fromTop)
        #expect(try HAPTLoader.load(directory: HARFixtures.root + "/hapt") == fromTop)
        #expect(HARDataset.detectLayout(HARFixtures.hapt) == .hapt)
    }

    /// Loads a damaged copy of the HAPT fixture and returns the error.
    private func haptError(_ edit: (String) throws -> Void) throws -> HARDataError? {
        let copy = try HARFixtures.scratchCopy(of: HARFixtures.hapt, edit: edit)
        defer { HARFixtures.remove(copy) }
        do {
            _ = try HAPTLoader.load(directory: copy)
            return nil
        } catch {
            return error
        }
    }

    @Test("HAPT short row names file and line")
    func haptShortRow() throws {
        let error = try haptError { try HARFixtures.replaceLine(42, in: $0 + "/RawData/acc_exp02_user02.txt", with: "0.5 0.25") }
        guard case let .shortRow(path, line, expected, found) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path.hasSuffix("RawData/acc_exp02_user02.txt"))
        #expect((line, expected, found) == (42, 3, 2))
        #expect(error!.description.contains("acc_exp02_user02.txt:42"))
    }

    @Test("HAPT extra column is reported")
    func haptLongRow() throws {
        let error = try haptError { try HARFixtures.replaceLine(7, in: $0 + "/RawData/gyro_exp01_user01.txt", with: "1 2 3 4") }
        guard case let .longRow(path, line, _, found) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path.hasSuffix("gyro_exp01_user01.txt") && line == 7 && found == 4)
    }

    @Test("HAPT non-number, NaN and inf are rejected with the token")
    func haptNotANumber() throws {
        for token in ["abc", "1.5x", "nan", "inf", "--1"] {
            let error = try haptError { try HARFixtures.replaceLine(3, in: $0 + "/RawData/acc_exp01_user01.txt", with: "1 \(token) 2") }
            guard case let .notANumber(path, line, found) = error else { Issue.record("token \(token): got \(String(describing: error))"); continue }
            #expect(path.hasSuffix("acc_exp01_user01.txt") && line == 3 && found == token)
        }
    }

    @Test("HAPT blank line inside a signal file is an error; trailing blank lines are not")
    func haptBlankLines() throws {
        let inside = try haptError { try HARFixtures.replaceLine(10, in: $0 + "/RawData/acc_exp01_user01.txt", with: "") }
        guard case let .blankLine(_, line) = inside else { Issue.record("got \(String(describing: inside))"); return }
        #expect(line == 10)
        let trailing = try haptError { try HARFixtures.appendLine("\n", to: $0 + "/RawData/acc_exp01_user01.txt") }
        #expect(trailing == nil)
    }

    @Test("HAPT missing gyro file is named")
    func haptMissingGyro() throws {
        let error = try haptError { try FileManager.default.removeItem(atPath: $0 + "/RawData/gyro_exp02_user02.txt") }
        guard case let .missingFile(path, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path.hasSuffix("RawData/gyro_exp02_user02.txt"))
    }

    @Test("HAPT acc/gyro length mismatch gives both files and lengths")
    func haptLengthMismatch() throws {
        let error = try haptError { try HARFixtures.appendLine("0 0 0", to: $0 + "/RawData/gyro_exp03_user11.txt") }
        guard case let .lengthMismatch(accPath, accRows, gyroPath, gyroRows) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(accPath.hasSuffix("acc_exp03_user11.txt") && gyroPath.hasSuffix("gyro_exp03_user11.txt"))
        #expect((accRows, gyroRows) == (300, 301))
    }

    @Test("HAPT label past the end of its recording")
    func haptLabelPastEnd() throws {
        // Experiment 3 has 300 samples; 1-based last sample 301 does not exist.
        let error = try haptError { try HARFixtures.replaceLine(8, in: $0 + "/RawData/labels.txt", with: "3 11 3 150 301") }
        guard case let .labelPastEnd(path, line, last, samples, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path.hasSuffix("labels.txt") && line == 8 && last == 301 && samples == 300)
    }

    @Test("HAPT unknown activity id, bad ranges, overlaps and unknown experiments")
    func haptBadLabels() throws {
        let labels = "/RawData/labels.txt"
        let unknown = try haptError { try HARFixtures.replaceLine(2, in: $0 + labels, with: "1 1 13 129 200") }
        guard case let .unknownActivity(_, line, id) = unknown else { Issue.record("got \(String(describing: unknown))"); return }
        #expect((line, id) == (2, 13))

        let reversed = try haptError { try HARFixtures.replaceLine(2, in: $0 + labels, with: "1 1 7 200 129") }
        guard case .badSegment(_, 2, _) = reversed else { Issue.record("got \(String(describing: reversed))"); return }

        let zero = try haptError { try HARFixtures.replaceLine(1, in: $0 + labels, with: "1 1 5 0 128") }
        guard case .badSegment(_, 1, _) = zero else { Issue.record("got \(String(describing: zero))"); return }

        let overlap = try haptError { try HARFixtures.replaceLine(2, in: $0 + labels, with: "1 1 7 128 200") }
        guard case .overlappingSegments(_, 2, 1) = overlap else { Issue.record("got \(String(describing: overlap))"); return }

        let noFiles = try haptError { try HARFixtures.appendLine("9 4 1 1 200", to: $0 + labels) }
        guard case .missingRecording(_, 9, 9, 4) = noFiles else { Issue.record("got \(String(describing: noFiles))"); return }

        let wrongUser = try haptError { try HARFixtures.replaceLine(5, in: $0 + labels, with: "2 3 6 11 266") }
        guard case .missingRecording(_, 5, 2, 3) = wrongUser else { Issue.record("got \(String(describing: wrongUser))"); return }

        let fraction = try haptError { try HARFixtures.replaceLine(5, in: $0 + labels, with: "2 2 6 11.5 266") }
        guard case .notANumber(_, 5, "11.5") = fraction else { Issue.record("got \(String(describing: fraction))"); return }
    }

    @Test("A folder that is neither layout is refused by name")
    func noLayout() {
        #expect(throws: HARDataError.self) { try HARDataset.load(directory: HARFixtures.root) }
        #expect(HARDataset.detectLayout(HARFixtures.root) == nil)
    }

    // MARK: UCI HAR

    @Test("UCI HAR fixture: total_acc then body_gyro per timestep, labels and subjects per window")
    func uciLoads() throws {
        let train = try UCIHARLoader.loadPart("train", root: HARFixtures.uciHAR)
        #expect(train.count == 3 && train.window == 128 && train.channels == 6)
        #expect(train.labels == [0, 3, 5])  // y_train 1 4 6
        #expect(train.subjects == [1, 11, 3])
        // Fixture value of signal s (total_acc x y z = 0 1 2, body_gyro x y z = 3 4 5),
        // window w, step t: (s·1000 + w·128 + t)·1e-4, negated on odd t.
        for (w, t) in [(0, 0), (1, 5), (2, 127)] {
            for s in 0..<6 {
                let expected = Float(Double(s * 1000 + w * 128 + t) * 1e-4 * (t % 2 == 1 ? -1 : 1))
                let found = train.frames[(w * 128 + t) * 6 + s]
                #expect(abs(found - expected) <= 1e-6 * max(1, abs(expected)), "w \(w) t \(t) s \(s)")
            }
        }
    }

    @Test("UCI HAR split: files' test part kept, validation subjects taken from train")
    func uciSplit() throws {
        let split = try HARDataset.load(directory: HARFixtures.uciHAR)
        #expect(split.train.subjects == [1, 3] && split.train.labels == [0, 5])
        #expect(split.validation.subjects == [11] && split.validation.labels == [3])
        #expect(split.test.subjects == [2, 2] && split.test.labels == [1, 4])
        #expect(split.validation.frames == Array(try UCIHARLoader.loadPart("train", root: HARFixtures.uciHAR).frames[(128 * 6)..<(2 * 128 * 6)]))
    }

    @Test("UCI HAR refuses 12 classes and derived channels with a reason")
    func uciUnsupported() {
        #expect(throws: HARDataError.self) {
            try UCIHARLoader.load(directory: HARFixtures.uciHAR, options: HARWindowOptions(classes: .withTransitions))
        }
        #expect(throws: HARDataError.self) {
            try UCIHARLoader.load(directory: HARFixtures.uciHAR, options: HARWindowOptions(features: .gravitySplitButterworth))
        }
    }

    /// Loads a damaged copy of the UCI HAR fixture and returns the error.
    private func uciError(_ edit: (String) throws -> Void) throws -> HARDataError? {
        let copy = try HARFixtures.scratchCopy(of: HARFixtures.uciHAR, edit: edit)
        defer { HARFixtures.remove(copy) }
        do {
            _ = try UCIHARLoader.load(directory: copy)
            return nil
        } catch {
            return error
        }
    }

    @Test("UCI HAR malformed files: short window row, missing signal, row counts, bad activity")
    func uciMalformed() throws {
        let signals = "/train/Inertial Signals/"
        let short = try uciError { try HARFixtures.replaceLine(2, in: $0 + signals + "body_gyro_y_train.txt", with: "1 2 3") }
        guard case let .shortRow(path, 2, 128, 3) = short else { Issue.record("got \(String(describing: short))"); return }
        #expect(path.hasSuffix("body_gyro_y_train.txt"))

        let missing = try uciError { try FileManager.default.removeItem(atPath: $0 + signals + "total_acc_z_train.txt") }
        guard case let .missingFile(missingPath, _) = missing else { Issue.record("got \(String(describing: missing))"); return }
        #expect(missingPath.hasSuffix("Inertial Signals/total_acc_z_train.txt"))

        let extraWindow = String(repeating: " 0", count: 128)
        let rows = try uciError { try HARFixtures.appendLine(extraWindow, to: $0 + signals + "total_acc_x_train.txt") }
        guard case .rowCountMismatch(_, 4, _, 3) = rows else { Issue.record("got \(String(describing: rows))"); return }

        let subjects = try uciError { try HARFixtures.appendLine("5", to: $0 + "/test/subject_test.txt") }
        guard case .rowCountMismatch(_, 2, _, 3) = subjects else { Issue.record("got \(String(describing: subjects))"); return }

        let activity = try uciError { try HARFixtures.replaceLine(2, in: $0 + "/test/y_test.txt", with: "7") }
        guard case .unknownActivity(_, 2, 7) = activity else { Issue.record("got \(String(describing: activity))"); return }
    }
}
