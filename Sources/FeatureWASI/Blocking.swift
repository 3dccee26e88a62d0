#if canImport(Glibc)
import Glibc
#endif
import RewasmCore
import Synchronization

// Interruptible blocking (DESIGN.md §3.2). A blocking WASI call is a loop: try the
// operation without blocking; if it cannot complete, check for interrupts and wait
// in poll() on the descriptors it needs plus a wake pipe, for at most one slice.
// `ExecutionContext.requestInterrupt()` calls the waker, which writes to the wake
// pipe, so the wait ends at once; a blocked call costs no CPU.

/// Wake pipes are reused: one is taken while a call blocks and given back after.
final class WakePipePool: Sendable {
    private let pipes = Locked<[WakePipe]>([])

    func take() -> WakePipe {
        pipes.withLock { $0.popLast() } ?? WakePipe()
    }

    func give(_ p: WakePipe) {
        p.drain()
        pipes.withLock { if $0.count < 16 { $0.append(p) } }
    }
}

/// What a blocking call saves in `ExecutionContext.restartState` when it unwinds, so
/// that its re-execution after `resume()` knows it is one (and keeps its deadlines).
struct WASIRestartState: Sendable {
    /// Which function saved it.
    var function: String
    /// Absolute deadlines (monotonic nanoseconds) of poll_oneoff's clock subscriptions,
    /// by subscription index (nil: not a clock, or already reported).
    var deadlines: [UInt64?] = []
}

/// One attempt of a blocking operation.
enum Attempt<T> {
    case done(T)
    /// Not possible now: wait until one of `fds` is ready or until `deadline`
    /// (monotonic ns; nil: no deadline).
    case wait(fds: [pollfd], deadline: UInt64?)
}

enum Clock {
    static func now(_ id: clockid_t) -> UInt64 {
        var ts = timespec()
        guard clock_gettime(id, &ts) == 0 else { return 0 }
        return UInt64(max(0, ts.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, ts.tv_nsec))
    }

    static var monotonic: UInt64 { now(CLOCK_MONOTONIC) }
}

extension WASI {
    /// The longest single wait; also bounds the interrupt latency in the one case where
    /// no wake-up is possible (an interrupt requested just before a re-executed call
    /// installed its waker).
    static let sliceMilliseconds: UInt64 = 100

    /// Runs `attempt` until it is done. Between attempts: check for interrupts, then
    /// wait (poll) for at most one slice. The order guarantees progress in torture mode
    /// (where every check injects a restart): a re-executed call always waits one
    /// slice and attempts again before it checks, and a first execution checks before
    /// its first wait, so an interrupt requested before the call is seen at once.
    /// On an interrupt, `save()` is stored in `restartState` and the error is thrown.
    func blocking<T>(
        _ call: HostCall, _ function: String,
        save: () -> WASIRestartState? = { nil },
        _ attempt: () throws(WASIError) -> Attempt<T>
    ) throws(WASIError) -> T {
        let context = call.context
        let reexecuted = (context.restartState as? WASIRestartState)?.function == function
        var needCheck = !reexecuted
        var wake: WakePipe?
        defer {
            if let w = wake {
                context.setWaker(nil)
                wakePipes.give(w)
            }
        }
        while true {
            let fds: [pollfd]
            let deadline: UInt64?
            switch try attempt() {
            case .done(let v): return v
            case .wait(let f, let d):
                fds = f
                deadline = d
            }
            if context.parksBlockingCalls {
                // A green thread or an async invocation does not sleep: the scheduler
                // (or the task's executor) runs others meanwhile.
                if let d = deadline, d <= Clock.monotonic { continue }
                context.restartState = save() ?? WASIRestartState(function: function)
                context.park = Park(fds: fds, deadline: deadline)
                throw .execution(.restart(.park))
            }
            if wake == nil {
                let w = wakePipes.take()
                wake = w
                context.setWaker { w.wake() }
            }
            if needCheck, let e = context.checkInterrupt() {
                context.restartState = save() ?? WASIRestartState(function: function)
                throw .execution(e)
            }
            needCheck = true
            var timeout = WASI.sliceMilliseconds
            if let deadline {
                let now = Clock.monotonic
                if deadline <= now { continue }
                // Round up, so that the deadline has passed when poll returns.
                let remaining = deadline - now
                timeout = min(timeout, remaining / 1_000_000 + (remaining % 1_000_000 == 0 ? 0 : 1))
            }
            var set = fds
            if let w = wake { set.append(w.pollEntry) }
            _ = set.withUnsafeMutableBufferPointer { p in
                poll(p.baseAddress, nfds_t(p.count), Int32(timeout))
            }
            if let w = wake, let last = set.last, last.fd == w.readFd, last.revents != 0 { w.drain() }
        }
    }

    /// True if `fd` is ready for `events` (or has hung up / failed) right now.
    static func isReady(_ fd: Int32, _ events: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(events), revents: 0)
        let r = poll(&p, 1, 0)
        return r > 0 && p.revents != 0
    }
}
