// Stop-the-world growth of shared memories (DESIGN.md §3.3, trait SharedMemRealloc).
//
// A shared memory is mapped at its current size; a memory.grow that must move it
// asks every other running context to stop: each sees `restart(.suspend)` at its
// next interrupt check (blocked ones are woken through their waker at once),
// unwinds, and waits in `enter` until the memory has moved; then all resume,
// re-executing the interrupted instruction or host call with its saved state.
// The cost of a grow is the time the other threads need to reach a check, not the
// length of anything they wait for.

import RewasmCore
import Synchronization

#if SharedMemRealloc
/// The world stopper of one runtime: every context of the runtime takes part.
public final class WorldStop: WorldStopper, InterruptSource, Sendable {
    private struct State {
        var running: [ObjectIdentifier: ExecutionContext] = [:]
        var stopper: ObjectIdentifier?
        var stops = 0
        var stopped: Duration = .zero
    }
    private let state = Locked(State())
    /// The fast path of `check`.
    private let stopping = Atomic<Bool>(false)

    /// A stopper not yet attached to a runtime: set it as `runtime.worldStopper` and add
    /// it as an interrupt source, or use `install(on:)`, which does both.
    public init() {}

    /// Creates a stopper and makes it `runtime`'s (set it up before anything runs).
    @discardableResult
    public static func install(on runtime: Runtime) -> WorldStop {
        let w = WorldStop()
        runtime.worldStopper = w
        runtime.addInterruptSource(w)
        return w
    }

    /// How many times the world was stopped.
    public var stopCount: Int { state.withLock { $0.stops } }

    /// Total time from the requests to stop the world to the ends of the moves: what
    /// the growing threads waited, plus the moves themselves (`rewasm --stats`).
    public var timeStopped: Duration { state.withLock { $0.stopped } }

    public func enter(_ context: ExecutionContext) {
        let id = ObjectIdentifier(context)
        state.withLock(when: { $0.stopper == nil || $0.stopper == id }) { $0.running[id] = context }
    }

    public func leave(_ context: ExecutionContext) {
        _ = state.withLock { $0.running.removeValue(forKey: ObjectIdentifier(context)) }
        state.broadcast()
    }

    public func check(_ context: ExecutionContext) -> ExecutionError? {
        guard stopping.load(ordering: .acquiring) else { return nil }
        guard let s = state.withLock({ $0.stopper }), s != ObjectIdentifier(context) else { return nil }
        return .restart(.suspend)
    }

    public func stopTheWorld(_ context: ExecutionContext, _ body: () -> Void) -> ExecutionError? {
        let id = ObjectIdentifier(context)
        let started = ContinuousClock.now
        let others = state.withLock { s -> [ExecutionContext]? in
            // Another thread is stopping the world: stop with the others, retry after.
            if let other = s.stopper, other != id { return nil }
            s.stopper = id
            stopping.store(true, ordering: .releasing)
            return s.running.filter { $0.key != id }.map(\.value)
        }
        guard let others else { return .restart(.suspend) }
        for c in others { c.wakeBlockedOperation() }

        state.withLock(when: { !$0.running.keys.contains { $0 != id } }) { s in
            body()
            s.stops += 1
            s.stopped += started.duration(to: .now)
            s.stopper = nil
            stopping.store(false, ordering: .releasing)
        }
        state.broadcast()
        return nil
    }
}
#endif
