// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "reverse-mentoring",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mentoring", targets: ["mentoring"]),
        // For the separate Benchmarks/ package.
        .library(name: "Matching", targets: ["Matching"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
    ],
    targets: [
        // Pure algorithms: min-cost flow, final tandems, speed-networking rounds. No Vapor.
        .target(
            name: "Matching",
            dependencies: [.product(name: "Collections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // Domain values and rules (eligibility, pairing policy, calendar). No Vapor.
        .target(
            name: "Mentoring",
            dependencies: ["Matching"],
            swiftSettings: swiftSettings
        ),
        // `mentoring match` and `mentoring schedule`: CSV in, CSV out. No Vapor, so they build and test fast. The byte-level
        // RFC 4180 reader is checked against CSV.swift (the real peer) in the tests.
        .target(
            name: "MatchingCommands",
            dependencies: [
                "Matching",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // QR codes for invitation links (SVG, PNG): pure Swift, no dependencies; verified with zbarimg.
        .target(name: "QRCode", swiftSettings: swiftSettings),
        // A small SMTP client on SwiftNIO (STARTTLS, AUTH PLAIN/LOGIN, multipart MIME): no listed package does SMTP.
        .target(
            name: "SMTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // iCalendar (RFC 5545) documents, e.g. the kick-off as an .ics: pure Swift, Foundation only; read back by
        // Python's icalendar package in the tests.
        .target(name: "ICalendar", swiftSettings: swiftSettings),
        .target(
            name: "App",
            dependencies: [
                "Matching",
                "Mentoring",
                "SMTP",
                "QRCode",
                "ICalendar",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mentoring",
            dependencies: [
                "App",
                "MatchingCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared test helpers (one seeded random generator): no Vapor, no dependencies.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "MatchingTests",
            dependencies: ["Matching", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MentoringTests",
            dependencies: ["Mentoring", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MatchingCommandsTests",
            dependencies: [
                "MatchingCommands",
                "TestSupport",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SMTPTests",
            dependencies: [
                "SMTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ICalendarTests", dependencies: ["ICalendar"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "QRCode",
                // The executable's root command, for its help text (testable: SwiftPM renames its entry point).
                "mentoring",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "VaporTesting", package: "vapor"),
                // LeafKit's own escaping is the reference for the app's faster one.
                .product(name: "Leaf", package: "leaf"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            // Reference pages of PageSnapshotTests, read at run time from the source tree.
            exclude: ["Views/__Snapshots__"],
            swiftSettings: swiftSettings
        ),
    ]
)
