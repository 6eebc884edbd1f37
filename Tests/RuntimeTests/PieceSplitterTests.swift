import RecurRuntime
import Testing

/// PieceSplitter: where `recur-run --max-tunes` ends a tune.
@Suite struct PieceSplitterTests {
    /// The offsets (in scalars fed one at a time) after which a piece ended.
    static func ends(_ text: String) -> [Int] {
        var splitter = PieceSplitter()
        var offsets: [Int] = []
        for (offset, scalar) in text.unicodeScalars.enumerated() where splitter.feed(String(scalar)) {
            offsets.append(offset + 1)
        }
        return offsets
    }

    @Test func aTuneEndsAtTheNewlineOfItsBlankLine() {
        let tune = "X:1\nM:6/8\nK:G\nGAB|\n\n"
        #expect(Self.ends(tune) == [tune.count])
        #expect(Self.ends(tune + tune) == [tune.count, 2 * tune.count])
        // Without the blank line the tune is still open.
        var splitter = PieceSplitter()
        let ended = splitter.feed("X:1\nK:G\nGAB|\n")
        #expect(!ended)
        #expect(splitter.inPiece && splitter.finished == 0)
    }

    @Test func blankMeansSpacesTabsAndCRToo() {
        #expect(Self.ends("a\n \t\r\nb\n\n") == [6, 9])
    }

    @Test func blankLinesBeforeAPieceStartsCountForNothing() {
        #expect(Self.ends("\n\n  \nab\n\n\n\ncd\n\n") == [9, 15])
        #expect(Self.ends("\n\n\n").isEmpty)
    }

    @Test func severalCharactersAtOnce() {
        var splitter = PieceSplitter()
        let first = splitter.feed("one\n\ntwo\n\nthr")
        #expect(first && splitter.finished == 2 && splitter.inPiece)
        let second = splitter.feed("ee\n")
        #expect(!second)
        let third = splitter.feed("\n")
        #expect(third && splitter.finished == 3 && !splitter.inPiece)
    }
}
