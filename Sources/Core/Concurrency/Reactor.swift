// Where parked async invocations wait (Concurrency/AsyncInvoke.swift): one host thread
// per process polls the descriptors and deadlines of every parked execution and
// resumes its task when one may continue. A notify (memory.atomic.wait), an interrupt
// request or a task cancellation completes a wait directly. So a guest blocked in
// `fd_read` on a pipe, `poll_oneoff` or an atomic wait holds no thread of the
// cooperative pool.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class Reactor: @unchecked Sendable {
    static let shared = Reactor()

    private struct Wait {
        var fds: [pollfd]
        var deadline: UInt64?
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var waits: [UInt64: Wait] = [:]
        var nextID: UInt64 = 1
        var started = false
    }

    private let state = Locked(State())
    private let wakePipe = WakePipe()

    private init() {}

    /// Suspends the calling task until `park`'s condition may hold or `complete(id)`;
    /// `wakers` gets the wait's `id` to install the functions that complete it early.
    func wait(_ park: Park, wakers: (UInt64) -> Void) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let (id, startThread) = state.withLock { s -> (UInt64, Bool) in
                let id = s.nextID
                s.nextID &+= 1
                s.waits[id] = Wait(fds: park.fds, deadline: park.deadline, continuation: c)
                defer { s.started = true }
                return (id, !s.started)
            }
            if startThread && !spawnPoller() {
                // No poller: resume at once; the re-executed operation parks again (a
                // busy wait, but no hang).
                complete(id)
                return
            }
            wakers(id)
            wake()
        }
    }

    /// Ends wait `id` (if it is still waiting): its task resumes.
    func complete(_ id: UInt64) {
        let w = state.withLock { $0.waits.removeValue(forKey: id) }
        w?.continuation.resume()
    }

    private func wake() { wakePipe.wake() }

    private func spawnPoller() -> Bool {
        var handle = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let ok = pthread_create(&handle, nil, { raw in
            #if canImport(Glibc)
            guard let raw else { return nil }
            #endif
            Unmanaged<Reactor>.fromOpaque(raw).takeRetainedValue().loop()
            return nil
        }, box) == 0
        if ok {
            pthread_detach(handle)
        } else {
            Unmanaged<Reactor>.fromOpaque(box).release()
            state.withLock { $0.started = false }
        }
        return ok
    }

    /// The poller thread: sleeps in one poll() on every wait's descriptors, the wake
    /// pipe and the earliest deadline, and completes the waits that may continue.
    private func loop() {
        while true {
            var set: [pollfd] = [wakePipe.pollEntry]
            var owners: [UInt64] = [0]
            var earliest: UInt64?
            state.withLock { s in
                for (id, w) in s.waits {
                    for f in w.fds {
                        set.append(pollfd(fd: f.fd, events: f.events, revents: 0))
                        owners.append(id)
                    }
                    if let d = w.deadline { earliest = min(earliest ?? d, d) }
                }
            }
            var timeout: Int32 = -1
            if let e = earliest {
                let now = MonotonicClock.now()
                timeout = e <= now ? 0 : Int32(min((e - now + 999_999) / 1_000_000, UInt64(Int32.max)))
            }
            _ = set.withUnsafeMutableBufferPointer { p in poll(p.baseAddress, nfds_t(p.count), timeout) }
            var ready = Set<UInt64>()
            for (k, p) in set.enumerated() where p.revents != 0 {
                if k == 0 {
                    wakePipe.drain()
                } else {
                    ready.insert(owners[k])
                }
            }
            let now = MonotonicClock.now()
            let due = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                var out: [CheckedContinuation<Void, Never>] = []
                for (id, w) in s.waits where ready.contains(id) || (w.deadline.map { $0 <= now } ?? false) {
                    out.append(w.continuation)
                    s.waits[id] = nil
                }
                return out
            }
            for c in due { c.resume() }
        }
    }
}
