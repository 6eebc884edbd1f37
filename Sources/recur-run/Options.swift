import RecurRuntime

/// What `recur-run` was asked to do, parsed by hand from the command line.
///
/// The grammar: one model path and any of the options below, in any order; an
/// option's value follows it as the next argument or after `=` (`--window 128`,
/// `--window=128`). `--` ends the options (a model path may then start with `-`).
struct Options {
    /// What the run does.
    enum Mode: Equatable {
        /// Frames (classifier, regressor) or one line per sequence (lm) from stdin.
        case stream
        /// Recompute the embedded self-test vectors and compare bit for bit.
        case verify
        /// Describe the model.
        case info
        /// lm: generate `count` tokens after `--prime`.
        case generate(count: Int)
        /// lm: bits per character of the text on stdin.
        case score
        /// Time the model's step on seeded random input (BenchRunner).
        case bench
        /// Print the help text.
        case help
        /// Print the version (`RecurVersion`).
        case version
    }

    var modelPath = ""
    var mode = Mode.stream
    var json = false
    var strict = false
    var window: Int? = nil
    var hop: Int? = nil
    var kernels = KernelPath.best
    var prime = ""
    /// Sampling temperature; nil means the mode's default (1 for `--generate`,
    /// greedy for the line mode).
    var temperature: Float? = nil
    var topK = 0
    var seed: UInt64 = 0
    /// lm line mode: the most tokens generated per input line.
    var maxTokens = 256
    /// lm --generate: stop after this many tunes (pieces ending at a blank line), printing only
    /// whole ones (nil: no tune counting).
    var maxTunes: Int? = nil
    /// --bench: timed steps after the warm-up (nil: BenchRunner.defaultSteps).
    var steps: Int? = nil
    /// seq2seq: beam search of this width (nil: greedy, or sampling with --temperature).
    var beam: Int? = nil
    /// seq2seq: print the N best of the beam with their scores.
    var nbest: Int? = nil
    /// seq2seq: the beam score's length normalization exponent (score = logP / len^alpha).
    var alpha: Float = 1
    var alphaGiven = false
    /// seq2seq, text classifier: keep the first max_length tokens of a longer line.
    var truncate = false
    /// lm: let generation produce the unknown token (by default it never does).
    var allowUnknown = false
    /// image_to_text: print the render table's text (`recur.target.render.*`) instead of the tokens.
    var render = false

    /// A command line that cannot be run: exit code 64 with this message.
    struct UsageError: Error {
        let message: String
    }

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var modes: [String] = []
        var paths: [String] = []
        var index = 0
        var optionsEnded = false

        /// The value of option `name`: the text after `=`, or the next argument.
        func value(_ name: String, _ inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError(message: "\(name) needs a value") }
            return arguments[index]
        }

        while index < arguments.count {
            let argument = arguments[index]
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                paths.append(argument)
                index += 1
                continue
            }
            var name = argument
            var inline: String? = nil
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[argument.startIndex..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            func flag() throws(UsageError) {
                if inline != nil { throw UsageError(message: "\(name) takes no value") }
            }
            switch name {
            case "--":
                optionsEnded = true
            case "-h", "--help":
                try flag()
                modes.append(name)
                options.mode = .help
            case "--version":
                try flag()
                modes.append(name)
                options.mode = .version
            case "--json":
                try flag()
                options.json = true
            case "--strict":
                try flag()
                options.strict = true
            case "--verify":
                try flag()
                modes.append(name)
                options.mode = .verify
            case "--info":
                try flag()
                modes.append(name)
                options.mode = .info
            case "--score":
                try flag()
                modes.append(name)
                options.mode = .score
            case "--bench":
                try flag()
                modes.append(name)
                options.mode = .bench
            case "--steps":
                options.steps = try integer(name, try value(name, inline), minimum: 1)
            case "--allow-unk":
                try flag()
                options.allowUnknown = true
            case "--window":
                options.window = try integer(name, try value(name, inline), minimum: 0)
            case "--hop":
                options.hop = try integer(name, try value(name, inline), minimum: 1)
            case "--kernels", "--kernel":
                let text = try value(name, inline)
                guard let path = KernelPath(name: text) else {
                    throw UsageError(message: "\(name) \(text): expected best, scalar, avx2, avx512-vnni, neon, neon-dotprod or armv7-neon")
                }
                options.kernels = path
            case "--generate":
                modes.append(name)
                options.mode = .generate(count: try integer(name, try value(name, inline), minimum: 0))
            case "--prime":
                options.prime = unescaped(try value(name, inline))
            case "--temperature":
                options.temperature = try number(name, try value(name, inline), hint: " (0 = greedy)")
            case "--beam":
                options.beam = try integer(name, try value(name, inline), minimum: 1)
            case "--nbest":
                options.nbest = try integer(name, try value(name, inline), minimum: 1)
            case "--alpha":
                options.alpha = try number(name, try value(name, inline), hint: " (0: no length normalization)")
                options.alphaGiven = true
            case "--truncate":
                try flag()
                options.truncate = true
            case "--render":
                try flag()
                options.render = true
            case "--top-k":
                options.topK = try integer(name, try value(name, inline), minimum: 0)
            case "--seed":
                options.seed = UInt64(try integer(name, try value(name, inline), minimum: 0))
            case "--max-tokens":
                options.maxTokens = try integer(name, try value(name, inline), minimum: 1)
            case "--max-tunes":
                options.maxTunes = try integer(name, try value(name, inline), minimum: 1)
            default:
                throw UsageError(message: "unknown option \(name) (recur-run --help lists them)")
            }
            index += 1
        }

        if options.mode == .help || options.mode == .version { return options }
        if modes.count > 1 {
            throw UsageError(message: "\(modes[0]) and \(modes[1]) cannot be combined")
        }
        if options.maxTunes != nil {
            guard case .generate = options.mode else {
                throw UsageError(message: "--max-tunes applies to --generate N (it stops generation after whole tunes)")
            }
        }
        guard paths.count == 1 else {
            throw UsageError(message: paths.isEmpty
                ? "no model file given (usage: recur-run MODEL.rnnz [options]; --help for more)"
                : "one model file expected, found \(paths.count) arguments: \(paths.joined(separator: " "))")
        }
        options.modelPath = paths[0]
        return options
    }

    /// `--prime`'s text with the escapes `\n` (newline), `\t` (tab) and `\\` (backslash)
    /// replaced, so that a shell's double quotes can carry a line break (`--prime "X:1\n"`);
    /// any other backslash stays as it is.
    static func unescaped(_ text: String) -> String {
        guard text.utf8.contains(0x5C) else { return text }
        var bytes: [UInt8] = []
        var escaping = false
        for byte in text.utf8 {
            if escaping {
                switch byte {
                case 0x6E: bytes.append(0x0A)
                case 0x74: bytes.append(0x09)
                case 0x5C: bytes.append(0x5C)
                default: bytes.append(contentsOf: [0x5C, byte])
                }
                escaping = false
            } else if byte == 0x5C {
                escaping = true
            } else {
                bytes.append(byte)
            }
        }
        if escaping { bytes.append(0x5C) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses a decimal number option value ≥ 0 (finite).
    private static func number(_ name: String, _ text: String, hint: String) throws(UsageError) -> Float {
        var text = text
        let parsed = text.withUTF8 { DecimalFloat.parse(UnsafeRawBufferPointer($0)) }
        guard case .value(let number) = parsed, number >= 0 else {
            throw UsageError(message: "\(name) \(text): expected a number ≥ 0\(hint)")
        }
        return number
    }

    /// Parses a decimal integer option value of at least `minimum`.
    private static func integer(_ name: String, _ text: String, minimum: Int) throws(UsageError) -> Int {
        guard let number = Int(text), number >= minimum else {
            throw UsageError(message: "\(name) \(text): expected a whole number ≥ \(minimum)")
        }
        return number
    }
}
