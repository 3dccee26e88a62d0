// The one error type of execution (DESIGN.md §3): traps and exits end an
// execution; restarts and user interrupts suspend it, and `resume()` continues.

/// A WebAssembly trap (spec §4.4.1), named like the reference interpreter's messages.
public enum Trap: Error, Equatable, Sendable, CustomStringConvertible {
    /// "unreachable": the `unreachable` instruction ran.
    case unreachable
    /// "out of bounds memory access": a load, store or bulk memory operation (or an
    /// active data segment) reached past the memory's current size.
    case memoryOutOfBounds
    /// "out of bounds table access": a table instruction (or an active element
    /// segment) reached past the table's current size.
    case tableOutOfBounds
    /// "integer divide by zero": `div` or `rem` with a zero divisor.
    case integerDivideByZero
    /// "integer overflow": signed `div` of the minimum by -1, or a `trunc` of a float
    /// outside the integer's range.
    case integerOverflow
    /// "invalid conversion to integer": a non-saturating `trunc` of NaN.
    case invalidConversionToInteger
    /// "indirect call type mismatch": `call_indirect` found a function of another type.
    case indirectCallTypeMismatch
    /// "undefined element": `call_indirect` with an index past the table's size.
    case undefinedElement
    /// "uninitialized element": `call_indirect` found a null entry.
    case uninitializedElement
    /// "call stack exhausted": the frame or value-stack limit (`ResourceLimits`) was hit.
    case callStackExhausted
    /// "null function reference": a call through a null function reference (typed
    /// function references); nothing in rewasm raises it yet.
    case nullFunctionReference
    /// `throw_ref` of a null exnref.
    case nullExceptionReference
    /// An exnref whose exception object was reclaimed (shared across threads without a root).
    case staleExceptionReference
    /// An atomic access whose effective address is not a multiple of its size.
    case unalignedAtomic
    /// memory.atomic.wait on a memory that is not shared.
    case expectedSharedMemory
    /// Wrong number or types of arguments passed by the embedder.
    case invalidArguments(String)
    /// A host function failed.
    case host(String)

    public var description: String {
        switch self {
        case .unreachable: "unreachable"
        case .memoryOutOfBounds: "out of bounds memory access"
        case .tableOutOfBounds: "out of bounds table access"
        case .integerDivideByZero: "integer divide by zero"
        case .integerOverflow: "integer overflow"
        case .invalidConversionToInteger: "invalid conversion to integer"
        case .indirectCallTypeMismatch: "indirect call type mismatch"
        case .undefinedElement: "undefined element"
        case .uninitializedElement: "uninitialized element"
        case .callStackExhausted: "call stack exhausted"
        case .nullFunctionReference: "null function reference"
        case .nullExceptionReference: "null exception reference"
        case .staleExceptionReference: "stale exception reference"
        case .unalignedAtomic: "unaligned atomic"
        case .expectedSharedMemory: "expected shared memory"
        case .invalidArguments(let m): "invalid arguments: \(m)"
        case .host(let m): m
        }
    }
}

/// Why a restartable execution was suspended.
public enum RestartReason: Equatable, Sendable, CustomStringConvertible {
    /// Injected by torture mode to exercise unwind and resume.
    case torture
    /// Park until a stop-the-world operation (shared memory growth) is done.
    case suspend
    /// The user scheduler's time slice expired.
    case preempt
    /// A host function or blocking instruction asked to be re-executed.
    case retry
    /// A green thread cannot continue until something happens (`ExecutionContext.park`).
    case park

    public var description: String {
        switch self {
        case .torture: "torture"
        case .suspend: "suspend"
        case .preempt: "preempt"
        case .retry: "retry"
        case .park: "park"
        }
    }
}

/// One wasm frame of a backtrace, innermost first.
public struct BacktraceFrame: Sendable, CustomStringConvertible {
    /// Function index in its module.
    public var functionIndex: UInt32
    /// From the module's name section, if it has one.
    public var name: String?

    public var description: String {
        if let name { return "\(name) (func \(functionIndex))" }
        return "func \(functionIndex)"
    }
}

/// The error of an execution. `isRestartable` errors leave the context suspended
/// at an instruction boundary; `ExecutionContext.resume()` continues it.
public struct ExecutionError: Error, Sendable, CustomStringConvertible {
    /// What stopped the execution.
    public enum Kind: Sendable, Equatable {
        /// A trap; the execution is over (not restartable).
        case trap(Trap)
        /// Voluntary exit (`proc_exit`, or a sibling's exit or trap ending this thread).
        case exit(Int32)
        /// Suspended at an instruction boundary for the given reason; `resume()` continues.
        case restart(RestartReason)
        /// The embedder's interrupt flag was set.
        case userInterrupt
        /// The context's fuel ran out (`Configuration.fuel`); `addFuel` then `resume()`
        /// continues where it stopped.
        case outOfFuel
        /// A wasm exception that no handler caught (exception handling). A host function
        /// throws one into wasm with `ExecutionError.exception(_:)`.
        case exception(Exception)
    }

    /// What stopped the execution.
    public var kind: Kind
    /// Wasm frames at the point of the error, innermost first (traps only).
    public var backtrace: [BacktraceFrame]

    /// An error of `kind`; the interpreter fills in `backtrace` for traps that have none.
    public init(_ kind: Kind, backtrace: [BacktraceFrame] = []) {
        self.kind = kind
        self.backtrace = backtrace
    }

    /// A trap, without a backtrace.
    public static func trap(_ t: Trap) -> ExecutionError { ExecutionError(.trap(t)) }
    /// An exit with `status` (e.g. WASI `proc_exit`).
    public static func exit(_ status: Int32) -> ExecutionError { ExecutionError(.exit(status)) }
    /// A restart for reason `r`: a host function throws it to be re-executed after `resume()`.
    public static func restart(_ r: RestartReason) -> ExecutionError { ExecutionError(.restart(r)) }
    /// The restartable stop after `ExecutionContext.requestInterrupt()`.
    public static var userInterrupt: ExecutionError { ExecutionError(.userInterrupt) }
    /// The restartable stop when the fuel runs out.
    public static var outOfFuel: ExecutionError { ExecutionError(.outOfFuel) }
    /// Throws the wasm exception `e`; thrown by a host function, wasm handlers can catch it.
    public static func exception(_ e: Exception) -> ExecutionError { ExecutionError(.exception(e)) }

    /// The uncaught wasm exception, if this error is one.
    public var exception: Exception? {
        if case .exception(let e) = kind { return e }
        return nil
    }

    /// True for `restart`, `userInterrupt` and `outOfFuel`: the context is left suspended
    /// and `ExecutionContext.resume()` continues it. Traps, exits and exceptions end it.
    public var isRestartable: Bool {
        switch kind {
        case .restart, .userInterrupt, .outOfFuel: true
        case .trap, .exit, .exception: false
        }
    }

    public var description: String {
        switch kind {
        case .trap(let t): "trap: \(t)"
        case .exit(let s): "exit with status \(s)"
        case .restart(let r): "restart (\(r))"
        case .userInterrupt: "interrupted"
        case .outOfFuel: "all fuel consumed"
        case .exception(let e): "uncaught \(e)"
        }
    }
}
