// checkInterrupt's sources (DESIGN.md §3.1). Features register sources on the
// runtime; the interpreter asks them at back-edges and calls, amortised by a
// countdown, and blocking operations ask them between short waits.

/// Something that may want a running execution context to stop.
public protocol InterruptSource: AnyObject, Sendable {
    /// The request for `context`, if any: an error to unwind with.
    func check(_ context: ExecutionContext) -> ExecutionError?
}
