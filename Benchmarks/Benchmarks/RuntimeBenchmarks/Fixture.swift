/// A benchmark's fixture, built by the benchmark's setup hook (outside every measurement)
/// and used by its closure. Registration only stores how to build it, so running one
/// benchmark builds only that benchmark's models.
final class Fixture<Value> {
    private let make: () throws -> Value
    private var built: Value?

    init(_ make: @escaping () throws -> Value) {
        self.make = make
    }

    /// Builds the value once (the setup hook calls this).
    func build() throws {
        if built == nil { built = try make() }
    }

    /// The built value; `build()` must have run.
    var value: Value {
        guard let built else { preconditionFailure("fixture used before its setup hook ran") }
        return built
    }
}
