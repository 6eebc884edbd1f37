import Foundation
import Testing

/// `recur import` end to end on the committed PyTorch fixtures, then `recur-run --verify` on
/// what it wrote; and `--version` of both executables.
extension RecurCommandTests {
    static let importFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TrainerTests/Fixtures/import")

    @Test func importWritesAModelThatVerifiesOnRecurRun() throws {
        let dir = temporaryDirectory()
        let sidecar = dir + "/norm.json"
        try Data(#"{"mean": [0.5, -1, 2], "std": [2, 0.5, 1.5]}"#.utf8).write(to: URL(fileURLWithPath: sidecar))
        let weights = Self.importFixtures.appendingPathComponent("lstm-classifier.safetensors").path
        let run = try recur(["import", weights, "--task", "classifier", "--labels", "a,b,c,d", "--window", "8", "--hop", "4",
                             "--normalization", sidecar, "-o", dir + "/m.rnnz"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("(lstm.weight_ih_l0)") && run.output.contains("(fc.weight)"), "\(run.output)")
        #expect(run.output.contains("3 self-test case(s) verified"), "\(run.output)")
        let verify = try RecurRunProcess.run([dir + "/m.rnnz", "--verify"])
        #expect(verify.status == 0, "\(verify.err)")
        let info = try RecurRunProcess.run([dir + "/m.rnnz", "--info"])
        #expect(info.out.contains("labels: 4 (a, b, c, d)"), "\(info.out)")
    }

    @Test func importAnLMWithAVocabularyFile() throws {
        let dir = temporaryDirectory()
        // The fixture's vocabulary: newline, space, a b c d e h l o r t (escapes: \n).
        try Data("\\n\n \na\nb\nc\nd\ne\nh\nl\no\nr\nt\n".utf8).write(to: URL(fileURLWithPath: dir + "/vocab.txt"))
        let weights = Self.importFixtures.appendingPathComponent("embedding-lstm-lm.safetensors").path
        let run = try recur(["import", weights, "--task", "lm", "--vocab", dir + "/vocab.txt", "--f32", "-o", dir + "/lm.rnnz"])
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("int8 error"), "an --f32 import printed a quantization report")
        let generated = try RecurRunProcess.run([dir + "/lm.rnnz", "--generate", "5", "--prime", "the"])
        #expect(generated.status == 0 && generated.out.hasPrefix("the"), "\(generated.err)")
    }

    @Test func importRefusesBadInputByName() throws {
        let dir = temporaryDirectory()
        let weights = Self.importFixtures.appendingPathComponent("gru-regressor.safetensors").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: dir + "/cut.safetensors"))
        let cut = try recur(["import", dir + "/cut.safetensors", "--task", "regressor", "-o", dir + "/m.rnnz"])
        #expect(cut.status != 0 && cut.output.contains("tensor ") && cut.output.contains("past the data section"), "\(cut.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.rnnz"))
        let lm = try recur(["import", weights, "--task", "lm", "-o", dir + "/m.rnnz"])
        #expect(lm.status != 0 && lm.output.contains("an lm starts with an nn.Embedding"), "\(lm.output)")
        let missing = try recur(["import", dir + "/none.safetensors", "--task", "regressor", "-o", dir + "/m.rnnz"])
        #expect(missing.status != 0 && missing.output.contains("none.safetensors"), "\(missing.output)")
    }

    @Test func bothExecutablesPrintTheSameVersion() throws {
        let recurVersion = try recur(["--version"])
        let runVersion = try RecurRunProcess.run(["--version"])
        #expect(recurVersion.status == 0 && runVersion.status == 0)
        #expect(!recurVersion.output.isEmpty && recurVersion.output == runVersion.out)
    }
}
