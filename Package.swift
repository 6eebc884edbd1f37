// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Recur",
    products: [
        .library(name: "RecurRuntime", targets: ["RecurRuntime"]),
        .library(name: "Trainer", targets: ["Trainer"]),
        .executable(name: "recur", targets: ["recur"]),
        .executable(name: "recur-run", targets: ["recur-run"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // history.csv of `recur train --report DIR` (Trainer/Report).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // MARK: C core and system libraries

        .target(
            name: "CRuntime",
            cSettings: [
                // SwiftPM compiles C at -O0 in debug, which makes the kernels ~80x slower
                // and the debug test suite crawl. Allowed here because this is the root package.
                .unsafeFlags(["-O2"], .when(configuration: .debug)),
            ],
            linkerSettings: [.linkedLibrary("m")]
        ),
        .target(name: "CPlatform"),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: Libraries

        .target(
            // The module is RecurRuntime, not Runtime: Swift 6 ships a `Runtime` module of its own
            // (backtraces) that package-benchmark imports under `canImport(Runtime)`.
            name: "RecurRuntime",
            dependencies: ["CRuntime", "CPlatform", "CZstd"],
            path: "Sources/Runtime"
        ),
        .target(
            name: "Trainer",
            dependencies: ["RecurRuntime", "CRuntime", "COpenBLAS", "CZstd", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: [
                // The layers' SIMD8 loops run ~100x slower at -Onone, which makes the small real
                // training runs in the test suite take minutes. Root package, like CRuntime's -O2.
                .unsafeFlags(["-O"], .when(configuration: .debug)),
            ]
        ),

        // MARK: Executables

        .executableTarget(
            name: "recur",
            dependencies: [
                "Trainer", "RecurRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "recur-run",
            dependencies: ["RecurRuntime"]
        ),

        // MARK: Tests

        .target(
            name: "TestSupport",
            dependencies: ["CRuntime"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "CRuntimeTests",
            dependencies: ["CRuntime", "TestSupport"]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["RecurRuntime", "Trainer", "CRuntime", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TrainerTests",
            dependencies: ["Trainer", "RecurRuntime", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["RecurRuntime", "Trainer", "TestSupport"]
        ),
    ]
)
