// The one error type of execution (DESIGN.md §3): traps and exits end an
// execution; restarts and user interrupts suspend it, and `resume()` continues.

/// A WebAssembly trap (spec §4.4.1), named like the reference interpreter's messages.
public enum Trap: Error, Equatable, Sendable, CustomStringConvertible {
    case unreachable
    case memoryOutOfBounds
    case tableOutOfBounds
    case integerDivideByZero
    case integerOverflow
    case invalidConversionToInteger
    case indirectCallTypeMismatch
    case undefinedElement
    case uninitializedElement
    case callStackExhausted
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
    public enum Kind: Sendable, Equatable {
        case trap(Trap)
        /// Voluntary exit (`proc_exit`, or a sibling's exit or trap ending this thread).
        case exit(Int32)
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

    public var kind: Kind
    /// Wasm frames at the point of the error, innermost first (traps only).
    public var backtrace: [BacktraceFrame]

    public init(_ kind: Kind, backtrace: [BacktraceFrame] = []) {
        self.kind = kind
        self.backtrace = backtrace
    }

    public static func trap(_ t: Trap) -> ExecutionError { ExecutionError(.trap(t)) }
    public static func exit(_ status: Int32) -> ExecutionError { ExecutionError(.exit(status)) }
    public static func restart(_ r: RestartReason) -> ExecutionError { ExecutionError(.restart(r)) }
    public static var userInterrupt: ExecutionError { ExecutionError(.userInterrupt) }
    public static var outOfFuel: ExecutionError { ExecutionError(.outOfFuel) }
    public static func exception(_ e: Exception) -> ExecutionError { ExecutionError(.exception(e)) }

    /// The uncaught wasm exception, if this error is one.
    public var exception: Exception? {
        if case .exception(let e) = kind { return e }
        return nil
    }

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
