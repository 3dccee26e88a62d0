#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex, with a condition variable for waiting until
/// the value satisfies a predicate.
///
/// rewasm uses this rather than Synchronization's `Mutex`: ThreadSanitizer intercepts
/// pthread locks, but on Linux it does not see the synchronisation inside the
/// (uninstrumented) standard library's `Mutex`, and reports every access under it as
/// a race. With `Locked`, `swift test --sanitize=thread` reports only real races.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var value: Value

    /// Guards `value`. Deadlines of `withLock(when:deadline:_:)` are CLOCK_MONOTONIC ns.
    public init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        #if canImport(Glibc)
        // Deadlines are CLOCK_MONOTONIC nanoseconds.
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Waits until `ready(value)` holds (or the monotonic `deadline`, in ns, passes),
    /// then runs `body` with exclusive access, as one step. Wakes on `broadcast()`.
    public func withLock<R>(
        when ready: (Value) -> Bool, deadline: UInt64? = nil, _ body: (inout Value) -> R
    ) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !ready(value) {
            guard let deadline else {
                pthread_cond_wait(cond, mutex)
                continue
            }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            if UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec) >= deadline { break }
            var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            pthread_cond_timedwait(cond, mutex, &ts)
        }
        return body(&value)
    }

    /// Wakes every `withLock(when:)` waiter to test its predicate again.
    public func broadcast() {
        pthread_cond_broadcast(cond)
    }
}
