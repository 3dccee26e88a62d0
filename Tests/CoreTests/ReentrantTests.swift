import RewasmCore
import Foundation
import XCTest

/// Host functions that call back into wasm on their caller's context: nested calls
/// run above the caller's frames; restarts are handled in place; traps, interrupts and
/// other errors end the nested call and reach the host function.
final class ReentrantTests: XCTestCase {
    /// What the host callback does with its argument n.
    enum Action: Sendable {
        /// Returns inner(n * 10).
        case inner
        /// Returns rec(n) (rec calls the callback again: nesting).
        case rec
        /// Calls boom; catches the trap and returns -1.
        case catchTrap
        /// Calls boom and rethrows its trap.
        case rethrowTrap
        /// Calls spin; on the second and later calls inner(n * 10) instead.
        case spinOnce
        /// Returns rec(n) run on a new context of the same runtime (not nested, but on
        /// the same native stack).
        case recOnNewContext
    }

    private final class Setup: @unchecked Sendable {
        let runtime: Runtime
        let instance: Instance
        let other: Instance
        let calls = Locked(0)

        init(_ action: Action, configuration: Configuration = Configuration()) throws {
            runtime = Runtime(configuration: configuration)
            let late = Locked<Instance?>(nil)
            let calls = self.calls
            let imports = Imports()
            imports.define("host", "callback", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [.i32])) {
                (call: HostCall) throws(ExecutionError) in
                let n = call.i32(0)
                let count = calls.mutate { c -> Int in
                    c += 1
                    return c
                }
                guard let instance = late.get() else { throw .trap(.host("not ready")) }
                func export(_ name: String) throws(ExecutionError) -> Function {
                    guard let f = instance.function(name) else { throw .trap(.host("no \(name)")) }
                    return f
                }
                let result: [Value]
                switch action {
                case .inner: result = try call.context.invoke(try export("inner"), [.i32(n &* 10)])
                case .rec: result = try call.context.invoke(try export("rec"), [.i32(n)])
                case .recOnNewContext:
                    result = try ExecutionContext(runtime: call.context.runtime).invoke(try export("rec"), [.i32(n)])
                case .catchTrap:
                    let boom = try export("boom")
                    do throws(ExecutionError) {
                        result = try call.context.invoke(boom, [])
                    } catch {
                        guard error.kind == .trap(.unreachable) else { throw error }
                        result = [.i32(UInt32(bitPattern: -1))]
                    }
                case .rethrowTrap: result = try call.context.invoke(try export("boom"), [])
                case .spinOnce:
                    result = try call.context.invoke(try export(count == 1 ? "spin" : "inner"), count == 1 ? [] : [.i32(n &* 10)])
                }
                guard case .i32(let v)? = result.first else { throw .trap(.host("no result")) }
                call.setI32(0, v)
            }))
            let module = try Module(bytes: try Fixture.bytes("reentrant"), configuration: configuration)
            let first = try runtime.instantiate(module, imports: imports)
            late.mutate { $0 = first }
            instance = first
            other = try runtime.instantiate(module, imports: imports)
        }

        func function(_ name: String) throws -> Function {
            guard let f = instance.function(name) else { throw HarnessError("no export \(name)") }
            return f
        }
    }

    private static func inner(_ n: Int32) -> Int32 { n * (n - 1) / 2 }

    /// The caller's locals, operands and globals survive the nested call.
    func testNestedCallKeepsTheCallersState() throws {
        let s = try Setup(.inner)
        let context = ExecutionContext(runtime: s.runtime)
        for n: Int32 in [0, 1, 5, 40] {
            let expected = n * 2 + 1000 + Self.inner(n * 10) + 100
            XCTAssertEqual(try context.invoke(try s.function("outer"), [.s32(n)]), [.s32(expected)])
        }
        XCTAssertEqual(context.statistics.nestedCalls, 4)
        XCTAssertFalse(context.isSuspended)
        // The context is as good as new afterwards.
        XCTAssertEqual(try context.invoke(try s.function("inner"), [.i32(10)]), [.i32(45)])
    }

    /// Nesting 200 deep: rec(n) = n + rec(n - 1) through the host each time. A guest
    /// that recurses through the host without end traps "call stack exhausted" when the
    /// native stack runs low, on the main thread and on a thread with a small stack,
    /// instead of overflowing it; the context stays usable.
    func testDeepNesting() throws {
        let s = try Setup(.rec)
        let context = ExecutionContext(runtime: s.runtime)
        let rec = try s.function("rec")
        XCTAssertEqual(try context.invoke(rec, [.i32(200)]), [.i32(20100)])
        XCTAssertEqual(context.statistics.nestedCalls, 200)
        XCTAssertThrowsError(try context.invoke(rec, [.i32(1_000_000)])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .trap(.callStackExhausted))
        }
        XCTAssertEqual(try context.invoke(rec, [.i32(10)]), [.i32(55)])
        let outcome = Locked<ExecutionError.Kind?>(nil)
        let thread = Thread {
            let c = ExecutionContext(runtime: s.runtime)
            do throws(ExecutionError) {
                _ = try c.invoke(rec, [.i32(1_000_000)])
            } catch {
                outcome.mutate { $0 = error.kind }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
        let deadline = Date().addingTimeInterval(60)
        while outcome.get() == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertEqual(outcome.get(), .trap(.callStackExhausted))
        // The same through a new context at each level.
        let other = try Setup(.recOnNewContext)
        let c = ExecutionContext(runtime: other.runtime)
        XCTAssertEqual(try c.invoke(try other.function("rec"), [.i32(100)]), [.i32(5050)])
        XCTAssertThrowsError(try c.invoke(try other.function("rec"), [.i32(1_000_000)])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .trap(.callStackExhausted))
        }
    }

    /// Restarts injected in the nested call (every check, and every 7th) are handled in
    /// place: the results do not change.
    func testTortureRestartsInsideNestedCalls() throws {
        for interval in [1, 7] {
            var c = Configuration()
            c.tortureRestartInterval = interval
            let s = try Setup(.inner, configuration: c)
            let context = ExecutionContext(runtime: s.runtime)
            XCTAssertEqual(try context.invokeHandlingRestarts(try s.function("outer"), [.i32(30)]), [.s32(60 + 1000 + Self.inner(300) + 100)])
            XCTAssertGreaterThan(context.statistics.restarts["torture"] ?? 0, 10)
            let r = try Setup(.rec, configuration: c)
            let rc = ExecutionContext(runtime: r.runtime)
            XCTAssertEqual(try rc.invokeHandlingRestarts(try r.function("rec"), [.i32(50)]), [.i32(1275)])
        }
    }

    /// A trap in the nested call reaches the host function, which may handle it (the
    /// caller continues) or pass it on (the caller traps).
    func testTrapInsideANestedCall() throws {
        let caught = try Setup(.catchTrap)
        let context = ExecutionContext(runtime: caught.runtime)
        XCTAssertEqual(try context.invoke(try caught.function("outer"), [.i32(3)]), [.s32(6 + 1000 - 1 + 7)])
        let passed = try Setup(.rethrowTrap)
        let c2 = ExecutionContext(runtime: passed.runtime)
        XCTAssertThrowsError(try c2.invoke(try passed.function("outer"), [.i32(3)])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .trap(.unreachable))
            // Innermost first: boom, then the caller of the host function.
            XCTAssertEqual((e as? ExecutionError)?.backtrace.map(\.name), ["boom", "outer"])
        }
        XCTAssertFalse(c2.isSuspended)
        XCTAssertEqual(try c2.invoke(try passed.function("inner"), [.i32(4)]), [.i32(6)])
    }

    /// A user interrupt ends the nested call and, passed on by the host function, suspends
    /// the caller at its host call: resuming runs the host function again.
    func testInterruptInsideANestedCall() throws {
        let s = try Setup(.spinOnce)
        let context = ExecutionContext(runtime: s.runtime)
        let timer = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            context.requestInterrupt()
        }
        timer.start()
        let outer = try s.function("outer")
        do {
            _ = try context.invokeHandlingRestarts(outer, [.i32(4)])
            XCTFail("spin returned")
        } catch {
            let e = error
            XCTAssertEqual(e.kind, .userInterrupt)
            XCTAssertTrue(context.isSuspended)
        }
        XCTAssertEqual(try context.resume(), [.s32(8 + 1000 + Self.inner(40) + 100)])
        XCTAssertEqual(s.calls.get(), 2)
    }

    /// A host function may call exports of another instance on its caller's context.
    func testNestedCallIntoAnotherInstance() throws {
        let s = try Setup(.inner)
        let context = ExecutionContext(runtime: s.runtime)
        guard let outer = s.other.function("outer") else { return XCTFail("no outer") }
        // `other` imports the same callback, which calls `instance`'s inner.
        XCTAssertEqual(try context.invoke(outer, [.i32(2)]), [.s32(4 + 1000 + Self.inner(20) + 7)])
    }

    /// Fuel consumed in nested calls counts, and is the same on every run.
    func testFuelCountsNestedCalls() throws {
        var c = Configuration()
        c.fuel = .max
        var consumed: [UInt64] = []
        for torture: Int? in [nil, 1, 7] {
            c.tortureRestartInterval = torture
            let s = try Setup(.inner, configuration: c)
            let context = ExecutionContext(runtime: s.runtime)
            _ = try context.invokeHandlingRestarts(try s.function("outer"), [.i32(20)])
            consumed.append(context.fuelConsumed)
        }
        XCTAssertEqual(Set(consumed).count, 1, "\(consumed)")
        XCTAssertGreaterThan(consumed[0], 200 * 12)
    }

    /// An exception thrown in a nested call ends it as `ExecutionError.exception`; passed
    /// on by the host function, it unwinds into the caller, whose try_table catches it.
    func testExceptionThroughANestedCall() throws {
        let runtime = Runtime()
        let late = Locked<Instance?>(nil)
        let imports = Imports()
        imports.define("host", "callback", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [.i32])) {
            (call: HostCall) throws(ExecutionError) in
            guard let thrower = late.get()?.function("thrower") else { throw .trap(.host("not ready")) }
            do throws(ExecutionError) {
                _ = try call.context.invoke(thrower, [.i32(call.i32(0))])
            } catch {
                guard error.exception != nil else { throw .trap(.host("expected an exception, got \(error)")) }
                throw error
            }
        }))
        let instance = try runtime.instantiate(try Fixture.module("wasm3_reentrant_throw"), imports: imports)
        late.mutate { $0 = instance }
        guard let outer = instance.function("outer"), let tag = instance.tag("e") else { return XCTFail("exports") }
        let context = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try context.invoke(outer, [.i32(5)]), [.i32(1005)])
        // Called directly, the exception reaches the embedder with its tag and payload.
        XCTAssertThrowsError(try context.invoke(try XCTUnwrap(instance.function("thrower")), [.i32(9)])) { e in
            XCTAssertEqual((e as? ExecutionError)?.exception?.tag, tag)
            XCTAssertEqual((e as? ExecutionError)?.exception?.payload, [.i32(9)])
        }
        XCTAssertEqual(try context.invoke(outer, [.i32(6)]), [.i32(1006)], "the context is reusable")
    }
}
