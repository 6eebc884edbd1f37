import RecurRuntime

/// An lm session generating text: each `next()` feeds the previous token and draws the next
/// one, as `recur-run --generate` does per character.
final class TokenGenerator {
    let session: LanguageSession
    private var random: RecurRandom
    private var token = 0

    init(model: Model, seed: UInt64) throws {
        session = try model.makeLanguageSession()
        random = RecurRandom(seed: seed)
    }

    /// Feeds the current token and samples the next at temperature 0.8 over every token.
    @inline(__always)
    func next() throws(RecurError) -> Int {
        try session.feed(token)
        token = session.sample(temperature: 0.8, topK: 0, using: &random)
        return token
    }
}
