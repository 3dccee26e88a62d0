import RewasmCore
import Foundation
import XCTest

/// The restart protocol (DESIGN.md §3): restartable errors suspend an execution at an
/// instruction boundary, `resume()` continues it, `abandon()` drops it.
final class RestartTests: XCTestCase {
    /// Calls `context.requestInterrupt()` from another thread after `delay` seconds.
    private func interrupt(_ context: ExecutionContext, after delay: TimeInterval) -> Thread {
        let t = Thread {
            Thread.sleep(forTimeInterval: delay)
            context.requestInterrupt()
        }
        t.start()
        return t
    }

    /// Runs `body` and returns its error (failing if it returns).
    private func expectError(
        _ what: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> [Value]
    ) -> ExecutionError? {
        do {
            let r = try body()
            XCTFail("\(what) returned \(r)", file: file, line: line)
            return nil
        } catch let e as ExecutionError {
            return e
        } catch {
            XCTFail("\(what): \(error)", file: file, line: line)
            return nil
        }
    }

    // MARK: (a) user interrupts

    func testInterruptFromAnotherThreadResumeAndAbandon() throws {
        let h = try Harness("restart")
        let spin = try h.function("spin")
        let ctx = h.context

        // An infinite loop, interrupted from another thread.
        _ = interrupt(ctx, after: 0.05)
        let first = expectError("spin") { try ctx.invoke(spin, []) }
        XCTAssertEqual(first?.kind, .userInterrupt)
        XCTAssertEqual(first?.isRestartable, true)
        XCTAssertTrue(ctx.isSuspended)
        XCTAssertEqual(ctx.statistics.userInterrupts, 1)

        // resume() continues it: it is still looping, so only another interrupt stops it.
        _ = interrupt(ctx, after: 0.05)
        let second = expectError("resume") { try ctx.resume() }
        XCTAssertEqual(second?.kind, .userInterrupt)
        XCTAssertEqual(second?.isRestartable, true)
        XCTAssertTrue(ctx.isSuspended)
        XCTAssertEqual(ctx.statistics.userInterrupts, 2)

        // abandon() drops it: nothing is left to resume.
        ctx.abandon()
        XCTAssertFalse(ctx.isSuspended)
        XCTAssertNil(ctx.restartState)
        let nothing = expectError("resume after abandon") { try ctx.resume() }
        XCTAssertEqual(nothing?.isRestartable, false)

        // The same context then runs another function normally; 100,000 iterations pass
        // many interrupt checks, so a stale interrupt request would show here.
        XCTAssertEqual(try ctx.invoke(h.function("sum"), [.i32(100_000)]), [.i64(4_999_950_000)])
        XCTAssertEqual(try ctx.invoke(h.function("fib"), [.i32(15)]), [.i32(610)])
        XCTAssertEqual(ctx.statistics.userInterrupts, 2)
    }

    func testResumeContinuesWhereItStopped() throws {
        let h = try Harness("restart")
        let ctx = h.context
        let entered = try XCTUnwrap(h.instance.global("entered"))
        let iterations = try XCTUnwrap(h.instance.global("iterations"))

        _ = interrupt(ctx, after: 0.02)
        let first = expectError("spin_counting") { try ctx.invoke(h.function("spin_counting"), []) }
        XCTAssertEqual(first?.kind, .userInterrupt)
        guard case .i64(let n1) = iterations.value else { return XCTFail() }
        XCTAssertGreaterThan(n1, 0)

        for round in 0..<3 {
            _ = interrupt(ctx, after: 0.02)
            let e = expectError("resume \(round)") { try ctx.resume() }
            XCTAssertEqual(e?.kind, .userInterrupt)
        }
        guard case .i64(let n2) = iterations.value else { return XCTFail() }
        // The loop counter lives in a local: resuming kept it (a restart from the
        // function's entry would have counted again from 1 and entered twice).
        XCTAssertGreaterThan(n2, n1)
        XCTAssertEqual(entered.value, .i32(1))
        ctx.abandon()
    }

    func testInterruptRequestedBeforeInvokeStopsAtTheFirstCheck() throws {
        let h = try Harness("restart")
        h.context.requestInterrupt()
        let e = expectError("spin") { try h.context.invoke(h.function("spin"), []) }
        XCTAssertEqual(e?.kind, .userInterrupt)
        // The request is consumed: the next run is not interrupted.
        h.context.abandon()
        XCTAssertEqual(try h.context.invoke(h.function("sum"), [.i32(10_000)]), [.i64(49_995_000)])
    }

    func testInvokeHandlingRestartsReturnsUserInterrupts() throws {
        // invokeHandlingRestarts resumes restarts but hands user interrupts to the caller.
        let h = try Harness("restart")
        _ = interrupt(h.context, after: 0.02)
        let e = expectError("spin") { try h.context.invokeHandlingRestarts(h.function("spin"), []) }
        XCTAssertEqual(e?.kind, .userInterrupt)
        XCTAssertTrue(h.context.isSuspended)
        // A new invoke abandons the suspended one.
        XCTAssertEqual(try h.context.invoke(h.function("fib"), [.i32(10)]), [.i32(55)])
        XCTAssertFalse(h.context.isSuspended)
    }

    func testInterruptSource() throws {
        // A custom InterruptSource asked at every check; it stops the loop after 5 checks.
        final class CountingSource: InterruptSource, @unchecked Sendable {
            var checks = 0
            func check(_ context: ExecutionContext) -> ExecutionError? {
                checks += 1
                return checks % 5 == 0 ? .userInterrupt : nil
            }
        }
        var c = Configuration()
        c.interruptCheckInterval = 1
        let h = try Harness("restart", configuration: c)
        let source = CountingSource()
        h.context.addInterruptSource(source)
        let e = expectError("spin") { try h.context.invoke(h.function("spin"), []) }
        XCTAssertEqual(e?.kind, .userInterrupt)
        XCTAssertEqual(source.checks, 5)
        _ = expectError("resume") { try h.context.resume() }
        XCTAssertEqual(source.checks, 10)
        h.context.abandon()
    }

    /// BUG (Sources/Core/Restart/ExecutionContext.swift, checkInterrupt): with
    /// `tortureRestartInterval` 1 every check returns the injected restart before the
    /// interrupt sources are asked, so no InterruptSource is ever consulted (cluster
    /// termination, suspension requests, preemption would all starve under
    /// `--torture-restart 1`). The loop is stopped through requestInterrupt, which is
    /// checked first, so this test ends either way.
    func testInterruptSourcesAreConsultedUnderTortureOne() throws {
        final class CountingSource: InterruptSource, @unchecked Sendable {
            private let lock = NSLock()
            private var n = 0
            var checks: Int { lock.lock(); defer { lock.unlock() }; return n }
            func check(_ context: ExecutionContext) -> ExecutionError? {
                lock.lock(); defer { lock.unlock() }
                n += 1
                return nil
            }
        }
        var c = Configuration()
        c.tortureRestartInterval = 1
        let h = try Harness("restart", configuration: c)
        let source = CountingSource()
        h.context.addInterruptSource(source)
        _ = interrupt(h.context, after: 0.05)
        let e = expectError("spin") { try h.context.invokeHandlingRestarts(h.function("spin"), []) }
        XCTAssertEqual(e?.kind, .userInterrupt)
        XCTAssertGreaterThan(source.checks, 0, "the interrupt source was never asked")
    }

    // MARK: (b) torture mode

    private func tortureConfiguration(_ n: Int?) -> Configuration {
        var c = Configuration()
        c.tortureRestartInterval = n
        return c
    }

    func testTortureGivesTheSameResultsThroughInvokeHandlingRestarts() throws {
        let workloads: [(String, [Value], [Value])] = [
            ("fib", [.i32(20)], [.i32(6765)]),
            ("sum", [.i32(5000)], [.i64(12_497_500)]),
            ("mixed", [.i32(1000)], [.i32(547_081_507)]),  // checked against WABT's wasm-interp
        ]
        for (name, args, expected) in workloads {
            let plain = try Harness("restart")
            XCTAssertEqual(try plain.context.invokeHandlingRestarts(plain.function(name), args), expected, "\(name) without torture")
            XCTAssertNil(plain.context.statistics.restarts["torture"])
            for n in [1, 2, 3, 7] {
                let h = try Harness("restart", configuration: tortureConfiguration(n))
                let r = try h.context.invokeHandlingRestarts(h.function(name), args)
                XCTAssertEqual(r, expected, "\(name) with --torture-restart \(n)")
                XCTAssertGreaterThan(h.context.statistics.restarts["torture"] ?? 0, 0, "\(name) torture \(n)")
                XCTAssertFalse(h.context.isSuspended)
            }
        }
    }

    func testTortureDrivenManually() throws {
        for (name, args, expected) in [("fib", [Value.i32(20)], [Value.i32(6765)]), ("sum", [.i32(3000)], [.i64(4_498_500)])] {
            var counts: [Int: Int] = [:]
            for n in [1, 2, 3, 7] {
                let h = try Harness("restart", configuration: tortureConfiguration(n))
                let ctx = h.context
                var restarts = 0
                var result: [Value]?
                do {
                    result = try ctx.invoke(h.function(name), args)
                } catch let first as ExecutionError {
                    var error = first
                    while result == nil {
                        guard error.kind == .restart(.torture), error.isRestartable, ctx.isSuspended else {
                            XCTFail("\(name) torture \(n): \(error)")
                            break
                        }
                        restarts += 1
                        do {
                            result = try ctx.resume()
                        } catch let next {
                            error = next
                        }
                    }
                }
                XCTAssertEqual(result, expected, "\(name) torture \(n)")
                XCTAssertGreaterThan(restarts, 0, "\(name) torture \(n)")
                // One restart every n interrupt checks.
                XCTAssertEqual(UInt64(restarts), ctx.statistics.interruptChecks / UInt64(n), "\(name) torture \(n)")
                XCTAssertFalse(ctx.isSuspended)
                counts[n] = restarts
                // The loop through invokeHandlingRestarts restarts exactly as often.
                let again = try Harness("restart", configuration: tortureConfiguration(n))
                XCTAssertEqual(try again.context.invokeHandlingRestarts(again.function(name), args), expected)
                XCTAssertEqual(again.context.statistics.restarts["torture"], UInt64(restarts))
            }
            XCTAssertGreaterThan(counts[1] ?? 0, counts[7] ?? 0, name)
        }
    }

    func testTortureWithTrapsAndHostCalls() throws {
        for n in [1, 2, 3, 7] {
            let entries = Locked(0)
            let h = try Harness("host", configuration: tortureConfiguration(n)) { self.hostImports($0, entries: entries) }
            XCTAssertEqual(try h.i32("retry_loop", .i32(5)), 1010, "torture \(n)")
            XCTAssertEqual(entries.get(), 15, "torture \(n)")
            XCTAssertEqual(try h.i32("calls_div", .s32(-9), .s32(2)), -4)
            let e = try h.error("calls_div", .i32(1), .i32(0))
            XCTAssertEqual(e?.kind, .trap(.integerDivideByZero), "torture \(n)")
            XCTAssertEqual(e?.backtrace.compactMap(\.name), ["div", "calls_div"], "torture \(n)")
        }
    }

    // MARK: (c) host functions

    /// host.retry(p) throws .restart(.retry) twice, counting in restartState, then returns
    /// p * 100 + the saved count; host.fail traps; host.exit exits. `entries` counts the
    /// times retry's body was entered.
    private func hostImports(_ runtime: Runtime, entries: Locked<Int>) -> Imports {
        let imports = Imports()
        imports.define("host", "retry", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [.i32])) { (call: HostCall) throws(ExecutionError) in
            entries.mutate { $0 += 1 }
            let p = call.i32(0)
            let saved = call.context.restartState as? Int ?? 0
            if saved < 2 {
                call.context.restartState = saved + 1
                throw .restart(.retry)
            }
            call.setI32(0, p &* 100 &+ UInt32(saved))
        }))
        imports.define("host", "fail", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [])) { (call: HostCall) throws(ExecutionError) in
            throw .trap(.host("boom \(call.i32(0))"))
        }))
        imports.define("host", "exit", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [])) { (call: HostCall) throws(ExecutionError) in
            throw .exit(Int32(bitPattern: call.i32(0)))
        }))
        return imports
    }

    func testHostRetryThroughInvokeHandlingRestarts() throws {
        let entries = Locked(0)
        let h = try Harness("host") { self.hostImports($0, entries: entries) }
        let reasons = Locked<[RestartReason]>([])
        h.runtime.restartHandler = { _, reason in reasons.mutate { $0.append(reason) } }
        // call_retry(p) = retry(p) + 1 = p * 100 + 2 + 1
        XCTAssertEqual(try h.context.invokeHandlingRestarts(h.function("call_retry"), [.i32(10)]), [.i32(1003)])
        XCTAssertEqual(entries.get(), 3, "entered twice to restart and once to succeed")
        XCTAssertNil(h.context.restartState, "cleared once the call completed")
        XCTAssertFalse(h.context.isSuspended)
        XCTAssertEqual(h.context.statistics.restarts["retry"], 2)
        XCTAssertEqual(reasons.get(), [.retry, .retry], "the runtime's restart handler ran before each resume")
    }

    func testHostRetryDrivenManually() throws {
        let entries = Locked(0)
        let h = try Harness("host") { self.hostImports($0, entries: entries) }
        let ctx = h.context
        let first = expectError("call_retry") { try ctx.invoke(h.function("call_retry"), [.i32(4)]) }
        XCTAssertEqual(first?.kind, .restart(.retry))
        XCTAssertEqual(first?.isRestartable, true)
        XCTAssertTrue(ctx.isSuspended)
        XCTAssertEqual(ctx.restartState as? Int, 1)
        let second = expectError("resume") { try ctx.resume() }
        XCTAssertEqual(second?.kind, .restart(.retry))
        XCTAssertEqual(ctx.restartState as? Int, 2)
        XCTAssertEqual(try ctx.resume(), [.i32(403)])
        XCTAssertEqual(entries.get(), 3)
        XCTAssertNil(ctx.restartState)
        XCTAssertFalse(ctx.isSuspended)
    }

    func testHostRetryKeepsTheCallersState() throws {
        // Every call in the loop restarts twice; locals and the loop position survive.
        let entries = Locked(0)
        let h = try Harness("host") { self.hostImports($0, entries: entries) }
        // sum over i < 5 of (100 i + 2)
        XCTAssertEqual(try h.i32("retry_loop", .i32(5)), 1010)
        XCTAssertEqual(entries.get(), 15)
        XCTAssertNil(h.context.restartState)
    }

    func testHostFunctionInvokedDirectlyCanRetry() throws {
        let entries = Locked(0)
        let runtime = Runtime()
        let imports = hostImports(runtime, entries: entries)
        guard case .function(let retry)? = imports.lookup("host", "retry") else { return XCTFail("no host.retry") }
        let ctx = ExecutionContext(runtime: runtime)
        XCTAssertEqual(try ctx.invokeHandlingRestarts(retry, [.i32(7)]), [.i32(702)])
        XCTAssertEqual(entries.get(), 3)
        XCTAssertNil(ctx.restartState)
    }

    func testAbandonClearsRestartState() throws {
        let entries = Locked(0)
        let h = try Harness("host") { self.hostImports($0, entries: entries) }
        _ = expectError("call_retry") { try h.context.invoke(h.function("call_retry"), [.i32(1)]) }
        XCTAssertEqual(h.context.restartState as? Int, 1)
        h.context.abandon()
        XCTAssertNil(h.context.restartState)
        XCTAssertFalse(h.context.isSuspended)
        // A fresh call starts counting from zero again.
        XCTAssertEqual(try h.context.invokeHandlingRestarts(h.function("call_retry"), [.i32(1)]), [.i32(103)])
        XCTAssertEqual(entries.get(), 4)
    }

    /// A host function that calls `invoke` on its own calling context (a callback into
    /// wasm) runs a nested call above the caller's frames; the caller's state survives
    /// (once, a nested invoke reset the stack and the result was 76; ReentrantTests).
    func testReentrantInvokeFromHostFunction() throws {
        let runtime = Runtime()
        let fib = Locked<Function?>(nil)
        let imports = Imports()
        imports.define("host", "retry", .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [.i32])) {
            (call: HostCall) throws(ExecutionError) in
            let p = call.i32(0)
            guard let f = fib.get() else { throw .trap(.host("no fib")) }
            guard case .i32(let v)? = try call.context.invoke(f, [.i32(10)]).first else { throw .trap(.host("bad fib")) }
            call.setI32(0, p &* 1000 &+ v)
        }))
        for name in ["fail", "exit"] {
            imports.define("host", name, .function(runtime.hostFunction(type: FuncType(params: [.i32], results: [])) { _ in }))
        }
        let host = try runtime.instantiate(try Fixture.module("host"), imports: imports)
        let other = try runtime.instantiate(try Fixture.module("restart"))
        fib.mutate { $0 = other.function("fib") }
        let ctx = ExecutionContext(runtime: runtime)
        // retry_loop(3) = sum over i < 3 of (i * 1000 + fib(10))
        let r = try ctx.invoke(XCTUnwrap(host.function("retry_loop")), [.i32(3)])
        XCTAssertEqual(r, [.i32(3165)], "a nested invoke corrupted the outer execution")
    }

    func testTrapInHostFunctionPropagatesWithBacktrace() throws {
        let h = try Harness("host") { self.hostImports($0, entries: Locked(0)) }
        let e = expectError("call_fail") { try h.context.invokeHandlingRestarts(h.function("call_fail"), [.i32(3)]) }
        XCTAssertEqual(e?.kind, .trap(.host("boom 3")))
        XCTAssertEqual(e?.isRestartable, false)
        // Innermost first: the wasm function that called the host, then its caller.
        XCTAssertEqual(e?.backtrace.map(\.name), ["inner_fail", "outer_fail"])
        XCTAssertEqual(e?.backtrace.first?.description.contains("inner_fail"), true)
        XCTAssertFalse(h.context.isSuspended)
        XCTAssertEqual(try h.i32("div", .i32(9), .i32(3)), 3, "the context is reusable")
    }

    func testWasmTrapBacktrace() throws {
        let h = try Harness("host") { self.hostImports($0, entries: Locked(0)) }
        let e = try h.error("calls_div", .i32(1), .i32(0))
        XCTAssertEqual(e?.kind, .trap(.integerDivideByZero))
        XCTAssertEqual(e?.backtrace.map(\.name), ["div", "calls_div"])
        // Function indices count the three imports first.
        XCTAssertEqual(e?.backtrace.map(\.functionIndex), [8, 9])
        XCTAssertEqual(e?.description, "trap: integer divide by zero")
    }

    func testExitFromHostFunctionEndsExecution() throws {
        let h = try Harness("host") { self.hostImports($0, entries: Locked(0)) }
        let ctx = h.context
        let e = expectError("call_exit") { try ctx.invokeHandlingRestarts(h.function("call_exit"), [.i32(3)]) }
        XCTAssertEqual(e?.kind, .exit(3))
        XCTAssertEqual(e?.isRestartable, false)
        XCTAssertFalse(ctx.isSuspended)
        let again = expectError("resume after exit") { try ctx.resume() }
        XCTAssertEqual(again?.isRestartable, false)
        XCTAssertNotEqual(again?.kind, .exit(3))
        // Driven by hand, too: the exit is not a restart.
        let direct = expectError("call_exit") { try ctx.invoke(h.function("call_exit"), [.i32(0)]) }
        XCTAssertEqual(direct?.kind, .exit(0))
        XCTAssertFalse(ctx.isSuspended)
        XCTAssertEqual(try h.i32("div", .i32(8), .i32(2)), 4)
    }
}
