// Stop-the-world for moving a shared memory (DESIGN.md §3.3, trait SharedMemRealloc).
// Core calls the stopper around every run of an ExecutionContext and when a
// memory.grow must move a shared memory; FeatureSharedMemRealloc implements it.

#if SharedMemRealloc
/// Coordinates the threads (contexts) of one runtime so that a shared memory can move.
public protocol WorldStopper: AnyObject, Sendable {
    /// `context` is about to run wasm or host code. Waits while the world is stopped.
    func enter(_ context: ExecutionContext)
    /// `context` stopped running (returned, or unwound with an error).
    func leave(_ context: ExecutionContext)
    /// Runs `body` once no context other than `context` runs: each unwinds with
    /// `restart(.suspend)` at its next interrupt check (blocked ones are woken) and
    /// waits in `enter` until `body` is done. Returns nil, or the error with which
    /// `context` must unwind first (another thread is stopping the world); the
    /// instruction is then re-executed on resume.
    func stopTheWorld(_ context: ExecutionContext, _ body: () -> Void) -> ExecutionError?
}
#endif
