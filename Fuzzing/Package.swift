// swift-tools-version: 6.1
// libFuzzer targets for the runtime's parsers and the trainer's CSV and safetensors readers
// (docs/FUZZING.md). A package of its own so the sanitizer builds never touch the root package's
// normal build; scripts/fuzz builds and runs them:
//   swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
import PackageDescription

// SwiftPM names a path dependency after its directory (the checkout's name, whatever it is).
let root = Context.packageDirectory.split(separator: "/").dropLast().last.map { String($0).lowercased() } ?? "recur"

let fuzzTargets = ["fuzz-rnnz", "fuzz-model", "fuzz-seq2seq", "fuzz-frameline", "fuzz-text", "fuzz-image"]
// The desktop side's parsers of untrusted bytes: `recur train frames`'s CSV and `recur import`'s safetensors.
let trainerFuzzTargets = ["fuzz-csv", "fuzz-safetensors"]

let package = Package(
    name: "RecurFuzz",
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "RecurRuntime", package: root)]),
    ] + fuzzTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport", .product(name: "RecurRuntime", package: root)],
            // No main: libFuzzer's main calls LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    } + trainerFuzzTargets.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport", .product(name: "RecurRuntime", package: root), .product(name: "Trainer", package: root)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
