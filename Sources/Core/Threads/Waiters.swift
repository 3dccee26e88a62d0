// memory.atomic.wait / notify (threads proposal, "Wait and Notify operators").
//
// Every waiting thread parks on its own condition variable (monotonic clock) and
// is listed under the host address it waits on. `notify` wakes the first `count`
// waiters of an address in FIFO order. A wait sleeps in slices and calls
// checkInterrupt between them (DESIGN.md §3.2); `ExecutionContext.requestInterrupt`
// and feature sources (e.g. cluster termination) wake it at once through the
// context's waker, so a blocked thread uses no CPU and reacts immediately.

#if Threads
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One parked thread.
final class Parker: Sendable {
    private struct State {
        var notified = false
        var poked = false
        var hook: (@Sendable () -> Void)?
    }
    private let state = Locked(State())

    /// A notify chose this waiter.
    func notify() {
        let hook = state.withLock { s -> (@Sendable () -> Void)? in
            s.notified = true
            return s.hook
        }
        state.broadcast()
        hook?()
    }

    /// Calls `hook` when a notify chooses this waiter, or now if one already has.
    func onNotify(_ hook: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            s.hook = hook
            return s.notified
        }
        if now { hook() }
    }

    /// Ends the current sleep early (an interrupt request wants a check).
    func poke() {
        state.withLock { $0.poked = true }
        state.broadcast()
    }

    /// True once a notify chose this waiter.
    var isNotified: Bool { state.withLock { $0.notified } }

    /// Sleeps until notified, poked, or the monotonic time `until` (ns). Returns true if notified.
    func park(until: UInt64) -> Bool {
        state.withLock(when: { $0.notified || $0.poked }, deadline: until) { s in
            s.poked = false
            return s.notified
        }
    }
}


/// Where a thread waits: the memory and the offset in it. Not the host address: a
/// shared memory may move (SharedMemRealloc) while green threads wait, listed.
struct WaitKey: Hashable {
    var memory: UInt
    var offset: UInt64
}

/// The waiter lists of all shared memories.
enum Waiters {
    private static let lists = Locked<[WaitKey: [Parker]]>([:])

    /// Longest sleep between two interrupt checks; interrupts wake earlier.
    static let slice: UInt64 = 100_000_000

    /// Lists `parker` under `address` if `matches()` holds; the test and the
    /// insertion are atomic with respect to `notify`.
    static func enqueue(_ address: WaitKey, _ parker: Parker, if matches: () -> Bool) -> Bool {
        lists.withLock { t in
            guard matches() else { return false }
            t[address, default: []].append(parker)
            return true
        }
    }

    /// Unlists `parker`; false if it is no longer listed (a notify took it).
    static func remove(_ address: WaitKey, _ parker: Parker) -> Bool {
        lists.withLock { t in
            guard var list = t[address], let i = list.firstIndex(where: { $0 === parker }) else { return false }
            list.remove(at: i)
            t[address] = list.isEmpty ? nil : list
            return true
        }
    }

    /// Wakes up to `count` waiters of `address`; returns how many.
    static func notify(_ address: WaitKey, count: UInt32) -> UInt32 {
        lists.withLock { t in
            guard var list = t[address], count > 0 else { return 0 }
            let n = Int(min(UInt64(count), UInt64(list.count)))
            for p in list[..<n] { p.notify() }
            list.removeFirst(n)
            t[address] = list.isEmpty ? nil : list
            return UInt32(n)
        }
    }
}

/// What an interrupted wait keeps in `ExecutionContext.restartState`: its re-execution
/// continues toward the same absolute deadline instead of starting a fresh timeout,
/// with the same waiter, which stays listed while the thread is unwound so that no
/// notify is missed in between. Dropping the suspended execution unlists it.
struct AtomicWaitRestart: Sendable, DiscardableRestartState {
    /// The wait instruction (its code address), so that another instruction ignores it.
    var pc: UInt
    /// Monotonic ns; nil: no timeout.
    var deadline: UInt64?
    var key: WaitKey
    /// The listed waiter.
    var parker: Parker

    func discard() { _ = Waiters.remove(key, parker) }
}

extension Interpreter {
    /// memory.atomic.wait32/64 on `address` (already checked). Returns 0 (woken),
    /// 1 (not equal), 2 (timed out), or the interrupt that stops the wait.
    static func atomicWait(
        _ ctx: ExecutionContext, pc: Code, key: WaitKey, address: UnsafeMutableRawPointer, expected: UInt64, wide: Bool,
        timeout: Int64
    ) -> Result<UInt32, ExecutionError> {
        let site = UInt(bitPattern: pc)
        let deadline: UInt64?
        let parker: Parker
        if let saved = ctx.restartState as? AtomicWaitRestart, saved.pc == site, saved.key == key {
            // Re-executed after an interrupt: still listed, the value was compared then.
            ctx.restartState = nil
            parker = saved.parker
            deadline = saved.deadline
            if parker.isNotified { return .success(0) }
        } else {
            if timeout >= 0 {
                let (d, overflow) = MonotonicClock.now().addingReportingOverflow(UInt64(timeout))
                deadline = overflow ? nil : d
            } else {
                deadline = nil
            }
            parker = Parker()
            let listed = Waiters.enqueue(key, parker) {
                if wide {
                    return UnsafeMutablePointer<Atomic<UInt64>>(OpaquePointer(address)).pointee.load(ordering: .sequentiallyConsistent) == expected
                }
                return UnsafeMutablePointer<Atomic<UInt32>>(OpaquePointer(address)).pointee.load(ordering: .sequentiallyConsistent)
                    == UInt32(truncatingIfNeeded: expected)
            }
            guard listed else { return .success(1) }
        }
        if ctx.parksBlockingCalls {
            if let d = deadline, MonotonicClock.now() >= d { return .success(Waiters.remove(key, parker) ? 2 : 0) }
            return parkWaiter(ctx, site: site, key: key, parker: parker, deadline: deadline)
        }
        ctx.setWaker { parker.poke() }
        defer { ctx.setWaker(nil) }
        while true {
            let now = MonotonicClock.now()
            if let d = deadline, now >= d {
                return .success(Waiters.remove(key, parker) ? 2 : 0)
            }
            let end = min(deadline ?? .max, now &+ Waiters.slice)
            if parker.park(until: end) { return .success(0) }
            if let e = ctx.checkInterrupt() {
                if e.isRestartable {
                    ctx.restartState = AtomicWaitRestart(pc: site, deadline: deadline, key: key, parker: parker)
                } else {
                    _ = Waiters.remove(key, parker)
                }
                return .failure(e)
            }
        }
    }

    /// Parks a waiting context (green thread, async invocation), leaving it listed so
    /// that a notify finds it.
    static func parkWaiter(
        _ ctx: ExecutionContext, site: UInt, key: WaitKey, parker: Parker, deadline: UInt64?
    ) -> Result<UInt32, ExecutionError> {
        ctx.restartState = AtomicWaitRestart(pc: site, deadline: deadline, key: key, parker: parker)
        ctx.park = Park(deadline: deadline, notified: { parker.isNotified }, onNotify: { parker.onNotify($0) })
        return .failure(.restart(.park))
    }
}
#endif
