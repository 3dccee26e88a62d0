// Parking (DESIGN.md §3.3): a blocking operation of a context that parks (a green
// thread of the user scheduler, or an async invocation) does not sleep the host
// thread. It saves its restart state like an interrupted operation, describes what
// it waits for in `ExecutionContext.park`, and unwinds with `restart(.park)`; the
// scheduler (or the async driver) runs other work and resumes it once the condition
// may hold, re-executing the operation.

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
    /// Registers a function that a notify calls (at once if it already happened), for
    /// waiters that sleep instead of polling `notified` (memory.atomic.wait).
    public var onNotify: (@Sendable (@escaping @Sendable () -> Void) -> Void)?

    /// A condition to wait for: any descriptor ready, the deadline, or a notify.
    public init(
        fds: [pollfd] = [], deadline: UInt64? = nil, notified: (@Sendable () -> Bool)? = nil,
        onNotify: (@Sendable (@escaping @Sendable () -> Void) -> Void)? = nil
    ) {
        self.fds = fds
        self.deadline = deadline
        self.notified = notified
        self.onNotify = onNotify
    }
}
