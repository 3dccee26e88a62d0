// Green threads (trait UserSched, DESIGN.md §3.3): a blocking operation of a green
// thread does not sleep the host thread. It saves its restart state like an
// interrupted operation, describes what it waits for in `ExecutionContext.park`,
// and unwinds with `restart(.park)`; the user scheduler runs other threads and
// resumes this one once the condition may hold, re-executing the operation.

#if UserSched
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a parked green thread waits for: any of these makes it runnable again.
public struct Park: @unchecked Sendable {
    /// Descriptors and poll events.
    public var fds: [pollfd]
    /// Monotonic time in nanoseconds (CLOCK_MONOTONIC).
    public var deadline: UInt64?
    /// True once a notify chose the thread (memory.atomic.wait).
    public var notified: (@Sendable () -> Bool)?

    public init(fds: [pollfd] = [], deadline: UInt64? = nil, notified: (@Sendable () -> Bool)? = nil) {
        self.fds = fds
        self.deadline = deadline
        self.notified = notified
    }
}
#endif
