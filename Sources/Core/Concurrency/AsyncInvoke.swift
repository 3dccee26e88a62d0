// Swift concurrency (docs/EMBEDDING.md, "Async"): an invocation that runs on the
// calling task in time slices, built on the restart protocol. Between slices the task
// yields; a blocking operation parks instead of sleeping and the task suspends until
// it may continue (Reactor); cancelling the task interrupts the guest at its next
// check (or wakes it where it is parked) and drops the execution.

extension ExecutionContext {
    /// The default time slice of the async `invoke`.
    public static let defaultSlice: Duration = .milliseconds(10)

    /// Calls `function` with `arguments` on the current task: the guest runs in slices of
    /// `slice`, with `await Task.yield()` between them, so many guests share the
    /// cooperative pool; a WASI blocking call or an atomic wait suspends the task instead
    /// of blocking a thread, and resumes with its deadline kept.
    ///
    /// Cancelling the task stops the guest at its next interrupt check (within
    /// microseconds, or at once where it is parked) and throws `CancellationError`; the
    /// execution is dropped. A user interrupt (`requestInterrupt()`) and out-of-fuel are
    /// thrown as `ExecutionError`, leaving the execution suspended for the async
    /// `resume(slice:)`. Restarts are handled here, as `invokeHandlingRestarts` does.
    /// Results are those of the synchronous `invoke`.
    public func invoke(_ function: Function, _ arguments: [Value], slice: Duration = defaultSlice) async throws -> [Value] {
        try await drive(slice, call: (function, arguments))
    }

    /// Continues a suspended execution as the async `invoke` runs one.
    public func resume(slice: Duration) async throws -> [Value] {
        try await drive(slice, call: nil)
    }

    /// Runs `call` (nil: resumes) to its end, slice by slice.
    private func drive(_ slice: Duration, call: (Function, [Value])?) async throws -> [Value] {
        try Task.checkCancellation()
        let (seconds, attoseconds) = slice.components
        let nanoseconds = UInt64(clamping: max(0, seconds)) &* 1_000_000_000 &+ UInt64(clamping: max(0, attoseconds / 1_000_000_000))
        let parked = parksBlockingCalls
        parksBlockingCalls = true
        defer {
            parksBlockingCalls = parked
            sliceEnd = 0
        }
        return try await withTaskCancellationHandler {
            var call = call
            while true {
                sliceEnd = MonotonicClock.now() &+ Swift.max(nanoseconds, 1)
                let error: ExecutionError
                do throws(ExecutionError) {
                    if let (f, args) = call { return try runSync(f, args) }
                    return try resume()
                } catch let e {
                    error = e
                }
                sliceEnd = 0
                call = nil
                switch error.kind {
                case .restart(.park):
                    let p = park ?? Park()
                    park = nil
                    await waitParked(p)
                case .restart(.preempt):
                    await Task.yield()
                case .restart(let reason):
                    prepareResume(after: reason)
                case .userInterrupt where Task.isCancelled:
                    break
                default:
                    throw error
                }
                if Task.isCancelled {
                    abandon()
                    clearInterrupt()
                    throw CancellationError()
                }
                // After a park, ask the interrupt sources, as a blocking call would have
                // between its waits (an interrupt request, a sibling thread's exit).
                if case .restart(.park) = error.kind, let e = checkInterrupt() {
                    switch e.kind {
                    case .restart: break
                    case .userInterrupt, .outOfFuel: throw e
                    case .trap, .exit, .exception:
                        abandon()
                        throw e
                    }
                }
            }
        } onCancel: {
            self.requestInterrupt()
        }
    }

    /// The synchronous `invoke` (named apart: in async code the async one would win).
    private func runSync(_ f: Function, _ args: [Value]) throws(ExecutionError) -> [Value] {
        try invoke(f, args)
    }

    /// Suspends until `park`'s condition may hold, an interrupt is requested, or the task
    /// is cancelled (both wake this context's waker).
    private func waitParked(_ p: Park) async {
        let reactor = Reactor.shared
        await reactor.wait(p) { id in
            p.onNotify? { reactor.complete(id) }
            self.setWaker { reactor.complete(id) }
        }
        setWaker(nil)
    }
}
