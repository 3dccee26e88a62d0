// swift-tools-version: 6.2
// The async invocation's throughput and cancellation latency (bench/README.md).
// Run: swift run -c release --package-path bench/async asyncbench
import PackageDescription

let package = Package(
    name: "asyncbench",
    dependencies: [.package(name: "rewasm", path: "../..")],
    targets: [
        .executableTarget(
            name: "asyncbench",
            dependencies: [.product(name: "RewasmCore", package: "rewasm")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
