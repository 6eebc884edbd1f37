import RecurRuntime

/// A memory session and a story it cycles through, so that `next()` measures one
/// `MemorySession.read` and nothing else: the lines are one byte block made at set-up (four
/// sentences, then a question), each read passes a pointer into it. Lines are unnumbered, so the
/// memory fills to its capacity and then drops its oldest sentence on every store.
final class StoryReader {
    static let vocabulary = ["<unk>", "bathroom", "daniel", "garden", "hallway", "is", "john", "journeyed",
                             "kitchen", "mary", "moved", "office", "sandra", "the", "to", "went", "where"]
    let session: MemorySession
    private let bytes: UnsafeMutablePointer<UInt8>
    private let lines: [(start: Int, count: Int)]
    private var next = 0

    init(model: Model) throws {
        session = try model.makeMemorySession()
        let people = ["Mary", "John", "Sandra", "Daniel"]
        let places = ["bathroom", "garden", "hallway", "kitchen", "office"]
        let verbs = ["went to", "moved to", "journeyed to"]
        var text: [[UInt8]] = []
        for i in 0..<500 {
            let who = people[i % people.count]
            if i % 5 == 4 {
                text.append(Array("Where is \(who)?".utf8))
            } else {
                text.append(Array("\(who) \(verbs[i % verbs.count]) the \(places[(i * 7) % places.count]).".utf8))
            }
        }
        var starts: [(start: Int, count: Int)] = []
        var total = 0
        for line in text {
            starts.append((total, line.count))
            total += line.count
        }
        bytes = .allocate(capacity: total)
        for (k, line) in text.enumerated() { (bytes + starts[k].start).initialize(from: line, count: line.count) }
        lines = starts
    }

    deinit {
        bytes.deallocate()
    }

    /// Reads the next line; returns the answer's word id for a question, -1 for a sentence.
    @inline(__always)
    func read() throws(RecurError) -> Int {
        let line = lines[next]
        next = next + 1 == lines.count ? 0 : next + 1
        let outcome = try session.read(line: UnsafeBufferPointer(start: bytes + line.start, count: line.count))
        if case .answer(let token, _) = outcome { return token }
        return -1
    }
}
