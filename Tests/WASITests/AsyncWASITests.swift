import RewasmCore
import RewasmWASI
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// WASI blocking calls under the async `invoke`: a guest blocked in `fd_read` suspends
/// its task instead of holding a thread of the cooperative pool.
final class AsyncWASITests: XCTestCase {
    /// Runs `guest`'s `_start` with the async invoke; its exit status.
    private static func run(_ guest: Guest) async throws -> Int32 {
        do {
            _ = try await guest.context.invoke(guest.start, [])
            return 0
        } catch let e as ExecutionError {
            guard case .exit(let status) = e.kind else { throw e }
            return status
        }
    }

    /// Four guests blocked in `fd_read` on empty pipes (more than the pool's threads on
    /// two cores) do not keep a fifth guest from running to its end; fed, they finish.
    func testGuestsBlockedInFdReadDoNotStopOthers() async throws {
        let pipes = (0..<4).map { _ in Pipe() }
        let readers = try pipes.map { try Guest("cat", stdin: $0.readFd) }
        let other = try Guest("args", args: ["one", "two"])
        let otherDone = Locked(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for r in readers {
                group.addTask {
                    let status = try await Self.run(r)
                    XCTAssertEqual(status, 0)
                }
            }
            group.addTask {
                let status = try await Self.run(other)
                XCTAssertEqual(status, 0)
                otherDone.withLock { $0 = true }
            }
            // The other guest finishes while the readers are blocked.
            let deadline = Date().addingTimeInterval(30)
            while !otherDone.withLock({ $0 }), Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            XCTAssertTrue(otherDone.withLock { $0 }, "a guest blocked in fd_read held a pool thread")
            for (i, p) in pipes.enumerated() {
                p.write("pipe \(i)")
                p.closeWrite()
            }
            try await group.waitForAll()
        }
        XCTAssertTrue(other.stdout.finish().contains("two"))
        for (i, r) in readers.enumerated() {
            XCTAssertEqual(r.stdout.finish(), "pipe \(i)total 6\n")
            pipes[i].closeRead()
        }
    }

    /// Cancelling the task of a guest parked in `fd_read` stops it at once.
    func testCancellingAParkedGuest() async throws {
        let input = Pipe()
        let guest = try Guest("cat", stdin: input.readFd)
        let task = Task { () async throws -> Int32 in
            let status = try await AsyncWASITests.run(guest)
            return status
        }
        try await Task.sleep(for: .milliseconds(50))
        let start = Date()
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("cat returned")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        let ms = Date().timeIntervalSince(start) * 1000
        XCTAssertLessThan(ms, 50, "stopped \(ms) ms after cancellation")
        XCTAssertFalse(guest.context.isSuspended)
        input.closeWrite()
        input.closeRead()
    }

    /// A `poll_oneoff` sleep suspends the task and keeps its deadline (clocks.c sleeps).
    func testSleepingGuestKeepsItsDeadline() async throws {
        let guest = try Guest("sleep", args: ["30"])
        let start = Date()
        let status = try await Self.run(guest)
        XCTAssertEqual(status, 0)
        let ms = Date().timeIntervalSince(start) * 1000
        XCTAssertGreaterThanOrEqual(ms, 30)
        XCTAssertLessThan(ms, 5000)
    }
}
