// Stop-the-world growth of shared memories (DESIGN.md §3.3, trait SharedMemRealloc).
//
// A shared memory is mapped at its current size; a memory.grow that must move it
// asks every other running context to stop: each sees `restart(.suspend)` at its
// next interrupt check (blocked ones are woken through their waker at once),
// unwinds, and waits in `enter` until the memory has moved; then all resume,
// re-executing the interrupted instruction or host call with its saved state.
// The cost of a grow is the time the other threads need to reach a check, not the
// length of anything they wait for.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core
import Synchronization

#if SharedMemRealloc
/// The world stopper of one runtime: every context of the runtime takes part.
public final class WorldStop: WorldStopper, InterruptSource, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var running: [ObjectIdentifier: ExecutionContext] = [:]
    private var stopper: ObjectIdentifier?
    private var stops = 0
    /// The fast path of `check`.
    private let stopping = Atomic<Bool>(false)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    /// Creates a stopper and makes it `runtime`'s (set it up before anything runs).
    @discardableResult
    public static func install(on runtime: Runtime) -> WorldStop {
        let w = WorldStop()
        runtime.worldStopper = w
        runtime.addInterruptSource(w)
        return w
    }

    /// How many times the world was stopped.
    public var stopCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return stops
    }

    public func enter(_ context: ExecutionContext) {
        let id = ObjectIdentifier(context)
        pthread_mutex_lock(mutex)
        while let s = stopper, s != id { pthread_cond_wait(cond, mutex) }
        running[id] = context
        pthread_mutex_unlock(mutex)
    }

    public func leave(_ context: ExecutionContext) {
        pthread_mutex_lock(mutex)
        running.removeValue(forKey: ObjectIdentifier(context))
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
    }

    public func check(_ context: ExecutionContext) -> ExecutionError? {
        guard stopping.load(ordering: .acquiring) else { return nil }
        pthread_mutex_lock(mutex)
        let s = stopper
        pthread_mutex_unlock(mutex)
        guard let s, s != ObjectIdentifier(context) else { return nil }
        return .restart(.suspend)
    }

    public func stopTheWorld(_ context: ExecutionContext, _ body: () -> Void) -> ExecutionError? {
        let id = ObjectIdentifier(context)
        pthread_mutex_lock(mutex)
        if let s = stopper, s != id {
            // Another thread is stopping the world: stop with the others, retry after.
            pthread_mutex_unlock(mutex)
            return .restart(.suspend)
        }
        stopper = id
        stopping.store(true, ordering: .releasing)
        let others = running.filter { $0.key != id }.map(\.value)
        pthread_mutex_unlock(mutex)
        for c in others { c.wakeBlockedOperation() }

        pthread_mutex_lock(mutex)
        while running.keys.contains(where: { $0 != id }) { pthread_cond_wait(cond, mutex) }
        body()
        stops += 1
        stopper = nil
        stopping.store(false, ordering: .releasing)
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
        return nil
    }
}
#endif
