// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way:
// SluiceCore ← SluiceFormats, SluiceState ← SluiceRuntime/SluiceOperators/SluiceConnectors ← SluiceDSL ← SluiceCLI ← Sluice
let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Sluice", targets: ["Sluice"]),
        .library(name: "SluiceNexmark", targets: ["SluiceNexmark"]),
        .executable(name: "auctionstats", targets: ["auctionstats"]),
        .executable(name: "topbids", targets: ["topbids"]),
        .executable(name: "recommendations", targets: ["recommendations"]),
        .executable(name: "nexmark", targets: ["nexmark"]),
        .executable(name: "sluice-bench", targets: ["SluiceBench"]),
        .executable(name: "recommendations-bench", targets: ["RecommendationsBench"]),
        .executable(name: "sluice", targets: ["SluiceTool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Latency percentiles in the benchmarks.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .target(name: "SluiceCore"),
        .target(name: "SluiceFormats", dependencies: ["SluiceCore"]),
        // libzstd from Debian's libzstd-dev (scripts/setup.sh installs it).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CPrefetch"),
        // mimalloc from Debian's libmimalloc-dev, linked in place of glibc's malloc (SluiceRuntime's Allocator).
        .systemLibrary(name: "CAllocator", providers: [.apt(["libmimalloc-dev"])]),
        .systemLibrary(name: "CThreads"),
        .target(name: "SluiceState", dependencies: ["SluiceCore", "CZstd", "CPrefetch"]),
        .target(name: "SluiceRuntime", dependencies: ["SluiceCore", "SluiceState", "CAllocator", "CThreads"]),
        .target(name: "SluiceOperators", dependencies: ["SluiceCore", "SluiceState"]),
        .target(name: "SluiceConnectors", dependencies: ["SluiceCore", "SluiceFormats", "SluiceRuntime"]),
        .target(name: "SluiceDSL", dependencies: ["SluiceCore", "SluiceFormats", "SluiceState", "SluiceRuntime", "SluiceOperators", "SluiceConnectors"]),
        .target(name: "SluiceCLI", dependencies: [
            "SluiceDSL", "SluiceState", "SluiceFormats",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "Sluice", dependencies: ["SluiceCLI", "SluiceDSL", "SluiceFormats"]),
        .target(name: "SluiceNexmark", dependencies: ["SluiceFormats"]),
        .executableTarget(name: "SluiceTool", dependencies: [
            "SluiceState", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "auctionstats", dependencies: ["Sluice"], path: "pipelines/auctionstats"),
        .executableTarget(name: "topbids", dependencies: ["Sluice"], path: "pipelines/topbids"),
        // The flagship sample: the recommender's model, pipeline, generator and evaluator, and its binary.
        .target(name: "RecommendationsKit", dependencies: ["Sluice"], path: "pipelines/recommendations/Kit"),
        .executableTarget(name: "recommendations", dependencies: [
            "RecommendationsKit", "Sluice", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "pipelines/recommendations/Main"),
        // The Nexmark queries, written with the public DSL as a user would.
        .target(name: "NexmarkQueries", dependencies: ["Sluice", "SluiceNexmark"], path: "Benchmarks/NexmarkQueries"),
        // Restricting a run to some CPUs (`nexmark run --cores`), which Glibc's module hides.
        .systemLibrary(name: "CAffinity", path: "Benchmarks/CAffinity"),
        .executableTarget(name: "nexmark", dependencies: [
            "Sluice", "SluiceNexmark", "NexmarkQueries", "CAffinity", "BenchSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], path: "Benchmarks/nexmark"),
        // What the benchmark executables share: results as JSON lines, runs of pipeline binaries.
        .target(name: "BenchSupport", path: "Benchmarks/BenchSupport"),
        .executableTarget(name: "SluiceBench", dependencies: ["Sluice", "SluiceNexmark", "BenchSupport"], path: "Benchmarks/SluiceBench"),
        .executableTarget(name: "RecommendationsBench", dependencies: [
            "RecommendationsKit", "Sluice", "BenchSupport", .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], path: "Benchmarks/RecommendationsBench"),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(name: "SluiceFormatsTests", dependencies: ["SluiceFormats"]),
        .testTarget(name: "SluiceStateTests", dependencies: ["SluiceState"]),
        .testTarget(name: "SluiceRuntimeTests", dependencies: ["SluiceRuntime", "SluiceOperators"]),
        .testTarget(name: "SluiceOperatorsTests", dependencies: ["SluiceOperators"]),
        .testTarget(name: "SluiceConnectorsTests", dependencies: ["SluiceConnectors"]),
        .testTarget(name: "SluiceNexmarkTests", dependencies: ["SluiceNexmark"]),
        .testTarget(name: "SluiceTests", dependencies: ["Sluice", "SluiceNexmark"]),
        .testTarget(name: "NexmarkQueryTests", dependencies: ["NexmarkQueries", "SluiceNexmark", "nexmark"]),
        // Runs the pipeline binaries as a user would; depending on them makes `swift build --build-tests` build them.
        .testTarget(name: "EndToEndTests", dependencies: ["SluiceNexmark", "auctionstats", "recommendations"]),
        // Kills pipeline binaries with checkpoints on, resumes them, compares their output.
        .testTarget(name: "RecommendationsTests", dependencies: ["RecommendationsKit"]),
        .testTarget(name: "CheckpointTests", dependencies: ["SluiceNexmark", "SluiceState", "auctionstats", "topbids", "recommendations", "SluiceTool"]),
    ]
)
