// Atomic waits under the async `invoke`: a waiting guest suspends its task (the
// Reactor), so more waiters than the pool has threads do not stop the others.

#if Threads
import RewasmCore
import Foundation
import XCTest

final class AsyncAtomicsTests: XCTestCase {
    private func setup() throws -> (Runtime, Instance) {
        let runtime = makeRuntime()
        return (runtime, try runtime.instantiate(try Fixture.module("atomics")))
    }

    private func export(_ i: Instance, _ name: String) throws -> Function {
        guard let f = i.function(name) else { throw XCTSkip("no export \(name)") }
        return f
    }

    /// Eight guests wait forever (more than the pool's threads); two others play
    /// ping-pong through wait/notify to the end; then a notify wakes every waiter.
    func testWaitersDoNotHoldPoolThreads() async throws {
        let (runtime, inst) = try setup()
        let wait = try export(inst, "wait32"), notify = try export(inst, "notify"), turns = try export(inst, "turns")
        let load = try export(inst, "load32")
        let waiters = 8
        try await withThrowingTaskGroup(of: [Value].self) { group in
            for _ in 0..<waiters {
                group.addTask {
                    try await ExecutionContext(runtime: runtime).invoke(wait, [.i32(400), .i32(0), .i64(UInt64(bitPattern: -1))])
                }
            }
            for first in 0..<2 {
                group.addTask {
                    try await ExecutionContext(runtime: runtime).invoke(turns, [.i32(UInt32(first)), .i32(200)])
                }
            }
            // The ping-pong finishes while the waiters wait.
            let context = ExecutionContext(runtime: runtime)
            let deadline = Date().addingTimeInterval(60)
            while try await context.invoke(load, [.i32(64)]) != [.i32(400)], Date() < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let final = try await context.invoke(load, [.i32(64)])
            XCTAssertEqual(final, [.i32(400)])
            // Wake every waiter (notify returns how many it woke; some may not be listed yet).
            var woken = 0
            while woken < waiters, Date() < deadline {
                guard case .i32(let n)? = try await context.invoke(notify, [.i32(400), .i32(UInt32(waiters))]).first else { break }
                woken += Int(n)
                if woken < waiters { try await Task.sleep(for: .milliseconds(2)) }
            }
            XCTAssertEqual(woken, waiters)
            var results: [[Value]] = []
            for try await r in group { results.append(r) }
            XCTAssertEqual(results.filter { $0 == [.i32(0)] }.count, waiters)
        }
    }

    /// A timed wait keeps its deadline while the task is suspended; cancelling a waiting
    /// task stops it at once and unlists its waiter.
    func testTimedWaitAndCancellation() async throws {
        let (runtime, inst) = try setup()
        let wait = try export(inst, "wait32"), notify = try export(inst, "notify")
        let t0 = nowMs()
        let timedOut = try await ExecutionContext(runtime: runtime).invoke(wait, [.i32(500), .i32(0), .i64(100_000_000)])
        XCTAssertEqual(timedOut, [.i32(2)])
        XCTAssertGreaterThanOrEqual(nowMs() - t0, 99)

        let task = Task { () async throws -> [Value] in
            try await ExecutionContext(runtime: runtime).invoke(wait, [.i32(504), .i32(0), .i64(UInt64(bitPattern: -1))])
        }
        try await Task.sleep(for: .milliseconds(50))
        let t1 = nowMs()
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("the wait returned")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertLessThan(nowMs() - t1, 50)
        // The cancelled waiter is no longer listed: a notify finds nobody.
        let n = try await ExecutionContext(runtime: runtime).invoke(notify, [.i32(504), .i32(1)])
        XCTAssertEqual(n, [.i32(0)])
    }
}
#endif
