// The embedder's hook on resources (like wasmtime's `ResourceLimiter`): consulted
// before a runtime creates an instance, grows or creates a memory or table, or spawns
// a thread, it can account for them per runtime and refuse. The fixed caps of
// `ResourceLimits` apply as well; the limiter only narrows them.

/// Decides whether a runtime may take more resources. Set `Runtime.limiter` before
/// anything runs. Methods are called on the thread that needs the resource, possibly
/// on several threads at once. Every method has a default that allows.
public protocol ResourceLimiter: AnyObject, Sendable {
    /// A linear memory grows from `current` to `desired` bytes, with `maximum` the most
    /// it can reach (its declared maximum within `ResourceLimits.maxMemoryBytes`).
    /// Instantiation asks for each memory the module defines, from 0 to its minimum.
    /// False refuses: `memory.grow` returns -1, instantiation fails (`.resource`).
    func memoryGrowing(current: Int, desired: Int, maximum: Int?) -> Bool
    /// A table grows from `current` to `desired` elements (from 0 at instantiation).
    /// False refuses: `table.grow` returns -1, instantiation fails.
    func tableGrowing(current: Int, desired: Int, maximum: Int?) -> Bool
    /// `module` is about to be instantiated. False: `instantiate` throws `.resource`.
    func instantiating(_ module: Module) -> Bool
    /// A wasi-threads `thread-spawn` wants a new thread. False: it returns -6 (EAGAIN).
    func threadSpawning() -> Bool
}

extension ResourceLimiter {
    /// Allows.
    public func memoryGrowing(current: Int, desired: Int, maximum: Int?) -> Bool { true }
    /// Allows.
    public func tableGrowing(current: Int, desired: Int, maximum: Int?) -> Bool { true }
    /// Allows.
    public func instantiating(_ module: Module) -> Bool { true }
    /// Allows.
    public func threadSpawning() -> Bool { true }
}
