// swift-tools-version: 6.2
import PackageDescription

// The rewasm examples: an app of its own that depends on rewasm by path, as an
// embedder's package would (with `.package(url: ..., from: ...)` instead).
//
// Its shared helpers are a library target named `Core`, on purpose: rewasm's own
// modules carry the `Rewasm` prefix (RewasmCore, RewasmWASI, ...), so an app can have
// a module named Core and still depend on rewasm. This package checks that it builds.
let package = Package(
    name: "rewasm-examples",
    dependencies: [
        .package(name: "rewasm", path: ".."),
    ],
    targets: [
        // Shared helpers: finding and loading the .wasm files in Modules/, printing, checks.
        .target(name: "Core", dependencies: [.product(name: "RewasmCore", package: "rewasm")]),
        .executableTarget(name: "minimal", dependencies: ["Core", .product(name: "RewasmCore", package: "rewasm")]),
        .executableTarget(name: "host-functions", dependencies: ["Core", .product(name: "RewasmCore", package: "rewasm")]),
        .executableTarget(name: "interrupt", dependencies: ["Core", .product(name: "RewasmCore", package: "rewasm")]),
        .executableTarget(name: "async", dependencies: ["Core", .product(name: "RewasmCore", package: "rewasm")]),
        .executableTarget(name: "fuel", dependencies: ["Core", .product(name: "RewasmCore", package: "rewasm")]),
        .executableTarget(
            name: "wasi",
            dependencies: [
                "Core", .product(name: "RewasmCore", package: "rewasm"), .product(name: "RewasmWASI", package: "rewasm"),
            ]),
        .executableTarget(
            name: "threads",
            dependencies: [
                "Core", .product(name: "RewasmCore", package: "rewasm"), .product(name: "RewasmWASI", package: "rewasm"),
                .product(name: "RewasmThreads", package: "rewasm"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
