// A blocking host function written the way rewasm's own blocking calls (WASI's
// poll_oneoff, fd_read, memory.atomic.wait) are: interruptible, restartable with its
// deadline kept, and parking instead of blocking a thread under the async invoke.
// The examples interrupt and async use it; docs/EMBEDDING.md explains the protocol.

import RewasmCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CLOCK_MONOTONIC in nanoseconds: the clock of `Park.deadline`.
public func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// What `sleep` saves in `restartState` when it stops before its deadline.
struct SleepState: Sendable {
    let deadline: UInt64
}

/// The host function `sleep(ms: i32)`: returns `ms` milliseconds after it was first
/// called, however often it is interrupted and resumed in between.
public func sleepFunction(_ runtime: Runtime) -> Function {
    runtime.hostFunction(type: FuncType(params: [.i32], results: [])) { (call: HostCall) throws(ExecutionError) in
        let context = call.context
        // A re-execution after resume() finds the deadline of the first execution (the
        // interpreter clears restartState when a host call completes).
        let deadline = (context.restartState as? SleepState)?.deadline
            ?? monotonicNanoseconds() &+ UInt64(call.i32(0)) &* 1_000_000
        while true {
            let now = monotonicNanoseconds()
            if now >= deadline { return }
            if context.parksBlockingCalls {
                // Under the async invoke (or a green thread): do not hold the thread.
                // Say what to wait for, save the state, and unwind; the call runs again
                // once the deadline has passed (or an interrupt or cancellation comes).
                context.restartState = SleepState(deadline: deadline)
                context.park = Park(deadline: deadline)
                throw .restart(.park)
            }
            // Sleep a short slice, then ask whether the context must stop: on an
            // interrupt (or a restart) save the state and throw; resume() re-executes
            // this call. (Sleeping first guarantees progress even if every check
            // injects a restart; `context.setWaker` would let an interrupt cut the
            // slice short.)
            usleep(UInt32(min(deadline - now, 10_000_000) / 1000))
            if let error = context.checkInterrupt() {
                context.restartState = SleepState(deadline: deadline)
                throw error
            }
        }
    }
}
