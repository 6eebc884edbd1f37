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
        // CSV for `recur train frames` (desktop only: the runtime stays libc/libm/libzstd).
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        // MARK: C core and system libraries

        .target(
            name: "CRuntime",
            // No unsafeFlags in any product target: SwiftPM refuses them in a versioned
            // dependency (scripts/check-dependency). Debug builds compile C at -O0 and Swift at
            // -Onone, which makes the kernels ~80x and the trainer's SIMD loops ~100x slower:
            // scripts/test runs the suite as `swift test -Xcc -O2 -Xswiftc -O` (README).
            linkerSettings: [.linkedLibrary("m")]
        ),
        .target(name: "CPlatform"),
        // The trainer's packed product for the per-timestep W_hh products (Trainer/Core/PackedMatrix.swift).
        .target(name: "CTrainer"),
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
            // The C API (include/recur.h) over the Runtime: @_cdecl functions, Embedded-Swift
            // clean like the Runtime; scripts/build-capi builds it as librecur.a / librecur.so.
            name: "RecurC",
            dependencies: ["RecurRuntime"]
        ),
        .target(
            name: "Trainer",
            dependencies: ["RecurRuntime", "CRuntime", "CTrainer", "COpenBLAS", "CZstd", .product(name: "CSV", package: "CSV.swift")]
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
