// Helpers shared by the examples (module `Core`, the app's own; rewasm's is RewasmCore).
//
// - `loadModule("compute.wasm")` loads a module from Examples/Modules,
// - `runExample("name") { ... }` runs an example's body, reports a thrown error, and
//   exits with status 1 if the body threw or any `check` failed (so CI notices),
// - `check(condition, "what")` prints "ok" or "FAILED" for one expectation,
// - `section`, `elapsed` and `milliseconds` print and measure.

import Foundation
import RewasmCore
import Synchronization

/// Examples/Modules, where the examples' wasm modules and their sources are. Found from
/// this file's location at build time; `REWASM_EXAMPLES_MODULES` overrides it (for a
/// binary copied elsewhere).
public let modulesDirectory: String = {
    if let dir = ProcessInfo.processInfo.environment["REWASM_EXAMPLES_MODULES"] { return dir }
    // #filePath is Examples/Sources/Core/Example.swift.
    return URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Modules").path
}()

/// An error of an example itself (a missing file or export), not of the guest.
public struct ExampleError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The bytes of `name` (e.g. "compute.wasm") in Examples/Modules.
public func loadWasm(_ name: String) throws -> [UInt8] {
    let path = modulesDirectory + "/" + name
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ExampleError("cannot read \(path) (run Examples/Modules/build.sh?)")
    }
    return [UInt8](data)
}

/// Decodes, validates and translates `name` from Examples/Modules for runtimes with
/// `configuration` (fuel metering must be chosen when the module is translated).
public func loadModule(_ name: String, configuration: Configuration = Configuration()) throws -> Module {
    try Module(bytes: try loadWasm(name), configuration: configuration)
}

/// The export `name` of `instance`, which must be a function.
public func function(_ instance: Instance, _ name: String) throws -> Function {
    guard let f = instance.function(name) else { throw ExampleError("the module exports no function \(name)") }
    return f
}

private let failures = Atomic<Int>(0)

/// Prints whether `condition` holds; a failure makes the example exit with status 1.
public func check(_ condition: Bool, _ description: String) {
    if condition {
        print("  ok: \(description)")
    } else {
        failures.add(1, ordering: .relaxed)
        print("  FAILED: \(description)")
    }
}

/// Prints a heading for the next part of an example.
public func section(_ title: String) {
    print("\n== \(title)")
}

/// A duration in milliseconds with one decimal, e.g. "101.3 ms".
public func milliseconds(_ d: Duration) -> String {
    let (s, atto) = d.components
    let ms = Double(s) * 1000 + Double(atto) / 1e15
    return String(format: "%.1f ms", ms)
}

/// The time since `start`.
public func elapsed(since start: ContinuousClock.Instant) -> Duration {
    ContinuousClock.now - start
}

private func conclude(_ name: String) -> Never {
    let failed = failures.load(ordering: .relaxed)
    if failed > 0 {
        print("\n\(name): \(failed) check(s) FAILED")
        exit(1)
    }
    print("\n\(name): all checks passed")
    exit(0)
}

private func report(_ name: String, _ error: any Error) -> Never {
    print("\n\(name): FAILED with an error: \(error)")
    exit(1)
}

/// Runs an example's body, then exits: 0 if every `check` held, 1 otherwise or if
/// the body threw.
public func runExample(_ name: String, _ body: () throws -> Void) -> Never {
    print("# \(name)")
    do { try body() } catch { report(name, error) }
    conclude(name)
}

/// `runExample` for a body that awaits.
public func runExample(_ name: String, _ body: () async throws -> Void) async -> Never {
    print("# \(name)")
    do { try await body() } catch { report(name, error) }
    conclude(name)
}
