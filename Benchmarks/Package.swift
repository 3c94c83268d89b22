// swift-tools-version:6.1
// Benchmarks for the Matching module, kept out of the main package (and out of CI).
//   swift package --package-path Benchmarks benchmark                 # ordo-one benchmarks
//   swift run -c release --package-path Benchmarks matching-timer ...  # same-run comparisons (compare/run.sh)
import PackageDescription

let package = Package(
    name: "MatchingBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "reverse-mentoring", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MatchingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Matching", package: "reverse-mentoring"),
            ],
            path: "Benchmarks/MatchingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "matching-timer",
            dependencies: [.product(name: "Matching", package: "reverse-mentoring")],
            path: "Sources/matching-timer"
        ),
    ]
)

// Note: `.product(name: "Matching", package: "reverse-mentoring")` needs the root Package.swift to
// declare `.library(name: "Matching", targets: ["Matching"])` among its products.
