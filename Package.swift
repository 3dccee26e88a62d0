// swift-tools-version: 6.2
import PackageDescription

// Traits switch features on and off (see README "Variants"). `--traits` replaces the
// default set, so a variant that keeps WASI and Threads names them explicitly.
let package = Package(
    name: "rewasm",
    products: [
        // Module names carry the project's prefix, so that an app with a module of its own
        // named `Core` can depend on rewasm; folders keep the short names (`path:`).
        .library(name: "RewasmCore", targets: ["RewasmCore"]),
        .library(name: "RewasmWASI", targets: ["RewasmWASI"]),
        .library(name: "RewasmThreads", targets: ["RewasmThreads"]),
        .library(name: "RewasmUserSched", targets: ["RewasmUserSched"]),
        .library(name: "RewasmSharedMemRealloc", targets: ["RewasmSharedMemRealloc"]),
        .executable(name: "rewasm", targets: ["rewasm"]),
    ],
    traits: [
        .default(enabledTraits: ["WASI", "Threads"]),
        .trait(name: "WASI", description: "WASI preview1 host module (RewasmWASI)"),
        .trait(name: "Threads", description: "Threads proposal in RewasmCore and wasi-threads (RewasmThreads)"),
        .trait(name: "UserSched", description: "Green threads on one host thread", enabledTraits: ["Threads"]),
        .trait(name: "SharedMemRealloc", description: "Shared memories grow by stop-the-world reallocation", enabledTraits: ["Threads"]),
    ],
    targets: [
        // mremap for moving shared memories (SharedMemRealloc): not exported by Swift's Glibc.
        .target(name: "CSystem"),
        // The interpreter's threaded dispatch: handlers that tail-call each other (musttail).
        .target(name: "CInterpreter"),
        .target(
            name: "RewasmCore",
            dependencies: ["CSystem", "CInterpreter"],
            path: "Sources/Core",
            swiftSettings: [
                // For the interpreter's handlers (CInterpreter's inline C, compiled into RewasmCore):
                // SwiftPM keeps frame pointers on Linux, which would put a frame setup in every
                // handler; with "non-leaf" only functions that really call get one (a handler's
                // jump to the next is no call). And clang's default -Os for imported inline C
                // would limit the optimizer in the handlers. (Since tools version 6.2 such flags
                // no longer keep the package from being a dependency.)
                .unsafeFlags(["-Xcc", "-momit-leaf-frame-pointer", "-Xcc", "-O3"], .when(configuration: .release)),
            ]
        ),
        .target(name: "RewasmWASI", dependencies: ["RewasmCore"], path: "Sources/FeatureWASI"),
        .target(name: "RewasmThreads", dependencies: ["RewasmCore"], path: "Sources/FeatureThreads"),
        .target(name: "RewasmUserSched", dependencies: ["RewasmCore", "RewasmThreads"], path: "Sources/FeatureUserSched"),
        .target(
            name: "RewasmSharedMemRealloc", dependencies: ["RewasmCore", "RewasmThreads"],
            path: "Sources/FeatureSharedMemRealloc"),
        .executableTarget(
            name: "rewasm",
            dependencies: [
                "RewasmCore",
                .target(name: "RewasmWASI", condition: .when(traits: ["WASI"])),
                .target(name: "RewasmThreads", condition: .when(traits: ["Threads"])),
                .target(name: "RewasmUserSched", condition: .when(traits: ["UserSched"])),
                .target(name: "RewasmSharedMemRealloc", condition: .when(traits: ["SharedMemRealloc"])),
            ]
        ),
        .testTarget(name: "CoreTests", dependencies: ["RewasmCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["rewasm"], exclude: ["Fixtures"]),
        .testTarget(name: "WASITests", dependencies: ["RewasmCore", "RewasmWASI"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ThreadsTests",
            dependencies: [
                "RewasmCore", "RewasmWASI", "RewasmThreads",
                .target(name: "RewasmSharedMemRealloc", condition: .when(traits: ["SharedMemRealloc"])),
                .target(name: "RewasmUserSched", condition: .when(traits: ["UserSched"])),
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
