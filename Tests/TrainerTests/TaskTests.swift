import Testing
@testable import Trainer

/// The built-in tasks generate what their documentation says, reproducibly from a seed.
@Suite struct TaskTests {
    @Test func addingTaskMarksTwoValuesAndTargetsTheirSum() {
        let data = AddingTask(length: 12, trainCount: 20, validationCount: 2, testCount: 3).makeData(seed: 5)
        let train = data.train
        #expect(train.count == 20 && train.steps == 12 && train.features == 2)
        for n in 0..<train.count {
            var markers: [Int] = []
            var sum: Float = 0
            for t in 0..<12 where train.frames[(n * 12 + t) * 2 + 1] == 1 {
                markers.append(t)
                sum += train.frames[(n * 12 + t) * 2]
            }
            #expect(markers.count == 2)
            #expect(markers[0] < 6 && markers[1] >= 6)
            #expect(train.targetValues[n] == sum)
        }
        let again = AddingTask(length: 12, trainCount: 20, validationCount: 2, testCount: 3).makeData(seed: 5)
        #expect(again.train.frames == train.frames)
        #expect(data.test.frames != train.frames.prefix(data.test.frames.count).map { $0 })
    }

    @Test func sineTaskTargetsTheNextCleanValue() {
        let task = SineTask(steps: 30, noise: 0, trainCount: 5, validationCount: 1, testCount: 1)
        let data = task.makeData(seed: 9)
        // With no noise the wave is x_t = sin(ωt + φ), so x_{t+1} = 2cos(ω)x_t - x_{t-1}: the target
        // continues the recurrence from the last two inputs.
        for n in 0..<5 {
            let x = Array(data.train.frames[(n * 30)..<(n * 30 + 30)])
            let twoCos = (x[2] + x[0]) / x[1]
            let predicted = twoCos * x[29] - x[28]
            if abs(x[1]) > 0.2 { #expect(abs(predicted - data.train.targetValues[n]) < 1e-3) }
        }
    }

    @Test func charVocabularyFoldsRareCharactersIntoUnknown() throws {
        let text = String(repeating: "abcab é", count: 60) + "ßz"
        let task = CharLMTask(steps: 10, minCount: 2)
        let data = try task.makeData(text: text)
        let vocabulary = try #require(data.vocabulary)
        #expect(vocabulary.tokens == ["\u{FFFD}", " ", "a", "b", "c", "é"])
        #expect(vocabulary.id("ß") == 0 && vocabulary.id("z") == 0 && vocabulary.id("é") == 5)
        // Targets are the inputs shifted by one character, and windows continue each other.
        let train = data.train
        for n in 0..<(train.count - 1) {
            for t in 0..<9 { #expect(train.targetTokens[n * 10 + t] == train.tokens[n * 10 + t + 1]) }
            #expect(train.targetTokens[n * 10 + 9] == train.tokens[(n + 1) * 10])
        }
        #expect(data.test.count > 0 && data.validation.count > 0)
    }

    @Test func charLMReadsCRLFAsLF() throws {
        #expect(CharLMTask.normalizingLineEndings("a\r\nb\rc\r\r\n\r".unicodeScalars).map { String($0) }.joined()
                == "a\nb\rc\r\n\r")
        let windows = String(repeating: "one line\r\nanother\r\n", count: 30)
        let data = try CharLMTask(steps: 10, minCount: 1).makeData(text: windows)
        let vocabulary = try #require(data.vocabulary)
        #expect(!vocabulary.tokens.contains("\r") && vocabulary.tokens.contains("\n"))
    }

    @Test func charLMRefusesTooShortText() {
        #expect(throws: TaskError.tooShort(path: "text", characters: 5, needed: 220)) {
            try CharLMTask(steps: 10).makeData(text: "hello")
        }
    }
}
