import CInterpreter
import CSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A call frame: where to continue in the caller, and the function it called.
struct CallFrame {
    var returnPC: UnsafePointer<UInt32>
    /// The caller's frame pointer and instance.
    var fp: UnsafeMutablePointer<UInt64>
    var instance: UnsafeMutablePointer<InstanceData>
    /// The function running in this frame, by index in its instance (for backtraces);
    /// its instance is the next frame's caller instance (the `inst` register on top).
    var function: UInt32
}

/// Restart state that holds something to release when its suspended execution is
/// dropped instead of resumed (e.g. a waiter listed in a waiter list).
protocol DiscardableRestartState {
    func discard()
}

/// Counts worth printing (`rewasm --stats`).
public struct Statistics: Sendable {
    /// Calls of wasm functions made by wasm code (tail calls included; not the entry call).
    public var calls: UInt64 = 0
    /// Calls of host functions, from wasm or as the entry function.
    public var hostCalls: UInt64 = 0
    /// Taken branches plus calls, counted through the interrupt countdown.
    public var branchesAndCalls: UInt64 = 0
    /// Calls of `checkInterrupt`, by the interpreter's countdown or by blocking host functions.
    public var interruptChecks: UInt64 = 0
    /// Restarts that `invoke` handled itself and continued, by reason (`RestartReason.description`).
    public var restarts: [String: UInt64] = [:]
    /// `requestInterrupt` requests that stopped the execution with `userInterrupt`.
    public var userInterrupts: UInt64 = 0
    /// Calls into wasm from host functions on the same context (re-entrant calls).
    public var nestedCalls: UInt64 = 0
    /// All counts zero.
    public init() {}
}

/// The state of one wasm thread (DESIGN.md §3): value stack, call frames, program
/// counter and restart information, all outside the Swift stack. An execution
/// that stops with a restartable error can be continued with `resume()`.
public final class ExecutionContext: @unchecked Sendable {
    /// The runtime whose limits, configuration and interrupt sources this context uses.
    public let runtime: Runtime
    let stack: UnsafeMutablePointer<UInt64>
    let stackEnd: UnsafeMutablePointer<UInt64>
    /// Size of the stack's mapping (0: heap-allocated).
    private let stackBytes: Int
    let frames: UnsafeMutablePointer<CallFrame>
    let maxFrames: Int
    let tortureInterval: Int
    /// The interpreter's registers between runs, its limits and counters.
    let state: UnsafeMutablePointer<RWState>

    var entry: UnsafeMutablePointer<FunctionEntity>?
    /// Where the entry function's arguments and results are: the stack's start, or
    /// above the caller's cells for a nested call.
    private var resultBase: UnsafeMutablePointer<UInt64>
    var tortureCount = 0
    /// Why the last run stopped, when a cold path stopped it with an error.
    var pendingError: ExecutionError?
    /// The exnref handle of the exception being caught, from the unwinder to the landing
    /// pad's `catchValues`.
    var caught: UInt64 = 0
    /// The runtime's exception store (a shortcut for the throw and catch paths).
    let exceptions: ExceptionStore
    /// This context's exception allocations since its last collection (ExceptionStore).
    let exceptionPeriod: UnsafeMutablePointer<ExceptionStore.Period> = {
        let p = UnsafeMutablePointer<ExceptionStore.Period>.allocate(capacity: 1)
        p.initialize(to: ExceptionStore.Period())
        return p
    }()

    /// Wasm frames on the call stack (the entry function's included).
    var depth: Int {
        get { state.pointee.saved.cs.assumingMemoryBound(to: CallFrame.self) - frames }
        set { state.pointee.saved.cs = UnsafeMutableRawPointer(frames + newValue) }
    }

    /// The instance of the running (or suspended) wasm function.
    var currentInstance: UnsafeMutablePointer<InstanceData>? {
        depth > 0 ? state.pointee.saved.inst.assumingMemoryBound(to: InstanceData.self) : nil
    }

    /// True while wasm or a host function runs on this context (nested `invoke` is refused).
    public private(set) var isRunning = false

    /// True after a restartable error: `resume()` continues the execution.
    public private(set) var isSuspended = false

    /// Saved state of the interrupted host call or blocking instruction, for its
    /// re-execution after `resume()`. Cleared when that call completes.
    public var restartState: (any Sendable)?

    /// Counters of this context since it was created (wasm call counts are added when a run stops).
    public internal(set) var statistics = Statistics()

    /// Fuel left (`Configuration.fuel`; every new context starts with that much). Read
    /// and change it only while the context is not running, e.g. after `outOfFuel`.
    public var fuel: UInt64 {
        get { state.pointee.fuel }
        set {
            fuelGranted = fuelConsumed &+ newValue
            state.pointee.fuel = newValue
        }
    }

    /// Adds `amount` to the fuel left (saturating), e.g. before `resume()` after `outOfFuel`.
    public func addFuel(_ amount: UInt64) {
        let (sum, overflow) = fuel.addingReportingOverflow(amount)
        fuel = overflow ? .max : sum
    }

    /// Fuel this context has consumed since it was created.
    public var fuelConsumed: UInt64 { fuelGranted &- state.pointee.fuel }
    private var fuelGranted: UInt64 = 0

    /// Set by a user scheduler for the contexts it runs as green threads, and by the
    /// async `invoke` while it runs: blocking operations then park (unwind with
    /// `restart(.park)`) instead of sleeping.
    public var parksBlockingCalls = false
    /// What the last `restart(.park)` waits for; the scheduler takes it.
    public var park: Park?
    /// The end of the current time slice of an async invocation (monotonic ns; 0: none):
    /// an interrupt check after it stops the execution with `restart(.preempt)`.
    var sliceEnd: UInt64 = 0

    private let interruptFlag = Atomic<Bool>(false)

    /// Sources that apply to this context only (in addition to the runtime's).
    private let localSources = Locked<[any InterruptSource]>([])

    /// A context with stacks sized by `runtime.configuration.limits` and the configured
    /// fuel. The value stack is reserved, not committed, so a large limit costs little.
    public init(runtime: Runtime) {
        self.runtime = runtime
        exceptions = runtime.exceptions
        let limits = runtime.configuration.limits
        let cells = Swift.max(limits.maxStackCells, 16)
        // Mapped, not allocated and zeroed: pages are committed only when touched, so a
        // context (one per wasm thread) is cheap however large its stack limit.
        let bytes = cells * MemoryLayout<UInt64>.stride
        if let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0), p != MAP_FAILED {
            stack = p.bindMemory(to: UInt64.self, capacity: cells)
            stackBytes = bytes
        } else {
            stack = .allocate(capacity: cells)
            stack.initialize(repeating: 0, count: cells)
            stackBytes = 0
        }
        stackEnd = stack + cells
        resultBase = stack
        maxFrames = Swift.max(limits.maxFrames, 1)
        frames = .allocate(capacity: maxFrames + 1)
        tortureInterval = runtime.configuration.tortureRestartInterval ?? 0
        state = .allocate(capacity: 1)
        // Torture mode checks at every back-edge and call, so restarts land everywhere.
        let interval = tortureInterval > 0 ? 1 : Swift.max(1, runtime.configuration.interruptCheckInterval)
        let regs = RWRegs(
            pc: Interpreter.exitTrampoline, fp: stack, md: Memory.emptyBase.assumingMemoryBound(to: UInt8.self), ms: 0,
            cd: interval, cs: UnsafeMutableRawPointer(frames), inst: Interpreter.noInstance, st: state)
        fuelGranted = runtime.configuration.fuel ?? 0
        state.initialize(to: RWState(
            saved: regs, stackEnd: stackEnd, csEnd: UnsafeRawPointer(frames + maxFrames), interval: interval,
            periods: 0, calls: 0, fuel: runtime.configuration.fuel ?? 0, stop: Handlers.stop, check: Handlers.address(.check),
            hostCall: Handlers.address(.hostCall),
            hostCallee: nil, hostArgs: nil, hostReturn: nil, trap: 0,
            context: Unmanaged.passUnretained(self).toOpaque()))
    }

    deinit {
        (restartState as? DiscardableRestartState)?.discard()
        if stackBytes > 0 { munmap(stack, stackBytes) } else { stack.deallocate() }
        frames.deallocate()
        state.deallocate()
        exceptionPeriod.deallocate()
    }

    /// Asks the context to stop with `userInterrupt` at its next check. Safe from any thread.
    public func requestInterrupt() {
        interruptFlag.store(true, ordering: .releasing)
        wakeBlockedOperation()
    }

    /// Adds a source that `checkInterrupt` asks for this context only, after the
    /// runtime's sources. Safe from any thread; there is no removal.
    public func addInterruptSource(_ source: any InterruptSource) {
        localSources.withLock { $0.append(source) }
    }

    /// Hook for blocking operations to wake early on an interrupt request. A wake
    /// that arrives while no operation is blocked is remembered (`pending`), so one
    /// that is just about to block does not miss it and sleep a whole slice.
    private struct Waker {
        var wake: (@Sendable () -> Void)?
        var pending = false
    }
    private let waker = Locked(Waker())

    /// Installs the function that wakes the operation this context is blocked in
    /// (nil when it is not blocked). `requestInterrupt` and `wakeBlockedOperation` call it.
    public func setWaker(_ wake: (@Sendable () -> Void)?) {
        let missed = waker.withLock { w -> Bool in
            w.wake = wake
            guard wake != nil, w.pending else { return false }
            w.pending = false
            return true
        }
        // A wake or interrupt requested just before the waker was installed wakes it now.
        if let wake, missed || interruptFlag.load(ordering: .acquiring) { wake() }
    }

    /// Drops an interrupt request not yet reported (a cancelled async invocation's).
    func clearInterrupt() {
        interruptFlag.store(false, ordering: .releasing)
    }

    /// True if an interrupt has been requested and not yet reported by `checkInterrupt`.
    public var isInterruptPending: Bool { interruptFlag.load(ordering: .acquiring) }

    /// Wakes whatever this context is blocked in, so that it checks for interrupts now.
    /// Interrupt sources call it (from any thread) after raising a request.
    public func wakeBlockedOperation() {
        let w = waker.withLock { w -> (@Sendable () -> Void)? in
            if w.wake == nil { w.pending = true }
            return w.wake
        }
        w?()
    }

    /// Asks every interrupt source whether this context must stop (DESIGN.md §3.1).
    /// Blocking host functions call it between short waits.
    public func checkInterrupt() -> ExecutionError? {
        statistics.interruptChecks &+= 1
        if interruptFlag.load(ordering: .acquiring), interruptFlag.exchange(false, ordering: .acquiringAndReleasing) {
            statistics.userInterrupts &+= 1
            return .userInterrupt
        }
        for s in runtime.interruptSources {
            if let e = s.check(self) { return e }
        }
        let local = localSources.withLock { $0 }
        for s in local {
            if let e = s.check(self) { return e }
        }
        if sliceEnd != 0, MonotonicClock.now() >= sliceEnd {
            sliceEnd = 0
            return .restart(.preempt)
        }
        // Last, so that injected restarts never hide a real request.
        if tortureInterval > 0 {
            tortureCount += 1
            if tortureCount >= tortureInterval {
                tortureCount = 0
                return .restart(.torture)
            }
        }
        return nil
    }

    /// Calls `function` with `arguments`. Throws a trap, an exit, or a restartable
    /// error after which `resume()` continues. Abandons any suspended execution.
    ///
    /// From a host function running on this context (a callback into wasm), the call is
    /// nested: it runs above the caller's frames on the same stacks, restarts inside it
    /// are handled in place (a Swift frame cannot be unwound and resumed), and any other
    /// error (trap, exit, exception, user interrupt, out-of-fuel) ends the nested call
    /// and is thrown to the host function, the caller's execution intact. Blocking
    /// calls inside it sleep instead of parking. See docs/EMBEDDING.md ("Re-entrant calls").
    public func invoke(_ function: Function, _ arguments: [Value]) throws(ExecutionError) -> [Value] {
        if isRunning { return try invokeNested(function, arguments) }
        abandon()
        return try start(function, arguments, base: stack)
    }

    /// Starts `function` with its arguments and frame at `base`, its entry frame at the
    /// current depth (0, or above the frames of a nested call's caller).
    private func start(_ function: Function, _ arguments: [Value], base: UnsafeMutablePointer<UInt64>) throws(ExecutionError) -> [Value] {
        let entity = function.entity
        let type = entity.pointee.type.takeUnretainedValue().type
        guard arguments.count == type.params.count else {
            throw .trap(.invalidArguments("expected \(type.params.count) arguments, got \(arguments.count)"))
        }
        guard max(entity.pointee.paramCells, entity.pointee.resultCells) <= stackEnd - base else {
            throw .trap(.callStackExhausted)
        }
        var k = 0
        for (i, (a, t)) in zip(arguments, type.params).enumerated() {
            guard a.type == t else {
                throw .trap(.invalidArguments("argument \(i) must be \(t), got \(a.type)"))
            }
            // Arguments converted so far are roots if an exception's allocation collects.
            a.store(to: base + k, runtime, owner: self, roots: UnsafeBufferPointer(start: stack, count: base + k - stack))
            k += t.cellCount
        }
        entry = entity
        resultBase = base
        if entity.pointee.code == nil {
            // A host function invoked directly: no wasm frame.
            restartState = nil
            return try run()
        }
        let d = depth
        guard entity.pointee.frameCells <= stackEnd - base, d < maxFrames, let instance = entity.pointee.instance else {
            throw .trap(.callStackExhausted)
        }
        // The entry frame returns to the exit trampoline; a nested call's names its
        // caller's frame and instance, so that backtraces go on through the caller.
        let callerFP = d > 0 ? state.pointee.saved.fp : base
        let callerInstance = d > 0 ? state.pointee.saved.inst.assumingMemoryBound(to: InstanceData.self) : instance
        frames[d] = CallFrame(returnPC: Interpreter.exitTrampoline, fp: callerFP, instance: callerInstance, function: entity.pointee.index)
        depth = d + 1
        (base + entity.pointee.paramCells).update(repeating: 0, count: entity.pointee.localCells)
        state.pointee.saved.pc = entity.pointee.code.unsafelyUnwrapped
        state.pointee.saved.fp = base
        state.pointee.saved.inst = UnsafeMutableRawPointer(instance)
        return try run()
    }

    /// Native stack a run started from within another run of the same thread needs
    /// left (bytes); below it the call traps (`runGated`).
    static let nestedRunStackReserve = 256 << 10

    /// A call from a host function into wasm on this context: runs above the caller's
    /// live stack, handles restarts in place, and leaves the caller's state as it was.
    private func invokeNested(_ function: Function, _ arguments: [Value]) throws(ExecutionError) -> [Value] {
        guard !isSuspended else { throw .trap(.host("invoke on a suspended context from a host function")) }
        // Everything of the caller's run that the nested one overwrites; not the fuel,
        // which the nested call consumes like any other.
        let outerState = state.pointee
        let outer = (entry, resultBase, restartState, caught, parksBlockingCalls, park, sliceEnd)
        defer {
            let fuel = state.pointee.fuel
            state.pointee = outerState
            state.pointee.fuel = fuel
            (entry, resultBase, restartState, caught, parksBlockingCalls, park, sliceEnd) = outer
            isSuspended = false
        }
        restartState = nil
        parksBlockingCalls = false
        sliceEnd = 0
        statistics.nestedCalls &+= 1
        // Above everything the caller uses: its innermost frame, or a directly invoked
        // host function's arguments and results.
        var base = stack + liveStack.count
        if depth == 0, let e = entry {
            base = Swift.max(base, stack + Swift.max(e.pointee.paramCells, e.pointee.resultCells))
        }
        do throws(ExecutionError) {
            return try start(function, arguments, base: Swift.min(base, stackEnd))
        } catch {
            var error = error
            while case .restart(let reason) = error.kind {
                prepareResume(after: reason)
                isSuspended = false
                do throws(ExecutionError) {
                    return try run()
                } catch let e {
                    error = e
                }
            }
            throw error
        }
    }

    /// Continues an execution suspended by a restartable error.
    public func resume() throws(ExecutionError) -> [Value] {
        guard !isRunning else { throw .trap(.host("resume on a context that is running")) }
        guard isSuspended, entry != nil else { throw .trap(.host("nothing to resume")) }
        isSuspended = false
        return try run()
    }

    /// Drops a suspended execution (nothing while the context runs).
    public func abandon() {
        guard !isRunning else { return }
        isSuspended = false
        (restartState as? DiscardableRestartState)?.discard()
        restartState = nil
        depth = 0
    }

    /// Runs `function`, doing the default processing of restartable errors (DESIGN.md
    /// §3): restarts are resumed (after the runtime's restart handler, if any, ran);
    /// a user interrupt is returned to the caller as an error.
    public func invokeHandlingRestarts(_ function: Function, _ arguments: [Value]) throws(ExecutionError) -> [Value] {
        do {
            return try invoke(function, arguments)
        } catch {
            return try handleRestarts(error)
        }
    }

    /// `resume()` with the default processing of restarts, as `invokeHandlingRestarts`
    /// does for `invoke`: e.g. after a user interrupt or out-of-fuel.
    public func resumeHandlingRestarts() throws(ExecutionError) -> [Value] {
        do {
            return try resume()
        } catch {
            return try handleRestarts(error)
        }
    }

    /// The embedder loop: while `error` is a restart, process it and resume.
    public func handleRestarts(_ error: ExecutionError) throws(ExecutionError) -> [Value] {
        var error = error
        while case .restart(let reason) = error.kind {
            prepareResume(after: reason)
            do {
                return try resume()
            } catch let e {
                error = e
            }
        }
        throw error
    }

    /// Before resuming after a restart: counts it and runs the runtime's restart handler.
    func prepareResume(after reason: RestartReason) {
        statistics.restarts[reason.description, default: 0] += 1
        runtime.restartHandler?(self, reason)
    }

    /// Runs `body` as this context's turn to execute (the world stopper, if any,
    /// counts it and may make it wait while a shared memory moves).
    private func runGated(_ body: () -> ExecutionError?) -> ExecutionError? {
        // A run started by a host function (a nested call, or a call on another context)
        // takes native stack: a guest recursing through the host traps, as deep wasm
        // recursion does, instead of overflowing the thread's stack.
        let outer = rewasm_run_enter()
        defer { rewasm_run_leave() }
        if outer > 0, rewasm_stack_remaining() < ExecutionContext.nestedRunStackReserve {
            return .trap(.callStackExhausted)
        }
        // A nested call runs within its caller's turn.
        if isRunning { return body() }
        #if SharedMemRealloc
        let stopper = runtime.worldStopper
        stopper?.enter(self)
        defer { stopper?.leave(self) }
        #endif
        isRunning = true
        defer { isRunning = false }
        return body()
    }

    /// Runs (or continues) the entry: its wasm code from the saved registers, or a host
    /// function invoked directly with its arguments at `resultBase`.
    private func run() throws(ExecutionError) -> [Value] {
        let error = runGated {
            if let e = entry, e.pointee.code == nil { return Interpreter.callHost(self, e, args: resultBase) }
            return Interpreter.run(self)
        }
        if let e = error {
            if e.isRestartable {
                isSuspended = true
            } else {
                depth = 0
                restartState = nil
            }
            throw e
        }
        return results()
    }

    private func results() -> [Value] {
        guard let entry else { return [] }
        let type = entry.pointee.type.takeUnretainedValue().type
        var out: [Value] = []
        out.reserveCapacity(type.results.count)
        var k = 0
        for t in type.results {
            out.append(Value(cells: resultBase + k, type: t, runtime: runtime))
            k += t.cellCount
        }
        return out
    }

    /// The part of the value stack in use, as of the saved registers: up to the end of
    /// the innermost wasm frame (some cells beyond it with no frame, for a host function
    /// invoked directly). The exception store's collections scan it for exnref roots.
    var liveStack: UnsafeBufferPointer<UInt64> {
        var top = stack + 64
        if depth > 0 {
            let inst = state.pointee.saved.inst.assumingMemoryBound(to: InstanceData.self)
            let f = frames[depth - 1].function
            top = state.pointee.saved.fp + inst.pointee.functions[Int(f)].pointee.frameCells
        }
        return UnsafeBufferPointer(start: stack, count: Swift.min(top, stackEnd) - stack)
    }

    /// Wasm frames of the current or suspended execution, innermost first.
    public var backtrace: [BacktraceFrame] {
        var out: [BacktraceFrame] = []
        guard var instance = currentInstance else { return out }
        var d = depth
        while d > 0 {
            d -= 1
            out.append(Interpreter.frameInfo(instance, frames[d].function))
            instance = frames[d].instance
        }
        return out
    }
}
