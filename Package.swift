// swift-tools-version: 6.2
import PackageDescription

// Traits switch features on and off (see README "Variants"). `--traits` replaces the
// default set, so a variant that keeps WASI and Threads names them explicitly.
let package = Package(
    name: "rewasm",
    products: [
        .library(name: "Core", targets: ["Core"]),
        .library(name: "FeatureWASI", targets: ["FeatureWASI"]),
        .library(name: "FeatureThreads", targets: ["FeatureThreads"]),
        .executable(name: "rewasm", targets: ["rewasm"]),
    ],
    traits: [
        .default(enabledTraits: ["WASI", "Threads"]),
        .trait(name: "WASI", description: "WASI preview1 host module (FeatureWASI)"),
        .trait(name: "Threads", description: "Threads proposal in Core and wasi-threads (FeatureThreads)"),
        .trait(name: "UserSched", description: "Green threads on one host thread", enabledTraits: ["Threads"]),
        .trait(name: "SharedMemRealloc", description: "Shared memories grow by stop-the-world reallocation", enabledTraits: ["Threads"]),
    ],
    targets: [
        // mremap for moving shared memories (SharedMemRealloc): not exported by Swift's Glibc.
        .target(name: "CSystem"),
        // The interpreter's threaded dispatch: handlers that tail-call each other (musttail).
        .target(name: "CInterpreter"),
        .target(
            name: "Core",
            dependencies: ["CSystem", "CInterpreter"],
            swiftSettings: [
                // For the interpreter's handlers (CInterpreter's inline C, compiled into Core):
                // SwiftPM keeps frame pointers on Linux, which would put a frame setup in every
                // handler; with "non-leaf" only functions that really call get one (a handler's
                // jump to the next is no call). And clang's default -Os for imported inline C
                // would limit the optimizer in the handlers. (Since tools version 6.2 such flags
                // no longer keep the package from being a dependency.)
                .unsafeFlags(["-Xcc", "-momit-leaf-frame-pointer", "-Xcc", "-O3"], .when(configuration: .release)),
            ]
        ),
        .target(name: "FeatureWASI", dependencies: ["Core"]),
        .target(name: "FeatureThreads", dependencies: ["Core"]),
        .target(name: "FeatureUserSched", dependencies: ["Core", "FeatureThreads"]),
        .target(name: "FeatureSharedMemRealloc", dependencies: ["Core", "FeatureThreads"]),
        .executableTarget(
            name: "rewasm",
            dependencies: [
                "Core",
                .target(name: "FeatureWASI", condition: .when(traits: ["WASI"])),
                .target(name: "FeatureThreads", condition: .when(traits: ["Threads"])),
                .target(name: "FeatureUserSched", condition: .when(traits: ["UserSched"])),
                .target(name: "FeatureSharedMemRealloc", condition: .when(traits: ["SharedMemRealloc"])),
            ]
        ),
        .testTarget(name: "CoreTests", dependencies: ["Core"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["rewasm"], exclude: ["Fixtures"]),
        .testTarget(name: "WASITests", dependencies: ["Core", "FeatureWASI"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ThreadsTests",
            dependencies: [
                "Core", "FeatureWASI", "FeatureThreads",
                .target(name: "FeatureSharedMemRealloc", condition: .when(traits: ["SharedMemRealloc"])),
                .target(name: "FeatureUserSched", condition: .when(traits: ["UserSched"])),
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
