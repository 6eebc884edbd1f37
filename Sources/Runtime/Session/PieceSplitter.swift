/// Finds where pieces of generated text end, a piece being text that ends at a blank line: the
/// way tunes are separated in an ABC file (and paragraphs in plain text). `recur-run --generate
/// --max-tunes N` feeds it every character it prints and stops after the Nth piece, so that a
/// tune is never cut in half.
///
/// A piece starts at its first line holding something other than spaces and tabs; it ends at
/// the newline that closes the next blank line (a line of nothing, or of spaces and tabs only).
/// Blank lines before a piece starts belong to no piece.
public struct PieceSplitter: Sendable, Equatable {
    /// Pieces ended so far.
    public private(set) var finished = 0
    /// Whether a piece has started and not ended yet.
    public private(set) var inPiece = false
    /// Whether the current line so far holds only spaces and tabs.
    private var lineBlank = true

    public init() {}

    /// Takes the next piece of text (one token's text, several characters are fine); true when
    /// a piece ended inside it.
    public mutating func feed(_ text: String) -> Bool {
        var ended = false
        for byte in text.utf8 {
            switch byte {
            case 0x0A:
                if lineBlank && inPiece {
                    inPiece = false
                    finished += 1
                    ended = true
                }
                lineBlank = true
            case 0x20, 0x09, 0x0D:
                break
            default:
                inPiece = true
                lineBlank = false
            }
        }
        return ended
    }
}
