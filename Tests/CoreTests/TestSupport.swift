import RewasmCore
import Foundation
import XCTest

// Shared helpers of CoreTests: fixtures, an instance-plus-context harness, and
// assertions for the typed errors of the public API.

enum Fixture {
    /// The `Fixtures` folder copied into the test bundle.
    static var directory: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the Fixtures folder is missing from the CoreTests bundle")
        }
        return url
    }

    /// The bytes of `Fixtures/NAME.wasm`.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name + ".wasm")))
    }

    static func module(_ name: String) throws -> Module {
        try Module(bytes: bytes(name))
    }
}

/// One instance of a fixture with a runtime and an execution context to call its exports.
final class Harness {
    let runtime: Runtime
    let context: ExecutionContext
    let instance: Instance

    init(_ fixture: String, configuration: Configuration = Configuration(), imports: (Runtime) -> Imports = { _ in Imports() }) throws {
        runtime = Runtime(configuration: configuration)
        context = ExecutionContext(runtime: runtime)
        instance = try runtime.instantiate(try Fixture.module(fixture), imports: imports(runtime), context: context)
    }

    func function(_ name: String) throws -> Function {
        guard let f = instance.function(name) else { throw HarnessError("no exported function '\(name)'") }
        return f
    }

    /// Invokes export `name` (restarts handled) and returns its results.
    func call(_ name: String, _ args: Value...) throws -> [Value] {
        try context.invokeHandlingRestarts(try function(name), args)
    }

    /// The single result of export `name`.
    func value(_ name: String, _ args: Value...) throws -> Value {
        let results = try context.invokeHandlingRestarts(try function(name), args)
        guard results.count == 1 else { throw HarnessError("'\(name)' returned \(results.count) results") }
        return results[0]
    }

    func i32(_ name: String, _ args: Value...) throws -> Int32 {
        let results = try context.invokeHandlingRestarts(try function(name), args)
        guard results.count == 1, case .i32(let v) = results[0] else { throw HarnessError("'\(name)' returned \(results), not one i32") }
        return Int32(bitPattern: v)
    }

    func i64(_ name: String, _ args: Value...) throws -> Int64 {
        let results = try context.invokeHandlingRestarts(try function(name), args)
        guard results.count == 1, case .i64(let v) = results[0] else { throw HarnessError("'\(name)' returned \(results), not one i64") }
        return Int64(bitPattern: v)
    }

    /// The error of calling export `name`, or nil if it returned.
    func error(_ name: String, _ args: Value...) throws -> ExecutionError? {
        try error(name, arguments: args)
    }

    func error(_ name: String, arguments args: [Value]) throws -> ExecutionError? {
        let f = try function(name)
        do {
            _ = try context.invokeHandlingRestarts(f, args)
            return nil
        } catch {
            return error
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension Value {
    /// An i32 from a signed value.
    static func s32(_ v: Int32) -> Value { .i32(UInt32(bitPattern: v)) }
    /// An i64 from a signed value.
    static func s64(_ v: Int64) -> Value { .i64(UInt64(bitPattern: v)) }
}

/// A thread-safe box for host functions to record into.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    func mutate<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}

// MARK: - Assertions

/// Asserts that `body` throws an ExecutionError that is the trap `expected`.
func assertTrap(
    _ expected: Trap, _ message: String = "", file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> Any
) {
    do {
        let r = try body()
        XCTFail("expected trap '\(expected)', got \(r) \(message)", file: file, line: line)
    } catch let e as ExecutionError {
        XCTAssertEqual(e.kind, .trap(expected), message, file: file, line: line)
        XCTAssertFalse(e.isRestartable, file: file, line: line)
    } catch {
        XCTFail("expected trap '\(expected)', got \(error) \(message)", file: file, line: line)
    }
}

/// Asserts that loading `bytes` fails with `kind` and a message containing `fragment`.
@discardableResult
func assertLoadError(
    _ bytes: [UInt8], _ kind: LoadError.Kind, _ fragment: String, features: Features = .default,
    file: StaticString = #filePath, line: UInt = #line
) -> LoadError? {
    do {
        _ = try Module(bytes: bytes, features: features)
        XCTFail("module loaded; expected \(kind) '\(fragment)'", file: file, line: line)
        return nil
    } catch {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        XCTAssertTrue(error.message.contains(fragment), "message '\(error.message)' lacks '\(fragment)'", file: file, line: line)
        XCTAssertTrue(error.description.contains(error.message), file: file, line: line)
        return error
    }
}

/// Asserts that `bytes` load as a module.
@discardableResult
func assertLoads(
    _ bytes: [UInt8], features: Features = .default, file: StaticString = #filePath, line: UInt = #line
) -> Module? {
    do {
        return try Module(bytes: bytes, features: features)
    } catch {
        XCTFail("module did not load: \(error)", file: file, line: line)
        return nil
    }
}

/// Asserts that instantiating `module` fails as unlinkable with a message containing every fragment.
func assertUnlinkable(
    _ module: Module, _ imports: Imports, in runtime: Runtime, _ fragments: String...,
    file: StaticString = #filePath, line: UInt = #line
) {
    do {
        _ = try runtime.instantiate(module, imports: imports)
        XCTFail("instantiated; expected unlinkable \(fragments)", file: file, line: line)
    } catch {
        guard case .unlinkable(let message) = error else {
            return XCTFail("expected unlinkable, got \(error)", file: file, line: line)
        }
        for f in fragments {
            XCTAssertTrue(message.contains(f), "message '\(message)' lacks '\(f)'", file: file, line: line)
        }
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
